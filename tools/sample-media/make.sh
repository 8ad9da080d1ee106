#!/usr/bin/env bash
# Makes the sample curriculum's media (content/media/): run once by hand, needs ffmpeg (not in CI).
# Each file stays well under 100 KB so the repository stays small.
set -euo pipefail
out="$(dirname "$0")/../../content/media"
mkdir -p "$out"
# A 3-second 320x180 clip: test pattern and a counter, H.264 in MP4 with the index first so it streams.
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc=size=320x180:rate=10:duration=3" \
  -c:v libx264 -preset veryslow -crf 38 -pix_fmt yuv420p -movflags +faststart "$out/pruning-demo.mp4"
# A 4-second voice note: OGG/Opus mono at 16 kbit/s, as Telegram's own voice notes.
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "sine=frequency=440:duration=4" \
  -c:a libopus -b:a 16k -ac 1 -application voip "$out/secretary-briefing.ogg"
node "$(dirname "$0")/make-pdf.mjs" "$out/three-studies-handbook.pdf"
ls -l "$out"
