#!/usr/bin/env bash
# Makes a data folder with the build of main before issue 9 (schema 3, PBKDF2 hashes, a queued
# outbound entry for an unreachable peer, mail held for an absent filter).
# Usage: BASELINE=<checkout of ea260f9, built with -c Release> OUT=<empty folder> make.sh
BASELINE=${BASELINE:?checkout of ea260f9 built in Release}
OUT=${OUT:?an empty folder}
cd "$OUT"
set -euo pipefail
B="dotnet $BASELINE/src/Butterfly.Cli/bin/Release/net10.0/butterfly.dll"
D="$OUT/data"
rm -rf $D; mkdir -p $D
cat > plain.json <<J
{ "listen": "127.0.0.1:17501", "dataDirectory": "data", "domains": ["a.example"],
  "peers": { "b.example": { "address": "127.0.0.1:9" } },
  "queue": { "retrySeconds": [3600] } }
J
cat > filtered.json <<J
{ "listen": "127.0.0.1:17501", "dataDirectory": "data", "domains": ["a.example"],
  "peers": { "b.example": { "address": "127.0.0.1:9" } },
  "queue": { "retrySeconds": [3600], "heldRetrySeconds": 3600 },
  "filters": [ { "name": "spam", "stages": ["inbound"], "onFailure": "tempfail" } ] }
J
echo 'alice-password' | $B user add alice@a.example --config plain.json --password-stdin
echo 'bob-password' | $B user add bob@a.example --config plain.json --password-stdin
echo 'carol-password' | $B user add carol@a.example --config plain.json --password-stdin
$B serve --config plain.json > serve1.log 2>&1 & pid=$!
for i in $(seq 50); do $B user list --config plain.json >/dev/null 2>&1 && (echo > /dev/tcp/127.0.0.1/17501) 2>/dev/null && break; sleep 0.2; done
export BUTTERFLY_SERVER=127.0.0.1:17501
A="--user alice@a.example --password alice-password"
Bo="--user bob@a.example --password bob-password"
$B send $A --to bob@a.example --subject 'Lunch?' --body 'Noon at the café?'
$B send $A --to bob@a.example --cc carol@a.example --subject 'Minutes' --body $'Line one\nLine two'
cat > attach.eml <<'M'
From: Alice <alice@a.example>
To: Bob <bob@a.example>
Subject: =?utf-8?q?Rapport_=C3=A9t=C3=A9?=
Date: Sun, 29 Nov 2026 10:00:00 +0000
Message-ID: <upgrade-attach@a.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

See the attachment.
--b1
Content-Type: application/octet-stream; name="data.bin"
Content-Disposition: attachment; filename="data.bin"
Content-Transfer-Encoding: base64

AAECAwQFBgcICQ==
--b1--
M
$B send $A --file attach.eml
$B send $Bo --to alice@a.example --subject 'Re: Lunch?' --body 'Yes.'
# A remote recipient: queued for b.example, whose server does not answer.
$B send $A --to dave@b.example --to erin@b.example --subject 'To the other server' --body 'Queued before the upgrade.'
$B folder create Archive/2026 $Bo
$B move 1 --to Archive/2026 $Bo
$B flag 1 --folder Archive/2026 --add flagged --add seen $Bo
$B flag 2 --add seen $Bo
$B queue list --config plain.json
kill -TERM $pid; wait $pid || true
# Held mail: a filter is configured with tempfail and is not running.
$B serve --config filtered.json > serve2.log 2>&1 & pid=$!
for i in $(seq 50); do (echo > /dev/tcp/127.0.0.1/17501) 2>/dev/null && break; sleep 0.2; done
$B send $Bo --to carol@a.example --subject 'Held for the filter' --body 'Held before the upgrade.'
$B queue list --config filtered.json
kill -TERM $pid; wait $pid || true
$B list $A --json > /dev/null || true
ls -la $D
