#!/usr/bin/env bash
# Install the Debian tools two tests and a benchmark use when they are missing: headless Chromium
# (the /docs browser test), docker-compose (validates docker-compose.yml; there is no Docker engine
# here, the CLI is enough) and wrk (benchmarks/read_latency.py). Best effort: without root or apt
# those tests skip and say why, and the benchmark stops saying what is missing.
set -uo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-test-tools: installing ${missing[*]}" >&2
  apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
    || echo "ensure-test-tools: could not install ${missing[*]}; their tests will skip" >&2
fi
exit 0
