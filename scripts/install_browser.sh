#!/usr/bin/env bash
# What the browser tests (tests/test_browser_*.py) need, installed only when missing:
#   - Debian's chromium (Playwright drives it at /usr/bin/chromium: it cannot download browsers here)
#   - fonts-noto-cjk (without a CJK font Chinese renders as empty boxes in screenshots)
#   - the playwright package, pinned, into the project's virtual environment
# Never runs `playwright install`: that downloads a browser build and fails offline.
set -euo pipefail

PLAYWRIGHT_VERSION="1.65.2"
PYTHON="${PYTHON:-.venv/bin/python}"

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
installed fonts-noto-cjk || missing+=(fonts-noto-cjk)
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
        echo "install_browser.sh: need root to apt-get install ${missing[*]}" >&2; exit 1; fi
    echo "install_browser.sh: installing ${missing[*]} with apt-get"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! "$PYTHON" -c "import playwright, importlib.metadata as m; assert m.version('playwright') == '$PLAYWRIGHT_VERSION'" 2>/dev/null; then
    echo "install_browser.sh: installing playwright==$PLAYWRIGHT_VERSION"
    "$PYTHON" -m pip install --quiet --disable-pip-version-check "playwright==$PLAYWRIGHT_VERSION"
fi
echo "install_browser.sh: chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), fonts-noto-cjk, playwright $PLAYWRIGHT_VERSION ready"
