"""The live screen's audio-only suggestion: shown after sustained loss, steady through one
fair reading, hidden only after the hold; dismissible (the real widget, offscreen)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from live_helpers import prepared_log, synthetic
from ui_helpers import Run

from groupdesk.core.call_quality import ADVICE_HIDE_AFTER_S
from groupdesk.media.events import MediaEvent, PeerState, PeerStateChanged, PeerStats
from groupdesk.ui.live_page import LivePage
from groupdesk.ui.live_session import LiveSession

BEA, CARL = "0123456789ab", "ba9876543210"


class Readings:
    """Stats every two seconds on a clock of the test's own."""

    def __init__(self, page: LivePage, emit: Callable[[MediaEvent], None] | None = None) -> None:
        self.now = 100.0
        self.hint = page.audio_only_hint
        self.hint.clock = lambda: self.now
        self.emit = emit or self.hint.on_media
        """Where the readings go: the hint itself, or a real mesh's events."""
        for member in (BEA, CARL):
            self.emit(PeerStateChanged(member, PeerState.CONNECTED))

    def every_2s(self, seconds: float, loss: float, rtt_s: float = 0.08) -> None:
        for _ in range(round(seconds / 2)):
            self.now += 2.0
            self.emit(PeerStats(BEA, 0.05, 0.0, 15.0, 0, 0, None, self.now))
            self.emit(PeerStats(CARL, rtt_s, loss, 15.0, 0, 0, None, self.now))

    @property
    def shown(self) -> bool:
        return self.hint.box.isVisible()


def _page_of(qtbot: Any, live: LiveSession) -> LivePage:
    page = LivePage(live)
    qtbot.addWidget(page)
    page.show()
    return page


def _page(qtbot: Any) -> LivePage:
    return _page_of(qtbot, LiveSession())


def test_it_shows_after_sustained_loss_on_the_worst_link_and_holds_through_a_fair_reading(
    qtbot: Any,
) -> None:
    page = _page(qtbot)
    link = Readings(page)
    link.every_2s(4, loss=0.12)  # a bad moment, not yet a bad spell
    assert not link.shown
    link.every_2s(10, loss=0.12)  # Carl's link stays bad (Bea's is fine: the worst counts)
    assert link.shown
    assert "weak" in link.hint.text.text()
    assert link.hint.switch_button.isVisible()
    link.every_2s(2, loss=0.03)  # one fair reading: it stays
    assert link.shown
    link.every_2s(ADVICE_HIDE_AFTER_S - 4, loss=0.0)  # good again, but not for the hold yet
    assert link.shown
    link.every_2s(12, loss=0.0)
    assert not link.shown


def test_dismissed_it_stays_away_for_this_spell_and_comes_back_for_the_next(qtbot: Any) -> None:
    page = _page(qtbot)
    link = Readings(page)
    link.every_2s(14, loss=0.12)
    assert link.shown
    link.hint.dismiss_button.click()
    assert not link.shown
    link.every_2s(10, loss=0.12)
    assert not link.shown  # still the same bad spell: not again
    link.every_2s(40, loss=0.0)  # it cleared ...
    link.every_2s(14, loss=0.12)  # ... and a new bad spell
    assert link.shown


def test_a_link_that_is_not_connected_does_not_count(qtbot: Any) -> None:
    page = _page(qtbot)
    link = Readings(page)
    link.hint.on_media(PeerStateChanged(CARL, PeerState.RECONNECTING))
    link.every_2s(20, loss=0.12)  # Carl's figures while his link is down: ignored
    assert not link.shown


def test_switching_turns_the_camera_off_asks_for_no_video_and_can_come_back(
    run: Run[Any], qtbot: Any, languages: Any, memory_keyring: Any, tmp_path: Path
) -> None:
    async def scenario() -> None:
        log, session, _ = await prepared_log(tmp_path, ["Ana"])
        live = LiveSession()
        page = _page_of(qtbot, live)
        try:
            assert await live.open_room(log, session.id, sources=synthetic("Julie"))
            mesh = live.mesh
            assert mesh is not None
            link = Readings(page, mesh.events.emit)  # as the mesh reports its links
            link.every_2s(14, loss=0.12)
            assert link.shown
            await link.hint.switch_to_audio_only()  # what its button does
            assert live.camera_off
            assert page.camera_button.isChecked()  # the camera button says so too
            assert not mesh.send_video
            assert not mesh.receive_video
            assert "not sending or receiving video" in link.hint.text.text()
            assert link.hint.video_button.isVisible()
            assert not link.hint.switch_button.isVisible()
            await link.hint.video_again()
            assert mesh.receive_video
            assert not link.shown
        finally:
            await live.close()
            await log.close()

    run(scenario())
