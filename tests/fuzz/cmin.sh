#!/usr/bin/env bash
# Minimises what run.sh TARGET found (findings/TARGET's queue, seeds included) with afl-cmin into
# corpus/TARGET: the inputs that together reach every edge seen, which the test projects replay.
# usage: tests/fuzz/cmin.sh frame|head|mime|verdict   (after run.sh, which leaves out/ instrumented)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=${1:?usage: cmin.sh frame|head|mime|verdict}
queue=$here/findings/$target/default/queue
[ -d "$queue" ] && [ -f "$here/out/Butterfly.Fuzz.dll" ] || { echo "run tests/fuzz/run.sh $target SECONDS first" >&2; exit 2; }
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1
rm -rf "$here/corpus/$target"
afl-cmin -i "$queue" -o "$here/corpus/$target" -t 5000 -m none \
  -- "$(command -v dotnet)" "$here/out/Butterfly.Fuzz.dll" "$target" > "$here/findings/$target-cmin.log" 2>&1 || {
  echo "afl-cmin failed; the end of its log:" >&2; tail -20 "$here/findings/$target-cmin.log" >&2; exit 1; }
# Names without afl's colons and commas, so they are valid paths everywhere.
n=0
for file in "$here/corpus/$target"/*; do
  n=$((n + 1)); mv "$file" "$here/corpus/$target/$(printf '%s-%04d' "$target" "$n")"
done
echo "corpus/$target: $n files, $(du -sb "$here/corpus/$target" | cut -f1) bytes"
