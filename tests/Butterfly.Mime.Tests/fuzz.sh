#!/usr/bin/env bash
# Fuzzes Butterfly.Mime for longer than `dotnet test` does (4,000 inputs from a fixed seed), with a
# random seed unless one is given, and prints how many inputs ran. Inputs that throw or hang are
# saved in TestData/fuzz-regressions/, which every test run replays: commit them with the fix.
#   tests/Butterfly.Mime.Tests/fuzz.sh [seconds (default 300)] [seed (default random)]
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-300}"
seed="${2:-$(( (RANDOM << 15) | RANDOM ))}"
echo "fuzzing for ${seconds} s with seed ${seed} (rerun with: $0 ${seconds} ${seed})"
BUTTERFLY_FUZZ_SECONDS="$seconds" BUTTERFLY_FUZZ_SEED="$seed" BUTTERFLY_FUZZ_RUNS=0 \
    dotnet test -c Release --filter "FullyQualifiedName~FuzzTests.Fuzz_" --logger "console;verbosity=detailed"
