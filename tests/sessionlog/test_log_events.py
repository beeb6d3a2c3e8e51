"""``groupdesk log events``: the journal as an administrator's audit trail, never its content."""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from groupdesk.app import main
from groupdesk.sessionlog import KeyStore, Store, journal
from groupdesk.sessionlog.audit import shown_value
from groupdesk.sessionlog.connection import connect
from memory_keyring import MemoryKeyring

SECRET = "zqxauditsecret"
SEAT = "0a1b2c3d4e5f"
T0 = datetime(2026, 3, 4, 18, 30, 5, 250000, tzinfo=UTC)


def _raw(
    store: Store,
    session_id: int | None,
    kind: str,
    data: dict[str, object],
    when: datetime | None = None,
) -> None:
    """Chain a row as given, past the catalogue's check: what a future version's payload, or
    a forged one, may hold -- the audit trail must still show no text."""
    with store.transaction() as conn:
        journal._append_row(conn, session_id, kind, data, when or datetime.now(UTC))


def _log(data_dir: Path) -> tuple[bytes, int, int, int]:
    """A log with two sessions, and payloads that carry text where ids belong."""
    key = KeyStore(data_dir).create().key
    store = Store.open(data_dir, key)
    group = store.create_group(f"Groupe {SECRET}")
    ana = store.add_member(group.id, f"Ana {SECRET}")
    _raw(store, None, "group.created", {"group": group.id}, T0 - timedelta(days=2))
    first = store.create_session(group.id, T0 - timedelta(days=1), T0 - timedelta(hours=22))
    store.start_session(first.id, T0 - timedelta(days=1))
    _raw(store, first.id, "member.joined", {"seat": SEAT, "member": ana.id}, T0 - timedelta(days=1))
    second = store.create_session(group.id, T0, T0 + timedelta(hours=2))
    store.start_session(second.id, T0)
    _raw(store, second.id, "member.joined", {"seat": SEAT, "member": ana.id, "guest": False}, T0)
    _raw(
        store,
        second.id,
        "member.left",
        {"seat": SEAT, "member": ana.id, "reason": "left", "name": f"Ana {SECRET}"},
        T0 + timedelta(minutes=5),
    )
    _raw(
        store,
        second.id,
        "turn.given",
        {
            f"Ana {SECRET}": 1,  # text as a field's very name
            "member": f"Ana {SECRET}",  # text where an id belongs
            "reason": SECRET,  # not one of the known reasons
            "seat": f"{SECRET} seat",  # not shaped like a seat
            "note": {"body": SECRET},
            "tags": [1, SECRET],
            "talk_seconds": 12.5,
        },
        T0 + timedelta(minutes=6),
    )
    _raw(store, second.id, f"Ana {SECRET} spoke", {}, T0 + timedelta(minutes=7))
    store.close()
    return key, first.id, second.id, ana.id


def _run(data_dir: Path, *args: str, lang: str = "en") -> int:
    return main(["--lang", lang, "--data-dir", str(data_dir), "log", "events", *args])


