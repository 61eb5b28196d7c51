#!/usr/bin/env bash
# Builds a self-contained Butterfly for one platform into ./publish/<rid>.
# Usage: deploy/publish.sh [RID]   (default linux-x64; e.g. linux-arm64)
set -euo pipefail
rid="${1:-linux-x64}"
cd "$(dirname "$0")/.."
dotnet publish src/Butterfly.Cli/Butterfly.Cli.csproj \
  -c Release -r "$rid" --self-contained true \
  -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true \
  -o "publish/$rid"
echo "Published to publish/$rid/butterfly"
