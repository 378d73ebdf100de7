#!/usr/bin/env bash
# Starts the servers the end-to-end tests talk to (PostgreSQL, Redis), bound to 127.0.0.1, and waits until each
# port answers. Used by .ci/run; run it yourself (as root) before `npm test` on a fresh machine.
set -euo pipefail

wait_port() { # host port name
  for _ in $(seq 1 60); do
    if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "$3 did not answer on $1:$2" >&2
  return 1
}

# PostgreSQL (Debian's cluster 15/main): listen on loopback only, a test role with a password.
if command -v pg_ctlcluster >/dev/null 2>&1; then
  conf=/etc/postgresql/15/main/postgresql.conf
  if [ -f "$conf" ] && ! grep -q "^listen_addresses = '127.0.0.1'" "$conf"; then
    echo "listen_addresses = '127.0.0.1'" >> "$conf"
  fi
  pg_ctlcluster 15 main start 2>/dev/null || true
  wait_port 127.0.0.1 5432 PostgreSQL
  su postgres -c "psql -q -tc \"SELECT 1 FROM pg_roles WHERE rolname='microgen'\" | grep -q 1 || psql -q -c \"CREATE ROLE microgen LOGIN PASSWORD 'microgen' SUPERUSER\""
fi

# Redis: loopback only, nothing persisted (the tests stop and restart it).
if command -v redis-server >/dev/null 2>&1; then
  if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
    redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no >/dev/null
  fi
  wait_port 127.0.0.1 6379 Redis
fi
