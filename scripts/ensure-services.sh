#!/usr/bin/env bash
# Make sure the Redis and PostgreSQL servers the integration tests use are up; start them
# the way this machine's image starts them when they are not.
set -euo pipefail

redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3 | grep -q PONG) 2>/dev/null; }
postgres_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ! redis_up; then
  echo "ensure-services: starting Redis" >&2
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi
if ! postgres_up; then
  echo "ensure-services: starting PostgreSQL" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
fi
for _ in $(seq 1 30); do
  if redis_up && postgres_up; then exit 0; fi
  sleep 1
done
redis_up || echo "ensure-services: Redis is not answering on 127.0.0.1:6379" >&2
postgres_up || echo "ensure-services: PostgreSQL is not answering on 127.0.0.1:5432" >&2
exit 1
