#!/usr/bin/env bash
# Start Lagebild on the embedded default (SQLite + file-system queue, no servers needed),
# wait until it is ready and push the seed articles through it. `quickstart.sh stop` stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
export LAGEBILD_DATA_DIR=${LAGEBILD_DATA_DIR:-$PWD/var}
export LAGEBILD_BIND=${LAGEBILD_BIND:-127.0.0.1:8000}
# a service on one machine for one person: webhook receivers on this machine are allowed
# (a deployment keeps the default, which refuses loopback and private addresses)
export LAGEBILD_WEBHOOK_ALLOW_PRIVATE=${LAGEBILD_WEBHOOK_ALLOW_PRIVATE:-true}
PIDFILE=$LAGEBILD_DATA_DIR/lagebild.pid
LOG=$LAGEBILD_DATA_DIR/lagebild.log
URL=http://$LAGEBILD_BIND
mkdir -p "$LAGEBILD_DATA_DIR"

if [ "${1:-}" = stop ]; then
  if [ -f "$PIDFILE" ] && kill "$(cat "$PIDFILE")" 2>/dev/null; then
    # "stopped" means the port is free: wait for the graceful shutdown (gunicorn finishes open
    # requests, the worker its task), then make sure
    for _ in $(seq 1 150); do kill -0 "$(cat "$PIDFILE")" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$(cat "$PIDFILE")" 2>/dev/null || true
    echo "stopped Lagebild (pid $(cat "$PIDFILE"))"; rm -f "$PIDFILE"
  else
    echo "Lagebild is not running"
  fi
  exit 0
fi

if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  echo "Lagebild is already running (pid $(cat "$PIDFILE"))"
else
  nohup "$BIN/lagebild" serve >"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  echo "starting Lagebild at $URL (log: $LOG)"
fi

for _ in $(seq 1 120); do
  if "$BIN/python" -c "import sys,urllib.request; sys.exit(urllib.request.urlopen('$URL/readyz', timeout=2).status != 200)" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then echo "Lagebild did not start; see $LOG" >&2; exit 1; fi
  sleep 1
done

# A local write key for the tenant "local", created once; only its hash is in the database, the
# key itself is in $KEYFILE (readable by this user only) for the tour and `lagebild submit`.
KEYFILE=$LAGEBILD_DATA_DIR/api-key
if [ ! -s "$KEYFILE" ]; then
  (umask 077 && "$BIN/lagebild" keys create --tenant local --scope write | tail -n 1 >"$KEYFILE")
fi
export LAGEBILD_API_KEY=$(cat "$KEYFILE")

# The seeds go in with the fields kept beside them (seeds/NAME.meta.json: the publication date,
# an external_id sent as Idempotency-Key), so a second `make start` finds them instead of copying.
RESULTS=$LAGEBILD_DATA_DIR/seed-results.jsonl
if ! LAGEBILD_SERVER=$URL "$BIN/lagebild" submit --wait seeds/*.txt >"$RESULTS"; then
  echo "some seeds failed; see $RESULTS and $LOG" >&2
fi
"$BIN/python" - "$RESULTS" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    row = json.loads(line)
    doc = row.get("extraction")
    if doc is None:
        print(f"  {row['file']}: FAILED {json.dumps(row.get('error'), ensure_ascii=False)[:200]}")
        continue
    dated = sum(1 for event in doc["events"] if (event.get("time") or {}).get("value"))
    print(f"  {row['file']} (published {doc['published_at']}): {len(doc['actors'])} actors, "
          f"{len(doc['events'])} events ({dated} dated), {len(doc['quotes'])} quotes")
PY
SHOWN=${KEYFILE#"$PWD"/}
cat <<SUMMARY

Lagebild is running at $URL
  open          $URL/ui/   (the analyst's view: log in with the API key below)
  API key       $LAGEBILD_API_KEY
                (tenant 'local', kept in $SHOWN:  export LAGEBILD_API_KEY=\$(cat $SHOWN))
  API docs      $URL/docs   (the contract: $URL/openapi.yaml)
  seed results  $RESULTS
  command line  . $BIN/activate   then: lagebild --help
  log           $LOG
  stop it       make stop
SUMMARY
