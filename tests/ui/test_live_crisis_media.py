"""The crisis panel's silence and freeze alerts on real media: a facilitator's window (the
embedded server on loopback, real aiortc) with the panel open on a desktop participant
whose synthetic microphone and camera really send; the organisation's managed policy sets
the shortest thresholds it allows (silence 5 s, freeze 3 s), so the real clock is used.

The participant's voice really stops (its source sends silence), then its camera really
stops producing frames while the connection stays up: the panel says each at the policy's
threshold, and each alert clears once the voice or the pictures come back. Every wait is
for a state, bounded; no duration is asserted.
"""

from __future__ import annotations

import asyncio
from typing import Any

import av
import pytest
from live_helpers import MET_ANSWERS, prepared_log, wait_for
from ui_helpers import Run, Windows

from groupdesk.core.session.crisis import CrisisAlert
from groupdesk.core.session.room_state import PeerState
from groupdesk.media.sources import (
    AudioSource,
    SwitchableSpeechSource,
    TestPatternSource,
    VideoSource,
)
from groupdesk.ui.crisis_panel import CrisisPanel
from groupdesk.ui.live_session import LiveSession, LiveStage
from groupdesk.ui.main_window import MainWindow
from managed_policy import write_managed_policy

SILENCE_S, FREEZE_S = 5, 3  # the policy schema's minimums
ANA = {**MET_ANSWERS, "phone": "514-555-0199"}


class StoppableCamera(TestPatternSource):
    """A test pattern whose frames stop while :attr:`stopped` (the track stays live, the
    connection up: a camera that hangs), and start again when it is cleared."""

    def __init__(self, name: str) -> None:
        super().__init__(name, 320, 180, fps=10)
        self.running = asyncio.Event()
        self.running.set()

    async def recv(self) -> av.VideoFrame:
        await self.running.wait()
        return await super().recv()


async def _room_with_ana(
    windows: Windows, camera: StoppableCamera, microphone: SwitchableSpeechSource
) -> tuple[MainWindow, LiveSession, str]:
    log, session, _members = await prepared_log(windows.data_dir, ["Ana"])
    await log.close()
    window = windows.open()
    policy = window.policy
    assert (policy.crisis_silence_seconds, policy.crisis_freeze_seconds) == (SILENCE_S, FREEZE_S)
    await window.workspace.start()
    window.live_sources = lambda: (
        TestPatternSource("Julie Tremblay", 320, 180, fps=10),
        SwitchableSpeechSource(seed=9),  # the facilitator is silent
    )
    assert await window.open_room_now(session.id)
    live = window.live

    def anas() -> tuple[VideoSource, AudioSource]:
        return camera, microphone

    peer = LiveSession()
    assert await peer.join(live.invite, "Ana", declared=dict(ANA), sources=anas)
    assert peer.stage is LiveStage.WAITING
    page = window.live_page
    await wait_for(lambda: len(page.lobby.entries) == 1)
    seat = page.lobby.entries[0].person.seat
    page.lobby.admit_all_button.click()
    await wait_for(lambda: seat in live.members and live.members[seat].state is PeerState.CONNECTED)
    return window, peer, seat


@pytest.mark.slow
def test_silence_and_freeze_alerts_on_real_media_at_the_policy_threshold(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    write_managed_policy({"crisis_silence_seconds": SILENCE_S, "crisis_freeze_seconds": FREEZE_S})
    camera = StoppableCamera("Ana")
    microphone = SwitchableSpeechSource(seed=3)
    microphone.speaking = True

    async def scenario() -> None:
        window, peer, seat = await _room_with_ana(windows, camera, microphone)
        page, live = window.live_page, window.live
        panel: CrisisPanel = page.crisis_view.panel
        alerts: list[CrisisAlert] = []
        live.crisis.alerted.connect(alerts.append)
        ana = live.members[seat]
        try:
            # Ana is heard and seen on the facilitator's side, then the panel opens.
            await wait_for(lambda: ana.speaking and ana.frames >= 10, timeout=30)
            assert page.crisis_view.open_for(seat)
            assert panel.seat == seat
            assert not panel.banner.isVisibleTo(panel)

            # Her voice really stops: silence on the wire, then the alert on the panel.
            microphone.speaking = False
            await wait_for(lambda: not ana.speaking, timeout=15)
            await wait_for(
                lambda: "has not been heard" in panel.banner.text(), timeout=SILENCE_S + 15
            )
            assert panel.banner.isVisibleTo(panel)
            assert [a.kind for a in alerts] == ["silence"]
            assert alerts[0].seconds >= SILENCE_S  # not before the policy's threshold
            assert "picture" not in panel.banner.text()  # she is still seen

            # She speaks again: the alert clears.
            microphone.speaking = True
            await wait_for(lambda: "has not been heard" not in panel.banner.text(), timeout=15)
            assert not panel.banner.isVisibleTo(panel)

            # Her camera really stops producing frames, the connection still up.
            camera.running.clear()
            await wait_for(
                lambda: "picture has not moved" in panel.banner.text(), timeout=FREEZE_S + 15
            )
            assert ana.state is PeerState.CONNECTED  # not a drop: a frozen picture
            assert [a.kind for a in alerts] == ["silence", "freeze"]
            assert alerts[1].seconds >= FREEZE_S
            assert "connection dropped" not in panel.banner.text()

            # The pictures come back: the alert clears; nothing else was raised meanwhile.
            frames = ana.frames
            camera.running.set()
            await wait_for(lambda: ana.frames > frames, timeout=15)
            await wait_for(lambda: not panel.banner.isVisibleTo(panel), timeout=15)
            assert panel.banner.text() == ""
            assert [a.kind for a in alerts] == ["silence", "freeze"]
        finally:
            camera.running.set()
            await live.crisis.close_all()
            await peer.close()
            await live.close()
            await windows.close_all()

    run(scenario())
