"""``groupdesk export`` on a real SQLCipher log: the PDF holds the session's facts, its
notes, signatures and addenda, the organisation's and practitioner's names and the
journal's head, in French and in English; every page renders; the export is journaled
and the log still verifies; an existing file is kept unless ``--force``.

Read back with poppler-utils (``pdftotext``, ``pdftoppm``), as a person would.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from groupdesk.app import main
from groupdesk.core import i18n
from groupdesk.core.journal_kinds import SafetyEntry, SeatJoin
from groupdesk.core.session.crisis import Incident
from groupdesk.sessionlog import KeyStore, Store
from managed_policy import write_managed_policy
from memory_keyring import MemoryKeyring

MONTREAL = timezone(timedelta(hours=-5))
PRACTITIONER = "Élise Gagnon-Côté"
ORGANISATION = {"en": "Plateau Community Clinic", "fr_CA": "Clinique communautaire du Plateau"}
GROUP_NOTE = "Le groupe a parlé du retour au travail; climat calme et soutenant."
MEMBER_NOTE = "Ana a partagé ses progrès avec le groupe."
ADDENDUM = "Appel de suivi fait le lendemain : tout va bien."


def at(hour: int, minute: int, day: int = 1, month: int = 12) -> datetime:
    """A time on 2026-<month>-<day> in Montreal (UTC-5 in November and December)."""
    return datetime(2026, month, day, hour, minute, tzinfo=MONTREAL).astimezone(UTC)


@dataclass
class Log:
    data_dir: Path
    key: bytes
    session_id: int
    earlier_session_id: int
    group_note_id: int
    member_note_id: int
    ana_id: int


def _make_log(data_dir: Path) -> Log:
    key = KeyStore(data_dir).create().key
    store = Store.open(data_dir, key)
    try:
        group = store.create_group("Groupe du mardi")
        ana = store.add_member(group.id, "Ana Tremblay")
        ben = store.add_member(group.id, "Ben Roy")
        chloe = store.add_member(group.id, "Chloé Côté")
        expected = [ana.id, ben.id, chloe.id]
        earlier = store.create_session(
            group.id, at(18, 0, 24, 11), at(19, 30, 24, 11), "remote", [PRACTITIONER],
            expected_member_ids=expected,
        )  # fmt: skip
        store.start_session(earlier.id, at(18, 0, 24, 11))
        store.record_join(earlier.id, ana.id, at(18, 1, 24, 11))
        store.end_session(earlier.id, at(19, 30, 24, 11))
        session = store.create_session(
            group.id, at(18, 0), at(19, 30), "remote", [PRACTITIONER], expected_member_ids=expected
        )
        sid = session.id
        store.start_session(sid, at(18, 2))
        store.record_join(sid, ana.id, at(18, 3))
        store.append_event(sid, SeatJoin("member.joined", "s1", ana.id), at(18, 3))
        store.record_join(sid, ben.id, at(18, 7))
        store.append_event(sid, SafetyEntry("safety.sent", "s1", ana.id), at(18, 40))
        store.append_event(sid, SafetyEntry("safety.seen", "s1", ana.id, 12.0), at(18, 40))
        store.add_incident(
            sid,
            Incident(
                seat="s1",
                member=ana.id,
                guest_name="",
                opened_at=at(18, 41),
                closed_at=at(18, 55),
                steps=(),
                observation="",
                resources_used=(),
                outcome="safe",
                referral=(),
            ),
        )
        store.record_leave(sid, ana.id, at(19, 20))
        store.record_leave(sid, ben.id, at(19, 29))
        store.end_session(sid, at(19, 31))
        group_note = store.add_note(group.id, GROUP_NOTE, session_id=sid, template="group_summary")
        store.sign_note(group_note.id, PRACTITIONER)
        store.add_addendum(group_note.id, ADDENDUM, PRACTITIONER)
        member_note = store.add_note(group.id, MEMBER_NOTE, session_id=sid, member_id=ana.id)
    finally:
        store.close()
    return Log(data_dir, key, sid, earlier.id, group_note.id, member_note.id, ana.id)


@pytest.fixture(autouse=True)
def _language_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--lang`` sets the process's language: put it back for the tests that follow."""
    monkeypatch.setattr(i18n, "_current", i18n._current)


