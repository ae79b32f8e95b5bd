#!/usr/bin/env bash
# Starts the herald-client test service of the public SSE client contract tests
# (github.com/launchdarkly/sse-contract-tests) on the given port, building it first if needed.
#
#   scripts/contract-test-service.sh 8000
#
# Then run the harness against http://localhost:8000, for example
#   docker run --network host ldcircleci/sse-contract-tests:2 --url http://localhost:8000
# The harness stops the service with DELETE / (or press Ctrl-C).
set -euo pipefail

port="${1:-}"
if ! [[ "$port" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 PORT" >&2
  exit 2
fi

cd "$(dirname "$0")/.."
classes=herald-client/target/test-classes/dev/herald/client/contract/ContractTestService.class
if [ ! -f "$classes" ] || [ -n "$(find herald-client/src herald-sse/src -newer "$classes" -name '*.java' -print -quit)" ]; then
  echo "building herald-client (and herald-sse) ..." >&2
  ./mvnw -q -pl herald-client -am test-compile
fi

exec java -cp herald-client/target/test-classes:herald-client/target/classes:herald-sse/target/classes \
  dev.herald.client.contract.ContractTestService "$port"
