#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests where it is missing (root only; never fatal).
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) \
    >/dev/null 2>&1 || echo "note: could not install chromium; browser tests will skip" >&2
fi
exit 0
