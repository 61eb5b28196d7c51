#!/usr/bin/env bash
# Builds a self-contained Butterfly for one platform: the shipped files in publish/<rid>/ (one
# executable, `butterfly`), the debugging symbols (*.pdb, and the XML API docs) beside them in publish/<rid>.symbols/,
# never inside the shipped folder or the executable. Keep the symbols of each release you ship:
# `dotnet-dump analyze` and `dotnet-symbol` want them for a crash dump of that build.
#
# usage (from anywhere): deploy/publish.sh [RID]        RID: linux-x64 (default), linux-arm64, ...
#   VARIANT=r2r (default)  single file, ReadyToRun: precompiled code, the fastest start (see tests/bench/README.md)
#   VARIANT=single         single file, as built before: IL only, compiled at run time
#   VARIANT=compressed     single file, its assemblies compressed: the smallest that passes, a slower start
#   VARIANT=r2r-compressed ReadyToRun and compressed
#   VARIANT=trimmed        single file, unused code trimmed: measured only; not shipped (the configuration
#                          binder and checker read the options by reflection, which the trimmer cannot see)
#   OUT=DIR                the shipped folder (default publish/<rid>); symbols go to DIR.symbols
set -euo pipefail
rid="${1:-linux-x64}"
variant="${VARIANT:-r2r}"
cd "$(dirname "$0")/.."
out="${OUT:-publish/$rid}"
props=(-p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:DebugType=portable)
case "$variant" in
  single) ;;
  compressed) props+=(-p:EnableCompressionInSingleFile=true) ;;
  r2r) props+=(-p:PublishReadyToRun=true) ;;
  r2r-compressed) props+=(-p:PublishReadyToRun=true -p:EnableCompressionInSingleFile=true) ;;
  trimmed) props+=(-p:PublishTrimmed=true -p:TrimMode=partial -p:TreatWarningsAsErrors=false -p:SuppressTrimAnalysisWarnings=false) ;;
  *) echo "unknown VARIANT '$variant' (single, compressed, r2r, r2r-compressed, trimmed)" >&2; exit 2 ;;
esac

rm -rf "$out" "$out.symbols"
dotnet publish src/Butterfly.Cli/Butterfly.Cli.csproj -c Release -r "$rid" --self-contained true "${props[@]}" -o "$out"

# Symbols (and the libraries' XML API docs) beside, not inside: what ships is the executable alone.
mkdir -p "$out.symbols"
find "$out" -maxdepth 1 \( -name '*.pdb' -o -name '*.dbg' -o -name '*.xml' \) -exec mv {} "$out.symbols/" \;
echo "Published $variant to $out/butterfly ($(du -sh "$out" | cut -f1)); symbols in $out.symbols/"
