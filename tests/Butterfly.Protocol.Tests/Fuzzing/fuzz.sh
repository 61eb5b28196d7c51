#!/usr/bin/env bash
# A long frame-fuzzing run from a random seed (the test suite runs 3 s from a fixed seed).
# usage (from the repository root): tests/Butterfly.Protocol.Tests/Fuzzing/fuzz.sh [SECONDS] [SEED]
# Failing inputs are saved to tests/Butterfly.Protocol.Tests/TestData/fuzz-regressions and replayed
# by every later test run; commit them with the fix.
set -euo pipefail
cd "$(dirname "$0")/../../.."
export BUTTERFLY_FUZZ_SECONDS=${1:-600}
export BUTTERFLY_FUZZ_SEED=${2:-$RANDOM$RANDOM}
echo "frame fuzz: ${BUTTERFLY_FUZZ_SECONDS} s, seed ${BUTTERFLY_FUZZ_SEED}"
dotnet test tests/Butterfly.Protocol.Tests -c Release \
  --filter "FullyQualifiedName~FrameFuzzTests.Fuzz_RandomAndMutatedInputs" \
  --logger "console;verbosity=detailed" | grep -E "FrameFuzz:|Passed!|Failed!|Saved to"
