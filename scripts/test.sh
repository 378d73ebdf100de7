#!/usr/bin/env bash
# The whole test suite on a fresh machine (Debian, Node 20): installs the servers the tests talk
# to from Debian's packages when they are missing (needs root), starts them on 127.0.0.1,
# installs and builds microgen, and runs `npm test` (vitest: the `fast` and `e2e` projects).
# Arguments go to vitest: `bash scripts/test.sh --project fast`.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "::group::servers the tests talk to"
bash scripts/start-services.sh --install
echo "::endgroup::"

echo "::group::npm ci and build"
npm ci --no-audit --no-fund
npm run build
echo "::endgroup::"

npm test -- "$@"