@pytest.fixture(autouse=True)
def _one_application(qapp: QApplication) -> QApplication:
    """The tests' QApplication, made first: the command reuses whatever application the
    process has (its own would be a QGuiApplication, and the other tests need widgets)."""
    return qapp


@pytest.fixture
def log(data_dir: Path, memory_keyring: MemoryKeyring) -> Log:
    write_managed_policy({"organisation_name": ORGANISATION})
    return _make_log(data_dir)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "GroupDesk"


def _text(pdf: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return done.stdout


def _pages(pdf: Path, tmp_path: Path) -> list[Path]:
    """Render every page at 40 dpi; the PNG files made."""
    out = tmp_path / f"render-{pdf.stem}"
    out.mkdir()
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(pdf), str(out / "page")],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    return sorted(out.glob("page*.png"))


def _page_count(pdf: Path) -> int:
    done = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60, check=True
    )
    pages = [line.split()[-1] for line in done.stdout.splitlines() if line.startswith("Pages:")]
    return int(pages[0])


def _head(log: Log) -> tuple[int, str]:
    store = Store.open(log.data_dir, log.key, create=False)
    try:
        return store.journal_head()
    finally:
        store.close()


def _export(log: Log, *args: str, lang: str = "en") -> int:
    return main(["--lang", lang, "--data-dir", str(log.data_dir), "export", *args])


def test_a_session_record_in_french_holds_the_notes_facts_names_and_anchor(
    log: Log, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "America/Toronto")
    seq, head = _head(log)
    pdf = tmp_path / "dossier.pdf"
    assert _export(log, "--session", str(log.session_id), "--pdf", str(pdf), lang="fr_CA") == 0
    assert f"Dossier de la séance {log.session_id} écrit dans {pdf}" in capsys.readouterr().out
    text = _text(pdf)
    flat = " ".join(text.split())
    for expected in (
        "Dossier de séance — Groupe du mardi — 2026-12-01",
        GROUP_NOTE,
        MEMBER_NOTE,
        f"Signé par {PRACTITIONER} le 20",
        ADDENDUM,
        "Addenda du",
        "18 h 03 à 19 h 20",  # Ana's stay
        "18 h 07 à 19 h 29",  # Ben's
        "Présences : 2 sur 3 personnes attendues",
        "Absences : Chloé Côté",
        "Signal de sécurité à 18 h 40, vu après 12 s",
        "Panneau de crise 18 h 41 à 18 h 55 : issue la personne est en sécurité",
        "Clinique communautaire du Plateau",
        PRACTITIONER,
        f"Journal nº {seq} · {head}",
        "Page 1 de",
        "Note de groupe",
        "Note sur Ana Tremblay",
        "Modèle",
    ):
        assert expected in flat, expected
    pages = _page_count(pdf)
    assert f"Page {pages} de {pages}" in flat
    assert len(_pages(pdf, tmp_path)) == pages


def test_a_session_record_in_english_and_the_export_is_journaled(
    log: Log, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "America/Toronto")
    seq, head = _head(log)
    pdf = tmp_path / "record.pdf"
    assert _export(log, "--session", "last", "--pdf", str(pdf)) == 0
    assert f"Record of session {log.session_id} written to {pdf}" in capsys.readouterr().out
    flat = " ".join(_text(pdf).split())
    for expected in (
        "Session record — Groupe du mardi — 2026-12-01",
        GROUP_NOTE,
        f"Signed by {PRACTITIONER} on 20",
        ADDENDUM,
        "18:03\N{EN DASH}19:20",
        "Present: 2 of 3 expected",
        "Safety signal at 18:40, seen after 12 s",
        "Plateau Community Clinic",
        f"Journal #{seq} · {head}",
        "Page 1 of",
    ):
        assert expected in flat, expected
    assert len(_pages(pdf, tmp_path)) == _page_count(pdf)

    store = Store.open(log.data_dir, log.key, create=False)
    try:
        last = store.journal()[-1]
        assert (last.seq, last.kind) == (seq + 1, "record.exported")
        assert last.session_id == log.session_id
        assert dict(last.data or {}) == {"what": "session", "row": log.session_id, "format": "pdf"}
        assert store.verify().ok
    finally:
        store.close()


