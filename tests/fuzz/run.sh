#!/usr/bin/env bash
# Coverage-guided fuzzing of one target with SharpFuzz + AFL++ (tests/fuzz/README.md).
# usage (from anywhere): tests/fuzz/run.sh frame|head|mime|verdict SECONDS
# Builds the harness, instruments Butterfly's assemblies, runs afl-fuzz for SECONDS on one core
# from seeds/TARGET plus the kept corpus/TARGET, then prints executions, crashes and hangs.
# Crashing inputs stay in tests/fuzz/findings/TARGET/default/{crashes,hangs}; reproduce one, with
# a stack trace, on the uninstrumented build (the instrumented one in out/ only runs under AFL):
#   dotnet run --project tests/fuzz/Butterfly.Fuzz -c Release -- TARGET FILE
# With CMIN=1 it then runs cmin.sh TARGET (the kept corpus the test projects replay).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=${1:?usage: run.sh frame|head|mime|verdict SECONDS}
seconds=${2:?usage: run.sh frame|head|mime|verdict SECONDS}
case $target in
  frame) dict=frame.dict ;;
  head | verdict) dict=json.dict ;;
  mime) dict=mime.dict ;;
  *) echo "unknown target '$target'" >&2; exit 2 ;;
esac
for tool in afl-fuzz afl-cmin sharpfuzz; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y afl++; dotnet tool install -g SharpFuzz.CommandLine --version 2.3.0 (and put ~/.dotnet/tools on PATH)" >&2; exit 2; }
done

# A fresh publish every time: sharpfuzz rewrites the assemblies in place and refuses to
# instrument one twice.
out=$here/out
rm -rf "$out"
dotnet publish "$here/Butterfly.Fuzz" -c Release -o "$out" --nologo -v quiet
for assembly in Butterfly.Protocol Butterfly.Mime Butterfly.Storage Butterfly.Server; do
  sharpfuzz "$out/$assembly.dll" >/dev/null
done

input=$here/findings/$target-input
findings=$here/findings/$target
rm -rf "$input" "$findings"
mkdir -p "$input"
cp "$here/seeds/$target"/* "$input/"
if [ -d "$here/corpus/$target" ]; then cp "$here/corpus/$target"/* "$input/"; fi

# dotnet itself is not instrumented (SharpFuzz speaks the fork-server protocol from managed
# code), core dumps and CPU scaling are the machine's business, and the log is plain text.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1
afl-fuzz -i "$input" -o "$findings" -x "$here/dict/$dict" -t 5000 -m none -V "$seconds" \
  -- "$(command -v dotnet)" "$out/Butterfly.Fuzz.dll" "$target" > "$here/findings/$target.log" 2>&1 || {
  echo "afl-fuzz failed; the end of its log:" >&2; tail -30 "$here/findings/$target.log" >&2; exit 1; }

stats=$findings/default/fuzzer_stats
field() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
echo "target $target: $(field execs_done) executions in $(field run_time) s ($(field execs_per_sec)/s), corpus $(field corpus_count), edges $(field edges_found)/$(field total_edges), crashes $(field saved_crashes), hangs $(field saved_hangs)"
for file in "$findings"/default/crashes/id:* "$findings"/default/hangs/id:*; do
  [ -e "$file" ] && echo "  found: $file"
done

if [ "${CMIN:-0}" = 1 ]; then
  "$here/cmin.sh" "$target"
fi
