"""End to end: ``groupdesk demo`` as a subprocess, offscreen, then its screenshots and journal."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from groupdesk.core.models import CrisisIncident
from groupdesk.sessionlog import KeyStore, SessionLog

pytestmark = pytest.mark.slow

PASSPHRASE = "rehearsal passphrase for the e2e test"


def _count_tiles(image: QImage, step: int = 3) -> int:
    """How many tiles the video grid shows: blocks of picture separated by its background."""
    background = QColor("#1d2126")

    def is_background(x: int, y: int) -> bool:
        c = image.pixelColor(x, y)
        return (
            abs(c.red() - background.red())
            + abs(c.green() - background.green())
            + abs(c.blue() - background.blue())
            < 12
        )

    row = image.height() // 2
    grid = [x for x in range(image.width()) if is_background(x, row)]
    left, right = min(grid), max(grid)
    column = [y for y in range(image.height()) if is_background(left + 1, y)]
    top, bottom = min(column), max(column)
    cells = {
        (x, y)
        for x in range(left, right, step)
        for y in range(top, bottom, step)
        if not is_background(x, y)
    }
    tiles = 0
    while cells:
        tiles_cells, todo = 0, [cells.pop()]
        while todo:
            x, y = todo.pop()
            tiles_cells += 1
            for near in ((x + step, y), (x - step, y), (x, y + step), (x, y - step)):
                if near in cells:
                    cells.remove(near)
                    todo.append(near)
        if tiles_cells * step * step > 4000:  # a tile, not a stray pixel
            tiles += 1
    return tiles


def test_demo_runs_five_participants_and_journals_the_session(tmp_path: Path) -> None:
    data_dir = tmp_path / "rehearsal"
    early, final = tmp_path / "early.png", tmp_path / "final.png"
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        GROUPDESK_PASSPHRASE=PASSPHRASE,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "groupdesk",
            "--lang",
            "en",
            "demo",
            "--participants",
            "5",
            "--duration",
            "20",
            "--screenshot",
            str(final),
            "--screenshot-early",
            str(early),
            "--drill",
            "safety",
            "--data-dir",
            str(data_dir),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=150,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"saved to {final}" in done.stdout
    assert "Safety drill: a simulated participant will use the discreet option" in done.stdout
    # a normal end is no error: the simulated participants do not say "Error: Ana: ..."
    # (the command line's error line; library noise on stderr is another matter)
    said = [line for line in done.stderr.splitlines() if line.startswith(("Error:", "Erreur :"))]
    assert said == [], done.stderr[-3000:]

    first, last = QImage(str(early)), QImage(str(final))
    assert not first.isNull()
    assert not last.isNull()
    assert _count_tiles(last) == 6  # five participants and the facilitator
    changed = sum(
        first.pixel(x, y) != last.pixel(x, y)
        for x in range(0, last.width(), 3)
        for y in range(0, last.height(), 3)
    )
    assert changed > 300  # the video moved between the two pictures (clocks, at least)

    async def journal() -> list[tuple[str, dict[str, object]]]:
        key = KeyStore(data_dir).unlock(passphrase=PASSPHRASE)
        log = await SessionLog.open(data_dir, key, create=False)
        try:
            [session] = await log.list_sessions()
            assert session.actual_start is not None
            assert session.actual_end is not None
            stays = await log.attendance(session.id)
            assert len(stays) == 5
            assert all(stay.left_at is not None for stay in stays)
            # what each one answered before admission, kept with the session
            answers = await log.participant_answers(session.id)
            assert len(answers) == 5
            for kept in answers:
                assert kept.unmet == ()
                assert kept.override_reason is None
                assert str(kept.answers["phone"]).startswith("514-555-01")
                assert kept.answers["location"]
            return [(e.kind, e.data) for e in await log.journal(session.id)]
        finally:
            await log.close()

    events = asyncio.run(journal())
    kinds = [kind for kind, _ in events]
    assert kinds.count("lobby.admitted") == 5
    assert kinds.count("member.joined") == 5
    assert kinds[-1] == "session.ended"
    assert "room.opened" in kinds
    assert "room.closed" in kinds
    # the autopilot facilitator: the floor in queue order, one round, talk times at the end
    for kind in ("turn.hand_raised", "turn.floor_given", "turn.floor_ended", "round.started"):
        assert kind in kinds, kind
    assert kinds.count("turn.talk_time") == 6  # five participants and the facilitator
    assert kinds.index("turn.talk_time") < kinds.index("room.closed")
    # the safety drill: one simulated participant's signal, shown to the facilitator
    sent = [data for kind, data in events if kind == "safety.sent"]
    assert len(sent) == 1
    seen = [data for kind, data in events if kind == "safety.seen"]
    assert [data["seat"] for data in seen] == [sent[0]["seat"]]


def test_the_checklist_drill_keeps_one_person_waiting_for_the_practitioner(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "rehearsal"
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        GROUPDESK_PASSPHRASE=PASSPHRASE,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    done = subprocess.run(
        [
            sys.executable, "-m", "groupdesk", "--lang", "fr_CA", "demo",
            "--participants", "3", "--duration", "8", "--drill", "checklist",
            "--data-dir", str(data_dir),
        ],
        env=env, capture_output=True, text=True, timeout=150, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Exercice de liste de vérification" in done.stdout

    async def record() -> tuple[list[str], int]:
        key = KeyStore(data_dir).unlock(passphrase=PASSPHRASE)
        log = await SessionLog.open(data_dir, key, create=False)
        try:
            [session] = await log.list_sessions()
            kinds = [e.kind for e in await log.journal(session.id)]
            return kinds, len(await log.participant_answers(session.id))
        finally:
            await log.close()

    kinds, kept = asyncio.run(record())
    assert kinds.count("lobby.admitted") == 2  # the third waits on the practitioner
    assert "lobby.admitted_anyway" not in kinds  # nobody decided for them
    assert kept == 2


def test_the_crisis_drill_on_autopilot_keeps_a_whole_incident(tmp_path: Path) -> None:
    data_dir = tmp_path / "rehearsal"
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        GROUPDESK_PASSPHRASE=PASSPHRASE,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    done = subprocess.run(
        [
            sys.executable, "-m", "groupdesk", "--lang", "en", "demo",
            "--participants", "3", "--duration", "25", "--drill", "crisis",
            "--data-dir", str(data_dir),
        ],
        env=env, capture_output=True, text=True, timeout=150, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Crisis drill: a few seconds after admission a simulated participant" in done.stdout
    said = [line for line in done.stderr.splitlines() if line.startswith(("Error:", "Erreur :"))]
    assert said == [], done.stderr[-3000:]

    async def record() -> tuple[list[tuple[str, dict[str, object]]], list[CrisisIncident]]:
        key = KeyStore(data_dir).unlock(passphrase=PASSPHRASE)
        log = await SessionLog.open(data_dir, key, create=False)
        try:
            [session] = await log.list_sessions()
            events = [(e.kind, e.data) for e in await log.journal(session.id)]
            return events, await log.incidents(session.id)
        finally:
            await log.close()

    events, incidents = asyncio.run(record())
    kinds = [kind for kind, _ in events]
    # one incident: every step of the protocol ticked with its time, and an outcome
    [incident] = incidents
    assert incident.outcome == "safe"  # the member came back before the panel closed
    assert [step.step for step in incident.steps if step.done_at is None] == []
    assert incident.ended_at is not None
    for step in incident.steps:
        assert step.done_at is not None
        assert incident.started_at <= step.done_at <= incident.ended_at, step.step
    # the panel opened, the side room used and left, the drop and the return, then closed
    for kind in ("crisis.opened", "side_room.entered", "side_room.left", "crisis.dropped",
                 "crisis.back", "crisis.closed", "crisis.recorded"):  # fmt: skip
        assert kind in kinds, kind
    assert kinds.count("crisis.opened") == 1
    order = [kinds.index(k) for k in ("crisis.opened", "side_room.entered", "side_room.left")]
    assert order == sorted(order)
    assert kinds.index("crisis.dropped") < kinds.index("crisis.back") < kinds.index("crisis.closed")
    assert kinds.index("crisis.closed") < kinds.index("session.ended")
    # the one in crisis came back into their seat: nobody was admitted a second time
    assert kinds.count("lobby.admitted") == 3
