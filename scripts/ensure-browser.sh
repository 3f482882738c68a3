#!/usr/bin/env bash
# Install Debian's headless Chromium for the browser test of /docs when it is missing
# (best effort: without root or apt the browser test skips and says why).
set -uo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-browser: installing chromium" >&2
  apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 \
    || echo "ensure-browser: could not install chromium; the browser test will skip" >&2
fi
exit 0