def test_a_note_and_a_member_history(
    log: Log, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "America/Toronto")
    note = tmp_path / "note.pdf"
    assert _export(log, "--note", str(log.group_note_id), "--pdf", str(note)) == 0
    flat = " ".join(_text(note).split())
    for expected in (GROUP_NOTE, ADDENDUM, f"Signed by {PRACTITIONER}", "Present: 2 of 3 expected"):
        assert expected in flat, expected
    assert MEMBER_NOTE not in flat

    member = tmp_path / "membre.pdf"
    args = ("--member", str(log.ana_id), "--pdf", str(member))
    assert _export(log, *args, lang="fr_CA") == 0
    flat = " ".join(_text(member).split())
    for expected in (
        "Historique du membre — Ana Tremblay",
        MEMBER_NOTE,
        "Séances suivies 2 sur 2",
        "2026-11-24",
        "présence en ligne",
        "Panneau de crise 18 h 41 à 18 h 55",
        "Clinique communautaire du Plateau",
    ):
        assert expected in flat, expected
    assert GROUP_NOTE not in flat
    assert len(_pages(member, tmp_path)) == _page_count(member)
    kinds = [(e.kind, dict(e.data or {})) for e in _journal(log)[-2:]]
    assert kinds == [
        ("record.exported", {"what": "note", "row": log.group_note_id, "format": "pdf"}),
        ("record.exported", {"what": "member", "row": log.ana_id, "format": "pdf"}),
    ]


def _journal(log: Log) -> list:  # type: ignore[type-arg]
    store = Store.open(log.data_dir, log.key, create=False)
    try:
        return store.journal()
    finally:
        store.close()


def test_an_existing_file_is_kept_unless_force(
    log: Log, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(b"keep me")
    before = len(_journal(log))
    assert _export(log, "--session", "last", "--pdf", str(pdf)) == 1
    assert "already exists: nothing was written" in capsys.readouterr().err
    assert pdf.read_bytes() == b"keep me"
    assert len(_journal(log)) == before
    assert _export(log, "--session", "last", "--pdf", str(pdf), "--force") == 0
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert len(_journal(log)) == before + 1


def test_clear_errors(log: Log, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "x.pdf"
    assert _export(log, "--session", "99", "--pdf", str(pdf), lang="fr_CA") == 1
    assert "Il n'y a pas de séance 99 dans le journal de séances." in capsys.readouterr().err
    assert _export(log, "--note", "99", "--pdf", str(pdf)) == 1
    assert "There is no note 99 in the session log." in capsys.readouterr().err
    missing = tmp_path / "no-such-folder" / "x.pdf"
    assert _export(log, "--session", "last", "--pdf", str(missing)) == 1
    assert "does not exist" in capsys.readouterr().err
    assert _export(log, "--session", "last", "--pdf", str(tmp_path)) == 1
    assert "is a folder" in capsys.readouterr().err
    assert not pdf.exists()
    with pytest.raises(SystemExit) as exited:
        _export(log, "--session", "zéro", "--pdf", str(pdf))
    assert exited.value.code == 2
    assert "not a number" in capsys.readouterr().err


def test_no_session_yet_and_no_log(
    data_dir: Path, memory_keyring: MemoryKeyring, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    pdf = tmp_path / "x.pdf"
    args = ["--data-dir", str(data_dir), "export", "--session", "last", "--pdf", str(pdf)]
    assert main(args) == 1
    assert "no session log" in capsys.readouterr().err.lower()
    key = KeyStore(data_dir).create().key
    Store.open(data_dir, key).close()
    assert main(args) == 1
    assert "No session has been held yet" in capsys.readouterr().err
    assert not pdf.exists()


def test_export_is_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "fr_CA", "--help"])
    assert "exporter en PDF le dossier d'une séance" in capsys.readouterr().out
