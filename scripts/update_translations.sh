#!/usr/bin/env bash
# Refresh the Qt translation catalogue from the interface code, then compile it.
# After running it, translate every message marked type="unfinished" in
# src/groupdesk/i18n/groupdesk_fr_CA.ts (Qt Linguist, or any editor), run it
# again, and commit both the .ts and the .qm (tests/ui/test_translations.py checks them).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${VENV:-.venv}/bin"
ts=src/groupdesk/i18n/groupdesk_fr_CA.ts
"$bin/pyside6-lupdate" -extensions py -locations none -no-obsolete \
    -source-language en -target-language fr_CA src/groupdesk/ui -ts "$ts"
"$bin/pyside6-lrelease" -silent "$ts" -qm "${ts%.ts}.qm"
if grep -q 'type="unfinished"' "$ts"; then
    echo "Some messages in $ts still need their French translation." >&2
    exit 1
fi
