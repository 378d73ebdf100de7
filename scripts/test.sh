#!/usr/bin/env bash
# The whole test suite on a fresh machine (Debian, Node 20): installs the servers the tests talk
# to (PostgreSQL, Redis, RabbitMQ) from Debian's packages when they are missing (needs root), starts them on 127.0.0.1,
# installs and builds microgen, and runs `npm test` (vitest: the `fast` and `e2e` projects).
# Arguments go to vitest: `bash scripts/test.sh --project fast`.
set -euo pipefail
cd "$(dirname "$0")/.."

# A broker that was running before (someone else's, or the machine's own) is left running at the end.
rabbitmq_was_running=false
if (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then rabbitmq_was_running=true; fi

echo "::group::servers the tests talk to"
bash scripts/start-services.sh --install
echo "::endgroup::"

echo "::group::npm ci and build"
npm ci --no-audit --no-fund
npm run build
echo "::endgroup::"

# The RabbitMQ started here runs detached; stop it whatever the tests did, keeping their exit
# status. One that was already running is not ours to stop.
status=0
npm test -- "$@" || status=$?
if ! $rabbitmq_was_running && command -v rabbitmqctl >/dev/null 2>&1; then rabbitmqctl stop >/dev/null 2>&1 || true; fi
exit "$status"
