"""Joining as a participant (the link and a name), the devices a live session uses,
and the facilitator credential of an organisation's server (in the OS keyring)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from concurrent.futures import ThreadPoolExecutor

import keyring
import keyring.errors
from PySide6.QtMultimedia import QMediaDevices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from groupdesk.media.sources import (
    AudioSource,
    SpeechLikeAudioSource,
    TestPatternSource,
    VideoSource,
)
from groupdesk.ui.devices import (
    PATTERN_SIZE,
    QtCameraSource,
    QtMicrophoneSource,
    remembered_index,
)
from groupdesk.ui.live_call import SourcesFactory
from groupdesk.ui.live_session import LiveSession

log = logging.getLogger(__name__)

# The keyring service under which facilitator credentials are kept, per server.
CREDENTIAL_SERVICE = "GroupDesk facilitator"

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="groupdesk-camera")


class JoinDialog(QDialog):
    """The invite link and the name to show; accepted when both are filled.

    ``server_url``: the organisation's server (the policy's); with one, a facilitator may
    join as co-facilitator, signed in with their own credential (no lobby for them).
    """

    def __init__(self, parent: QWidget | None = None, server_url: str = "") -> None:
        super().__init__(parent)
        self.link_field = QLineEdit(self)
        self.name_field = QLineEdit(self)
        self.name_field.setMaxLength(64)
        self.co_box = QCheckBox(self.tr("I co-facilitate this session"), self)
        self.co_box.setEnabled(bool(server_url))
        self.co_box.setToolTip(
            self.tr("You sign in to your organisation's server and join without waiting.")
            if server_url
            else self.tr(
                "Co-facilitating needs your organisation's server (set by its policy); on "
                "this computer you can join as a participant."
            )
        )
        self.co_box.setAccessibleDescription(self.co_box.toolTip())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Invite link:"), self.link_field)
        form.addRow(self.tr("Your name:"), self.name_field)
        form.addRow(self.co_box)
        form.addRow(buttons)
        self.setWindowTitle(self.tr("Join a session as participant"))
        self.link_field.setAccessibleName(self.tr("Invite link"))
        self.name_field.setAccessibleName(self.tr("Your name"))
        self.link_field.setPlaceholderText("https://…/join#r=…&k=…")

    def link(self) -> str:
        """The invite link typed or pasted."""
        return self.link_field.text().strip()

    def name(self) -> str:
        """The name to show the others."""
        return self.name_field.text().strip()

    def co_facilitating(self) -> bool:
        """Whether to join as co-facilitator."""
        return self.co_box.isEnabled() and self.co_box.isChecked()

    def _accept(self) -> None:
        if self.link() and self.name():
            self.accept()


def device_sources(live: LiveSession) -> SourcesFactory:
    """The camera and microphone chosen on the device check (the first ones when none was
    chosen or the one chosen is gone), or a test pattern and silence when there are none.
    The same for the facilitator and in participant mode.

    A device that exists but cannot be opened is named in ``live.device_failures``
    so the live screen says so (the others then see the test pattern, hear nothing).
    """

    def make() -> tuple[VideoSource | None, AudioSource | None]:
        me = live.member(live.self_seat)
        name = me.name if me else (live.display_name or "GroupDesk")
        video: VideoSource | None = None
        audio: AudioSource | None = None
        cameras = QMediaDevices.videoInputs()
        microphones = QMediaDevices.audioInputs()
        live.device_failures.clear()
        if cameras:
            try:
                video = QtCameraSource(cameras[remembered_index("camera", cameras)], _executor)
            except Exception:  # in use by another program, unplugged...: say so, go on
                log.exception("the camera could not be opened")
                live.device_failures.add("camera")
        if microphones:
            try:
                audio = QtMicrophoneSource(microphones[remembered_index("microphone", microphones)])
            except Exception:
                log.exception("the microphone could not be opened")
                live.device_failures.add("microphone")
        video = video or TestPatternSource(
            name, PATTERN_SIZE.width(), PATTERN_SIZE.height(), fps=15
        )
        audio = audio or SpeechLikeAudioSource(seed=3, talk_ratio=0.0)
        return video, audio

    return make


def _stored(server_url: str) -> tuple[str, str]:
    try:
        stored = keyring.get_password(CREDENTIAL_SERVICE, server_url)
    except keyring.errors.KeyringError:
        return "", ""
    if not stored or "\n" not in stored:
        return "", ""
    account, credential = stored.split("\n", 1)
    return account, credential


async def facilitator_credential(server_url: str) -> tuple[str, str]:
    """``(account, credential)`` kept for ``server_url`` in the OS keyring, or empty strings."""
    if not server_url:
        return "", ""
    return await asyncio.to_thread(_stored, server_url)


async def keep_facilitator_credential(server_url: str, account: str, credential: str) -> bool:
    """Keep a facilitator credential that worked in the OS keyring; False if it cannot."""

    def store() -> bool:
        try:
            keyring.set_password(CREDENTIAL_SERVICE, server_url, f"{account}\n{credential}")
        except keyring.errors.KeyringError:
            return False
        return True

    return await asyncio.to_thread(store)


class CredentialDialog(QDialog):
    """The facilitator account and credential for the organisation's server (asked once)."""

    def __init__(self, server_url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.account_field = QLineEdit(self)
        self.credential_field = QLineEdit(self)
        self.credential_field.setEchoMode(QLineEdit.EchoMode.Password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Server:"), QLabel(server_url, self))
        form.addRow(self.tr("Facilitator account:"), self.account_field)
        form.addRow(self.tr("Credential:"), self.credential_field)
        form.addRow(buttons)
        self.setWindowTitle(self.tr("Sign in to your organisation's server"))
        self.account_field.setAccessibleName(self.tr("Facilitator account"))
        self.credential_field.setAccessibleName(self.tr("Facilitator credential"))
        self.credential_field.setToolTip(
            self.tr("Kept in this computer's keyring once the server accepts it.")
        )

    def values(self) -> tuple[str, str]:
        """The account and the credential typed."""
        return self.account_field.text().strip(), self.credential_field.text().strip()

    def _accept(self) -> None:
        if all(self.values()):
            self.accept()


async def ask_credential(server_url: str, parent: QWidget) -> tuple[str, str] | None:
    """Ask for the facilitator credential without blocking the loop; None if cancelled."""
    dialog = CredentialDialog(server_url, parent)
    answer: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def finished(result: int) -> None:
        if not answer.done():
            answer.set_result(result)

    dialog.finished.connect(finished)
    dialog.open()
    try:
        accepted = await answer == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()
    return dialog.values() if accepted else None


async def forget_facilitator_credential(server_url: str) -> None:
    """Forget a credential the server refused (the next opening asks again)."""

    def forget() -> None:
        with contextlib.suppress(keyring.errors.KeyringError):
            keyring.delete_password(CREDENTIAL_SERVICE, server_url)

    await asyncio.to_thread(forget)