def test_default_is_the_last_session_with_ids_and_utc_times(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    _key, first, second, ana = _log(data_dir)
    assert _run(data_dir) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Journal of session {second} (times in UTC):"
    assert lines[1].split("  ") == ["2026-03-04T18:30:05Z", f"session {second}", "#4",
                                    "session.started"]  # fmt: skip
    assert lines[2].split("  ") == ["2026-03-04T18:30:05Z", f"session {second}", "#5",
                                    "member.joined", "guest=false", f"member={ana}",
                                    f"seat={SEAT}"]  # fmt: skip
    assert lines[3].endswith(f"member={ana}  reason=left  seat={SEAT}  name=withheld")
    assert lines[-1].startswith("The journal's hash chain verifies (8 entries checked")
    assert len(lines) == 1 + 5 + 1
    assert all(f"session {first}" not in line for line in lines)


def test_a_given_session(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    _key, first, _second, ana = _log(data_dir)
    assert _run(data_dir, "--session", str(first)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Journal of session {first} (times in UTC):"
    assert [line.split("  ")[2:4] for line in lines[1:-1]] == [
        ["#2", "session.started"],
        ["#3", "member.joined"],
    ]
    assert lines[1].startswith("2026-03-03T18:30:05Z")
    assert lines[2].endswith(f"member={ana}  seat={SEAT}")


def test_no_text_content_is_printed_only_withheld(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    _log(data_dir)
    assert _run(data_dir) == 0
    assert _run(data_dir, "--json") == 0
    assert _run(data_dir, "--all") == 0
    out = capsys.readouterr().out
    assert SECRET not in out
    assert "Ana" not in out
    assert "Groupe" not in out
    turn = next(line for line in out.splitlines() if "turn.given" in line)
    assert turn.endswith(
        "talk_seconds=12.5  member=withheld  note=withheld  reason=withheld  seat=withheld"
        "  tags=withheld  (+1 withheld)"
    )
    assert "(kind withheld)" in out


def test_json_lines_have_the_fields(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    _key, _first, second, ana = _log(data_dir)
    assert _run(data_dir, "--json") == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    events, chain = records[:-1], records[-1]
    assert chain == {"record": "chain", "verified": True, "entries_checked": 8}
    assert [e["seq"] for e in events] == [4, 5, 6, 7, 8]
    joined = events[1]
    assert joined == {
        "record": "event",
        "ts": "2026-03-04T18:30:05.250000Z",
        "session": second,
        "seq": 5,
        "kind": "member.joined",
        "fields": {"guest": False, "member": ana, "seat": SEAT},
        "withheld": [],
        "withheld_unnamed": 0,
        "purged": False,
    }
    turn = events[3]
    assert turn["fields"] == {"talk_seconds": 12.5}
    assert turn["withheld"] == ["member", "note", "reason", "seat", "tags"]
    assert turn["withheld_unnamed"] == 1
    assert events[4]["kind"] == "withheld"


def test_all_and_since(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    _log(data_dir)
    assert _run(data_dir, "--all", "--json") == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["seq"] for r in records[:-1]] == list(range(1, 9))
    assert (records[0]["session"], records[0]["kind"]) == (None, "group.created")

    assert _run(data_dir, "--all", "--since", "2026-03-04") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "The journal from 2026-03-04 on (times in UTC):"
    assert [line.split("  ")[2] for line in lines[1:-1]] == ["#4", "#5", "#6", "#7", "#8"]

    assert _run(data_dir, "--all", "--since", "2030-01-01") == 0
    assert capsys.readouterr().out.splitlines()[1] == "No journal entries to list."


def test_french(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    _key, _first, second, _ana = _log(data_dir)
    assert _run(data_dir, lang="fr_CA") == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == f"Journal de la séance {second} (heures en UTC) :"
    assert f"séance {second}" in lines[1]
    for french in ("name=masqué", "(+1 masqués)", "(type masqué)"):
        assert french in out
    assert lines[-1].startswith("La chaîne d'empreintes du journal est vérifiée (8 entrées")
    assert SECRET not in out

    with pytest.raises(SystemExit):
        _run(data_dir, "--help", lang="fr_CA")
    help_text = " ".join(capsys.readouterr().out.split())  # as argparse wraps it
    assert "jamais de contenu" not in help_text  # that is the list's summary, not this page
    assert "un numéro de séance, ou « last »" in help_text
    assert "heure (UTC, ISO 8601 terminée par Z)" in help_text


def test_retention_s_redaction_is_said_and_the_chain_still_verifies(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    key, first, _second, _ana = _log(data_dir)
    conn = connect(data_dir / "groupdesk.db", key)
    conn.execute("UPDATE journal SET payload = NULL, salt = NULL WHERE seq = 3")
    conn.close()
    assert _run(data_dir, "--session", str(first)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].endswith("member.joined  (content removed by retention)")
    assert lines[-1].startswith("The journal's hash chain verifies")


def test_a_tampered_journal_is_said_at_the_end_exit_1(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    key, first, _second, ana = _log(data_dir)
    conn = connect(data_dir / "groupdesk.db", key)
    conn.execute("DROP TRIGGER journal_redact_only")
    conn.execute("UPDATE journal SET payload = ? WHERE seq = 3", (json.dumps({"member": 99}),))
    conn.close()
    assert _run(data_dir, "--session", str(first)) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].endswith("member=99")  # what the row says now...
    assert lines[-1] == (  # ...and that it cannot be trusted
        "WARNING: the journal's hash chain does not verify: the content of journal entry 3"
        " was changed after it was written. The entries above may have been altered."
    )
    assert _run(data_dir, "--session", str(first), "--json") == 1
    chain = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert chain["verified"] is False
    assert "entry 3" in chain["problem"]
    assert ana != 99


def test_no_session_yet_and_unknown_session(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    key = KeyStore(data_dir).create().key
    store = Store.open(data_dir, key)
    group = store.create_group("G")
    _raw(store, None, "group.created", {"group": group.id})
    planned = store.create_session(group.id, T0, T0 + timedelta(hours=1))
    store.close()
    assert _run(data_dir) == 1
    assert capsys.readouterr().err == "Error: No session has entries in the journal yet.\n"
    assert _run(data_dir, lang="fr_CA") == 1
    assert "Aucune séance n'a encore d'entrées dans le journal." in capsys.readouterr().err

    assert _run(data_dir, "--session", "99") == 1
    assert capsys.readouterr().err == "Error: There is no session 99 in the session log.\n"
    assert _run(data_dir, "--session", "99", lang="fr_CA") == 1
    assert "Il n'y a pas de séance 99 dans le journal de séances." in capsys.readouterr().err

    # planned, never held: known, nothing to list
    assert _run(data_dir, "--session", str(planned.id)) == 0
    assert capsys.readouterr().out.splitlines()[1] == "No journal entries to list."


@pytest.mark.parametrize("value", ["abc", "0", "-3", "last1", "1.5"])
def test_a_bad_session_value(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["log", "events", "--session", value])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --session: '{value}' is neither a session number nor \"last\"" in err


def test_bad_values_in_french(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "fr_CA", "log", "events", "--session", "dernière"])
    err = capsys.readouterr().err
    assert "« dernière » n'est ni un numéro de séance ni « last »" in err
    with pytest.raises(SystemExit):
        main(["--lang", "fr_CA", "log", "events", "--all", "--since", "2026-02-30"])
    assert "« 2026-02-30 » n'est pas une date écrite AAAA-MM-JJ" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["log", "events", "--all", "--session", "3"])
    assert exited.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_a_log_that_cannot_be_opened(
    tmp_path: Path,
    data_dir: Path,
    no_keyring: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _run(tmp_path / "none") == 1
    assert "There is no session log in" in capsys.readouterr().err
    key = KeyStore(data_dir).create(passphrase="phrase").key
    Store.open(data_dir, key).close()
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setenv("GROUPDESK_PASSPHRASE", "wrong")
    assert _run(data_dir) == 1
    assert "passphrase is not correct" in capsys.readouterr().err


def test_the_real_program_piped_into_a_reader_that_stopped(
    data_dir: Path, no_keyring: None
) -> None:
    """``groupdesk log events | head``: no traceback when the reader goes away."""
    key = KeyStore(data_dir).create(passphrase="automation").key
    store = Store.open(data_dir, key)
    store.create_session(store.create_group("G").id, T0, T0 + timedelta(hours=1))
    store.start_session(1, T0)
    store.close()
    env = dict(
        os.environ,
        GROUPDESK_PASSPHRASE="automation",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    command = [sys.executable, "-m", "groupdesk", "--data-dir", str(data_dir), "log", "events"]
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is already gone: the first line written meets a closed pipe
    try:
        stopped = subprocess.run(
            command, env=env, stdout=write_end, stderr=subprocess.PIPE, text=True,
            timeout=60, check=False,
        )  # fmt: skip
    finally:
        os.close(write_end)
    assert stopped.returncode == 1
    assert "Traceback" not in stopped.stderr
    shown = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert shown.returncode == 0, shown.stderr
    assert "session 1  #1  session.started" in shown.stdout


def test_what_may_be_shown() -> None:
    assert shown_value("member", 3) == (True, 3)
    assert shown_value("member", None) == (True, None)
    assert shown_value("over_max", True) == (True, True)
    assert shown_value("modality", "remote") == (True, "remote")
    assert shown_value("modality", "Ana") == (False, None)
    assert shown_value("cutoff", "2021-03-04T00:00:00.000000+00:00")[0] is True
    assert shown_value("cutoff", "2021-03-04 then Ana")[0] is False
    assert shown_value("unchecked", ["quiet_room", "exits"]) == (True, ["quiet_room", "exits"])
    assert shown_value("unchecked", ["Ana Tremblay"]) == (False, None)
    assert shown_value("comment", "ok") == (False, None)  # a new text field: withheld
    assert shown_value("seat", SEAT.upper()) == (False, None)
    # the turn manager's outputs name members and actors by seat, with closed reasons
    assert shown_value("by", SEAT) == (True, SEAT)
    assert shown_value("members", [SEAT, "ffffffffffff"]) == (True, [SEAT, "ffffffffffff"])
    assert shown_value("reason", "replaced") == (True, "replaced")
    assert shown_value("order", "quieter_first") == (True, "quieter_first")
    assert shown_value("role", "facilitator") == (True, "facilitator")
    assert shown_value("by", "Ana") == (False, None)
    assert shown_value("score", math.nan) == (False, None)
    assert shown_value("member", {"id": 3}) == (False, None)
