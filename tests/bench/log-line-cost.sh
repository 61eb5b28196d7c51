#!/usr/bin/env bash
# What one delivery log line costs the process, measured apart from the daemon (whose throughput on a
# shared machine is too noisy to show it: see delivery-log-cost.sh): LogLineCost logs the line of
# Telemetry/DeliveryLog the way the daemon does, in text and in JSON, with the line on and filtered off,
# and prints wall and CPU time per call (CPU of the whole process: the console logger formats on the
# caller's thread and writes on its own). The lines go to a file, as a daemon's go to a pipe.
#
# usage (from the repository root):
#   tests/bench/log-line-cost.sh [CALLS]      CALLS per measurement (default 200000)
# Not a test.
set -euo pipefail
calls=${1:-200000}
dir=$(cd "$(dirname "$0")" && pwd)
dotnet build "$dir/LogLineCost" -c Release > /dev/null
out=$(mktemp /tmp/log-line-cost.XXXXXX); trap 'rm -f "$out"' EXIT
for format in text json; do
  dotnet "$dir/LogLineCost/bin/Release/net10.0/LogLineCost.dll" "$calls" "$format" > "$out"
done
