#!/usr/bin/env bash
# The kill -9 harness for many rounds (issue 10, "The crash and fuzz harness"): the test
# CrashTests.KillRounds_* (tests/Butterfly.Server.Tests/Crash/) on a Release build. Each round: 6
# senders that retry a cut-off send with its submission id and 2 that give it up send to a real
# daemon until SENDS are acknowledged; the daemon is killed with SIGKILL (by its PID); PRAGMA
# integrity_check runs on its database; it restarts; then every acknowledged send must be in the
# recipient's Inbox and the sender's Sent exactly once, every abandoned one at most once.
#
# usage (from the repository root):
#   tests/bench/crash-rounds.sh [ROUNDS] [SENDS]      defaults: 100 rounds, 100 acknowledged sends per round
#   CRASH_STORE=postgres   the daemon on PostgreSQL (a private cluster; amcheck of every index instead
#                          of integrity_check): CrashScenarios run as PostgresCrashTests
# Prints each round and the totals (rounds, acknowledged, lost, duplicated). The test suite runs
# the same harness for 3 rounds of 40. Servers bind 127.0.0.1 on ports the OS picks. Not a test.
set -euo pipefail
rounds=${1:-100}; sends=${2:-100}
cd "$(dirname "$0")/../.."
source tests/bench/common.sh
bench_start bf-crash
dotnet build tests/Butterfly.Server.Tests -c Release -nologo -v q
BUTTERFLY_CRASH_ROUNDS=$rounds BUTTERFLY_CRASH_SENDS=$sends BUTTERFLY_CRASH_REPORT="$work/report.txt" \
  dotnet test tests/Butterfly.Server.Tests -c Release --no-build \
    --filter "FullyQualifiedName~Crash.$([ "${CRASH_STORE:-sqlite}" = postgres ] && echo Postgres)CrashTests.KillRounds" \
    --logger "console;verbosity=detailed" 2>&1 | tee "$work/test.log" | grep -E "^ *round [0-9]+:|crash totals|Passed |Failed |Assert|Error Message" || true
echo
if [[ -s "$work/report.txt" ]]; then cat "$work/report.txt"; else echo "no totals: the run failed (see above)" >&2; exit 1; fi
