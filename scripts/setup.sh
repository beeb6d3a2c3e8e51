#!/usr/bin/env bash
# Prepare this machine for GroupDesk: the system libraries Qt needs, then a
# virtual environment in .venv with the package installed in editable mode.
# Sourced by ./run-app and ./run-tests; safe to run again (it only does what is missing).
# Usage: scripts/setup.sh [--test]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

# System packages: Qt Multimedia needs PulseAudio's client library; then the
# X/EGL/font libraries Qt loads even offscreen. Tests also use Xvfb, and a
# private PulseAudio server with a null sink to play the mixed audio for real.
apt_pkgs=(libpulse0 libegl1 libgl1 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0)
# A real window on an X display: what Qt's xcb platform plugin (libqxcb.so,
# libQt6XcbQpa) and its GLX/EGL integrations link to, found with ldd. Without one
# of them the first launch stops with "Could not load the Qt platform plugin xcb"
# (tests/ui/test_real_window.py starts the app on Xvfb to check).
apt_pkgs+=(libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0
    libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0
    libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0)
# The font a PDF record embeds (ui/records/pdf.py): fontconfig pulls some font in,
# this one by name, so every machine lays out and embeds the same glyphs (é è ç à).
apt_pkgs+=(fonts-dejavu-core)
if [ "$want_test" = 1 ]; then
    apt_pkgs+=(iproute2 xvfb chromium) # chromium: the participant web page tests (tests/web)
    apt_pkgs+=(pulseaudio pulseaudio-utils) # tests/ui/test_audio_playback.py
    apt_pkgs+=(poppler-utils) # pdftotext, pdfinfo, pdftoppm, pdffonts: tests/ui/records
    apt_pkgs+=(libxml2-utils) # xmllint: the ADMX/ADML templates (tests/policy)
    apt_pkgs+=(coturn) # turnserver: relay-only calls (groupdesk.server.coturn, tests/web)
    apt_pkgs+=(janus) # the SFU: VideoRoom rooms for SFU mode (groupdesk.server.janus, tests/server)
    # wixl and msiinfo build and read the MSI, osslsigncode signs and verifies it,
    # openssl makes the test's throwaway certificate (tests/installers/test_msi_tables.py)
    apt_pkgs+=(wixl msitools osslsigncode openssl)
    # iptables (ip6tables too) sends the media of the impaired-network tests and
    # benchmarks to an NFQUEUE program (tests/net_impair.py, on fnfqueue: no C library)
    apt_pkgs+=(iptables)
    # node runs the page's state module tests (tests/web/test_page_protocol.py); a
    # machine that has one already (not from Debian) keeps it
    command -v node >/dev/null 2>&1 || apt_pkgs+=(nodejs)
    # npm installs axe-core (package.json) for the accessibility checks of tests/web
    command -v npm >/dev/null 2>&1 || apt_pkgs+=(npm)
fi
missing=()
for p in "${apt_pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "GroupDesk needs these system packages: ${missing[*]}" >&2
        echo "Install them with: sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
    echo "Installing system packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python environment: reinstall only when pyproject.toml changed.
py="${PYTHON:-python3}"
if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "GroupDesk needs Python 3.11 or newer (found: $("$py" --version 2>&1))." >&2
    exit 1
fi
venv="$here/.venv"
[ -x "$venv/bin/python" ] || "$py" -m venv "$venv"
extra=""
[ "$want_test" = 1 ] && extra="[test]"
stamp="$venv/.groupdesk-installed"
hash="$(sha256sum "$here/pyproject.toml" | cut -d' ' -f1)"
installed="$(cat "$stamp" 2>/dev/null || true)"
# An install with the test extra also serves the app; the reverse is not true.
if [ "$installed" != "$hash[test]" ] && [ "$installed" != "$hash$extra" ]; then
    echo "Installing GroupDesk into $venv ..." >&2
    "$venv/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
    "$venv/bin/python" -m pip install -q -e "$here$extra"
    "$venv/bin/python" -c "import groupdesk" # fails loudly if the install did not work
    echo "$hash$extra" > "$stamp"
fi

# The web page tests' JavaScript (package.json: axe-core, pinned in package-lock.json),
# installed here, never at test time; again only when the lock file changed.
if [ "$want_test" = 1 ]; then
    lock_hash="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
    npm_stamp="$here/node_modules/.groupdesk-installed"
    if [ "$(cat "$npm_stamp" 2>/dev/null || true)" != "$lock_hash" ]; then
        echo "Installing the web tests' JavaScript (npm ci) ..." >&2
        (cd "$here" && npm ci --no-audit --no-fund --ignore-scripts >/dev/null)
        echo "$lock_hash" > "$npm_stamp"
    fi
fi
