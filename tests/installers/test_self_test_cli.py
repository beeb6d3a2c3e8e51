"""``groupdesk --self-test`` run for real, as an administrator would after installing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from groupdesk import selftest
from groupdesk.core.i18n import set_language

SRC = Path(__file__).resolve().parents[2] / "src"
CHECK_NAMES = ("WebRTC", "Encrypted session log", "Keyring", "Qt Multimedia", "Translations")


def _self_test(*args: str, pythonpath: Path = SRC) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "groupdesk", "--self-test", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_every_check_passes_and_says_what_it_did() -> None:
    done = _self_test("--lang", "en")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for name in CHECK_NAMES:
        assert any(line.startswith(f"OK    {name}") for line in lines), done.stdout
    assert "VP8 and Opus negotiated" in done.stdout
    assert "DTLS connected" in done.stdout
    assert "received over SRTP and decoded" in done.stdout
    assert "the file is encrypted" in done.stdout
    assert lines[-1].startswith("Self-test passed: 5 checks")


@pytest.mark.slow
def test_the_self_test_speaks_french() -> None:
    done = _self_test("--lang", "fr_CA")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK    Journal de séances chiffré (SQLCipher) : SQLCipher" in done.stdout
    assert "VP8 et Opus négociés" in done.stdout
    last = done.stdout.splitlines()[-1]
    assert last.startswith("Autovérification réussie : 5 vérifications")
    assert re.search(r"\d,\d s", last), last  # a French decimal comma


@pytest.mark.slow
def test_an_installation_without_the_french_catalogue_fails(tmp_path: Path) -> None:
    """A copy of the program whose .qm was left out (as a bad bundle would): exit 1."""
    broken = tmp_path / "site"
    shutil.copytree(SRC / "groupdesk", broken / "groupdesk", ignore=shutil.ignore_patterns("*.pyc"))
    (broken / "groupdesk" / "i18n" / "groupdesk_fr_CA.qm").unlink()
    done = _self_test("--lang", "en", pythonpath=broken)
    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        "FAIL  Translations: GroupDesk's French catalogue (i18n/groupdesk_fr_CA.qm) is missing"
        in done.stdout
    )
    assert "OK    Encrypted session log" in done.stdout  # the other checks still ran
    assert done.stdout.splitlines()[-1] == "Self-test failed: 1 of 5 checks."


def test_a_check_that_hangs_fails_at_its_time_limit() -> None:
    set_language("en")
    release = threading.Event()
    codes: list[int] = []

    def hangs() -> selftest.Outcome:
        release.wait(60)  # bounded: the watchdog releases it
        raise selftest.CheckFailedError("released")

    def exit_now(code: int) -> None:
        codes.append(code)
        release.set()

    lines: list[str] = []

    class Out:
        def write(self, text: str) -> None:
            lines.append(text)

        def flush(self) -> None:
            pass

    check = selftest.Check("selftest.name.keyring", hangs, 0.05)
    selftest.run((check,), out=Out(), exit_now=exit_now)  # type: ignore[arg-type]
    assert codes == [1]
    assert "FAIL  Keyring: no answer within 0.05 s (the self-test stops here)" in "".join(lines)


def test_no_keyring_is_a_failure_where_the_os_always_has_one(no_keyring: None) -> None:
    set_language("en")
    assert selftest.check_keyring("linux").ok
    with pytest.raises(selftest.CheckFailedError, match="no usable keyring"):
        selftest.check_keyring("win32")
