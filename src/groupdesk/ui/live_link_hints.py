"""What the live page says about the call's links (facilitator and participant mode).

:class:`RelayMissingNotice`: the room is relay-only (policy ``ice_relay_only``) but the
server handed out no TURN server, so no audio or video can connect; said plainly
rather than left as tiles that stay "connecting".

:class:`AudioOnlyHint`: the gentle, dismissible suggestion to go audio only when the
worst link stays weak. The rule is the core's :class:`~groupdesk.core.call_quality.
AudioOnlyAdvice` (smoothed, with hysteresis, the web page's twin), read with the loss
and round trip of every connected link, the same readings the tiles' bars come from,
on the hint's ``clock``. Audio only here is what the live screen can do: our camera
off, and the others asked for no video; video comes back with one button.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from groupdesk.core.call_quality import AudioOnlyAdvice
from groupdesk.media.call import MediaCall
from groupdesk.media.events import MediaEvent, PeerState, PeerStateChanged, PeerStats
from groupdesk.ui.live_notice import LiveNotice
from groupdesk.ui.live_session import LiveSession, LiveStage
from groupdesk.ui.widgets import spawn


class RelayMissingNotice(LiveNotice):
    """Says when a relay-only call cannot connect."""

    def text(self) -> str:
        """What the person reads now ("": nothing to say)."""
        live = self.live
        if live.stage is not LiveStage.LIVE or not live.call.relay_without_turn:
            return ""
        if live.facilitator:
            return self.tr(
                "Audio and video cannot connect: your organisation's policy allows "
                "connections through a relay server only (so that members never see each "
                "other's address), and the signalling server offers none. Ask your "
                "administrator to set up TURN (groupdesk-server --turn). The chat works."
            )
        return self.tr(
            "Audio and video cannot connect: this group connects only through the "
            "organisation's relay server, and none is set up. The chat still works."
        )


class AudioOnlyHint(QObject):
    """The audio-only suggestion on ``parent``: ``box`` with a switch and a dismiss button.

    ``on_media`` takes the mesh's events (subscribed by itself to each new mesh); tests
    feed it directly, with their own ``clock``.
    """

    def __init__(
        self,
        live: LiveSession,
        parent: QWidget,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.live = live
        self.clock = clock
        self.advice = AudioOnlyAdvice()
        self.dismissed = False
        """Dismissed while shown: stays hidden until the advice ends and comes back."""
        self.audio_only = False
        """We switched: our camera is off and the others send us no video."""
        self._links: dict[str, tuple[float | None, float | None]] = {}
        """The last (loss, round trip) of each connected link."""
        self._mesh: MediaCall | None = None
        self._unsubscribe: Callable[[], None] | None = None

        self.box = QFrame(parent)
        self.box.setObjectName("audioOnlyHint")
        self.box.setStyleSheet(
            "QFrame#audioOnlyHint { background: #eef4fb; border: 1px solid #b6cde8;"
            " border-radius: 4px; }"
        )
        self.text = QLabel(self.box)
        self.text.setWordWrap(True)
        self.switch_button = QPushButton(self.box)
        self.dismiss_button = QPushButton(self.box)
        self.video_button = QPushButton(self.box)
        buttons = QHBoxLayout()
        for button in (self.switch_button, self.video_button, self.dismiss_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self.box)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self.box.hide()
        self.box.installEventFilter(self)
        self.switch_button.clicked.connect(lambda: spawn(self.switch_to_audio_only()))
        self.video_button.clicked.connect(lambda: spawn(self.video_again()))
        self.dismiss_button.clicked.connect(self.dismiss)
        live.changed.connect(self._follow_mesh)
        self.retranslate()

    # -- readings ------------------------------------------------------------------------

    def _follow_mesh(self) -> None:
        """A new mesh (admitted) is listened to; none (hung up): everything starts over."""
        mesh = self.live.mesh
        if mesh is self._mesh:
            return
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._mesh = mesh
        self.advice, self._links = AudioOnlyAdvice(), {}
        self.dismissed = self.audio_only = False
        if mesh is not None:
            self._unsubscribe = mesh.events.subscribe(self.on_media)
        self.refresh()

    def on_media(self, event: MediaEvent) -> None:
        """A link's state or figures: a new reading of the worst connected link."""
        if isinstance(event, PeerStateChanged):
            if event.state is not PeerState.CONNECTED:
                self._links.pop(event.member_id, None)
            else:
                self._links.setdefault(event.member_id, (None, None))
            return
        if not isinstance(event, PeerStats) or event.member_id not in self._links:
            return
        self._links[event.member_id] = (event.loss, event.rtt_s)
        losses = [loss for loss, _ in self._links.values() if loss is not None]
        rtts = [rtt for _, rtt in self._links.values() if rtt is not None]
        was_shown = self.advice.shown
        shown = self.advice.reading(
            self.clock(), max(losses) if losses else None, max(rtts) if rtts else None
        )
        if was_shown and not shown:
            self.dismissed = False  # a later bad spell may be suggested again
        self.refresh()

    # -- actions -------------------------------------------------------------------------

    def dismiss(self) -> None:
        """Not now: hide the suggestion for this bad spell."""
        self.dismissed = True
        self.refresh()

    async def switch_to_audio_only(self) -> None:
        """Our camera off, and ask the others for no video."""
        self.audio_only = True
        self.refresh()
        await self.live.set_camera_off(True)
        mesh = self.live.mesh
        if mesh is not None:
            await mesh.set_receive_video(False)

    async def video_again(self) -> None:
        """Receive the others' video again (our camera stays as the camera button says)."""
        self.audio_only = False
        self.dismissed = True  # the person chose: no suggestion again for this spell
        self.refresh()
        mesh = self.live.mesh
        if mesh is not None:
            await mesh.set_receive_video(True)

    # -- view ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """The box as things are: the suggestion, the audio-only state, or nothing."""
        suggest = self.advice.shown and not self.dismissed and not self.audio_only
        self.switch_button.setVisible(suggest)
        self.dismiss_button.setVisible(suggest)
        self.video_button.setVisible(self.audio_only)
        self._say()
        self.box.setVisible(suggest or self.audio_only)

    def _say(self) -> None:
        if self.audio_only:
            text = self.tr("Audio only: you are not sending or receiving video.")
        else:
            text = self.tr(
                "Your connection seems weak. Audio only might keep the conversation clearer."
            )
        self.text.setText(text)
        self.box.setAccessibleName(text)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.switch_button.setText(self.tr("Switch to audio only"))
        self.switch_button.setAccessibleName(self.switch_button.text().replace("&", ""))
        self.dismiss_button.setText(self.tr("Not now"))
        self.dismiss_button.setAccessibleName(self.tr("Hide the audio-only suggestion"))
        self.video_button.setText(self.tr("Receive video again"))
        self.video_button.setAccessibleName(self.video_button.text().replace("&", ""))
        self._say()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 -- Qt's name
        """The interface's language changed: say it again in the new one."""
        if watched is self.box and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False
