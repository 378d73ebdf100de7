#!/usr/bin/env bash
# Starts the servers the end-to-end tests talk to (PostgreSQL, Redis, RabbitMQ), bound to 127.0.0.1, and waits
# until each port answers. With --install, first installs the missing ones from Debian's packages
# (as root). scripts/test.sh runs it; tests that stop a server start their own instance instead.
set -euo pipefail

if [ "${1:-}" = "--install" ]; then
  missing=()
  command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v deck >/dev/null 2>&1 || missing+=(deck) # decK validates the generated gateway/kong.yml
  command -v rabbitmq-server >/dev/null 2>&1 || missing+=(rabbitmq-server)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl) # the gateway tests' self-signed https upstream
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose) # reads the generated compose files offline
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "the tests need ${missing[*]}: install them (apt-get install -y ${missing[*]}) or run this as root" >&2
      exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

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

# Redis: loopback only, nothing persisted.
if command -v redis-server >/dev/null 2>&1; then
  if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
    redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no >/dev/null
  fi
  wait_port 127.0.0.1 6379 Redis
fi

# RabbitMQ: loopback only (the broker and Erlang's port mapper). Debian's package does not start it
# without systemd; scripts/test.sh stops it at the end when it started it.
if command -v rabbitmq-server >/dev/null 2>&1; then
  if ! (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
    # inet_dist_use_interface keeps the Erlang distribution port (25672) on loopback too.
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 ERL_EPMD_ADDRESS=127.0.0.1 \
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
      rabbitmq-server -detached >/dev/null 2>&1
  fi
  wait_port 127.0.0.1 5672 RabbitMQ
fi
