#!/usr/bin/env bash
# Installs the headless browser the end-to-end tests drive: Debian's Chromium and its
# driver, from the Debian archive (Playwright's own browser download is not used: its
# CDN is not reachable from the machines we build on). Idempotent: does nothing when
# /usr/bin/chromium is there. Exit status 0 = the browser is installed.
set -euo pipefail

CHROMIUM="${SALES_INSIGHTS_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
else
    echo "install_browser.sh: $CHROMIUM is missing and installing it needs root (or passwordless sudo)" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browser.sh: $CHROMIUM is missing and this system has no apt-get; install Chromium yourself" >&2
    exit 1
fi

echo "Installing Chromium from the Debian archive ..." >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >&2
[ -x "$CHROMIUM" ]
