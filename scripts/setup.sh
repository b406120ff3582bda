#!/usr/bin/env bash
# Installs everything Pigeon's build and tests need on a fresh Debian machine:
# the browsers and servers the end-to-end tests drive (never downloaded by npm), a CJK font, then npm ci.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v firefox-esr >/dev/null || need+=(firefox-esr)
command -v turnserver >/dev/null || need+=(coturn)
command -v ffmpeg >/dev/null || need+=(ffmpeg)
command -v ip >/dev/null || need+=(iproute2)
command -v unshare >/dev/null || need+=(util-linux)
# A CJK font, so the Chinese screens (npm run screens) and tests render readable text, not boxes.
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
# A colour emoji font, so the safety words' symbols are drawn (headless Debian has none: boxes otherwise).
fc-list 2>/dev/null | grep -qi 'color emoji' || need+=(fonts-noto-color-emoji)
if [ "${#need[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${need[@]}"
fi
npm ci --no-audit --no-fund
