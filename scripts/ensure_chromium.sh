#!/usr/bin/env bash
# Install Debian's Chromium for the dashboard's browser tests, once (idempotent).
# Playwright drives this system browser; `playwright install` is not used.
set -euo pipefail
CHROMIUM=${GPUBROKER_CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "no $CHROMIUM and no apt-get: install Chromium and set GPUBROKER_CHROMIUM" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
test -x "$CHROMIUM"
