"""Every string of the interface has its French (Québec) text, and the .qm matches the .ts."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).parents[2]
I18N = REPO / "src" / "groupdesk" / "i18n"
TS = I18N / "groupdesk_fr_CA.ts"
QM = I18N / "groupdesk_fr_CA.qm"
BIN = Path(sys.executable).parent
Key = tuple[str, str, str]  # context, source, disambiguation comment


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        found = shutil.which(name)
        if found is None:
            pytest.fail(f"{name} is part of PySide6 and should be installed")
        return found
    return str(path)


def _messages(ts: Path) -> dict[Key, ET.Element]:
    messages: dict[Key, ET.Element] = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            key = (name, message.findtext("source") or "", message.findtext("comment") or "")
            messages[key] = message
    return messages


def _translation(message: ET.Element) -> str | None:
    """The finished French text, or None if it is missing, unfinished or obsolete."""
    translation = message.find("translation")
    if translation is None or translation.get("type") in {"unfinished", "vanished", "obsolete"}:
        return None
    forms = [(form.text or "").strip() for form in translation.iter("numerusform")]
    if forms:  # a plural (%n): every French form is needed; each keeps the placeholders
        return forms[-1] if all(forms) and len({_marks(f) for f in forms}) == 1 else None
    return (translation.text or "").strip() or None


def _marks(text: str) -> tuple[str, ...]:
    return tuple(sorted(re.findall(r"\{\w*\}|%n", text)))


@pytest.fixture(scope="module")
def fresh_ts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What lupdate finds in the interface code today."""
    out = tmp_path_factory.mktemp("lupdate") / "fresh.ts"
    subprocess.run(
        [_tool("pyside6-lupdate"), "-extensions", "py", "-locations", "none",
         str(REPO / "src" / "groupdesk" / "ui"), "-ts", str(out)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return out


def test_every_interface_string_has_a_finished_french_translation(fresh_ts: Path) -> None:
    found = _messages(fresh_ts)
    committed = _messages(TS)
    assert len(found) > 50  # lupdate really read the interface
    missing = [key for key in found if key not in committed]
    untranslated = [key for key in found if key in committed and not _translation(committed[key])]
    assert missing == [], "run scripts/update_translations.sh and translate the new messages"
    assert untranslated == [], "translate these in src/groupdesk/i18n/groupdesk_fr_CA.ts"


def test_the_catalogue_holds_no_stale_messages(fresh_ts: Path) -> None:
    stale = sorted(set(_messages(TS)) - set(_messages(fresh_ts)))
    assert stale == [], "run scripts/update_translations.sh to drop messages no longer in the code"


def test_translations_keep_placeholders_and_shortcut_markers() -> None:
    def placeholders(text: str) -> list[str]:
        return sorted(re.findall(r"\{\w*\}", text))

    wrong = []
    for (context, source, _), message in _messages(TS).items():
        french = _translation(message) or ""
        if placeholders(source) != placeholders(french):
            wrong.append((context, source, "placeholders"))
        if ("&" in source.replace("&&", "")) != ("&" in french.replace("&&", "")):
            wrong.append((context, source, "shortcut marker"))
    assert wrong == []


def test_the_committed_qm_is_compiled_from_the_committed_ts(tmp_path: Path) -> None:
    out = tmp_path / "groupdesk_fr_CA.qm"
    subprocess.run(
        [_tool("pyside6-lrelease"), "-silent", str(TS), "-qm", str(out)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    assert out.read_bytes() == QM.read_bytes(), "run scripts/update_translations.sh"
