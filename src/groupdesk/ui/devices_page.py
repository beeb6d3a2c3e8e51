"""Check the camera, microphone and speaker before going live (or see the stand-ins)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QHideEvent, QImage, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from groupdesk.ui.devices import DeviceTest
from groupdesk.ui.widgets import heading, notice_label, paragraph, show_message

#: The quietest level the meter shows (dBFS); below it the bar is empty.
METER_FLOOR_DBFS = -60.0


def meter_value(level_dbfs: float) -> int:
    """The meter position (0 to 100) for a level in dBFS."""
    clamped = max(METER_FLOOR_DBFS, min(0.0, level_dbfs))
    return round(100 * (clamped - METER_FLOOR_DBFS) / -METER_FLOOR_DBFS)


class DevicesPage(QWidget):
    """Pickers, a camera preview, a microphone level meter and a test sound.

    The devices run only while the page is shown. Signals: ``back_requested()``.
    """

    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.devices = DeviceTest(parent=self)
        self.back_button = QPushButton(self)
        self.title = heading(self)
        self.intro = paragraph(self)
        self.notice = notice_label(self)
        self.preview = QLabel(self)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(QSize(400, 225))
        self.preview.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.preview.setObjectName("preview")
        self.preview.setStyleSheet(
            "QLabel#preview { background: #1e1e1e; color: #d0d0d0; border-radius: 6px; }"
        )
        self.camera = QComboBox(self)
        self.microphone = QComboBox(self)
        self.speaker = QComboBox(self)
        self.meter = QProgressBar(self)
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setFixedHeight(14)
        self.play_button = QPushButton(self)
        self.speaker_note = paragraph(self)
        self.labels = {key: QLabel(self) for key in ("camera", "microphone", "level", "speaker")}
        for key, field in (
            ("camera", self.camera),
            ("microphone", self.microphone),
            ("level", self.meter),
            ("speaker", self.speaker),
        ):
            self.labels[key].setBuddy(field)
        self._lay_out()

        self.back_button.clicked.connect(self.back_requested)
        self.play_button.clicked.connect(self.play_test_sound)
        self.camera.activated.connect(self.devices.choose_camera)
        self.microphone.activated.connect(self.devices.choose_microphone)
        self.speaker.activated.connect(self.devices.choose_speaker)
        self.devices.preview_changed.connect(self._show_frame)
        self.devices.level_changed.connect(self._show_level)
        self.devices.devices_changed.connect(self._retranslate)
        self._retranslate()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title, 1)
        form = QFormLayout()
        form.addRow(self.labels["camera"], self.camera)
        form.addRow(self.labels["microphone"], self.microphone)
        form.addRow(self.labels["level"], self.meter)
        form.addRow(self.labels["speaker"], self.speaker)
        form.addRow("", self.play_button)
        form.addRow("", self.speaker_note)
        side = QFrame(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addLayout(form)
        side_layout.addStretch(1)
        side.setMinimumWidth(320)
        body = QHBoxLayout()
        body.addWidget(self.preview, 3)
        body.addSpacing(12)
        body.addWidget(side, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(top)
        layout.addWidget(self.intro)
        layout.addWidget(self.notice)
        layout.addSpacing(4)
        layout.addLayout(body, 1)

    def set_facilitator_name(self, name: str) -> None:
        """The name the test pattern shows when there is no camera."""
        if name != self.devices.facilitator_name:
            self.devices.facilitator_name = name
            if self.devices.running:
                self.devices.start()

    def play_test_sound(self) -> None:
        """Play the chime on the chosen speaker (Ctrl+T)."""
        self.devices.play_test_sound()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 -- Qt's name
        """Start the preview and the meter while the page is visible."""
        super().showEvent(event)
        self._fit_preview()
        self.devices.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 -- Qt's name
        """Release the camera and microphone as soon as the page is left."""
        self.devices.stop()
        self.meter.setValue(0)
        super().hideEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _show_frame(self, image: QImage) -> None:
        self.preview.setPixmap(QPixmap.fromImage(image))
        self._fit_preview()

    def _fit_preview(self) -> None:
        # A little smaller than the label, so that the picture never pushes it to grow.
        self.devices.preview_size = self.preview.size() - QSize(8, 8)

    def _show_level(self, level_dbfs: float) -> None:
        self.meter.setValue(meter_value(level_dbfs))

    def _fill(self, combo: QComboBox, names: list[str], current: int, missing: str) -> None:
        combo.clear()
        combo.addItems(names or [missing])
        combo.setCurrentIndex(current if names else 0)
        combo.setEnabled(bool(names))

    def _retranslate(self) -> None:
        devices = self.devices
        self.back_button.setText(self.tr("← &Back"))
        self.back_button.setAccessibleName(self.tr("Back to the previous page"))
        self.back_button.setToolTip(self.tr("Back (Alt+Left)"))
        self.title.setText(self.tr("Camera, microphone and speaker"))
        self.intro.setText(
            self.tr(
                "Check what the group will see and hear before you go live: your picture "
                "below, the bar moving when you speak, and the test sound in your headset."
            )
        )
        self._fill(
            self.camera,
            [d.description() for d in devices.cameras],
            devices.camera_index,
            self.tr("Test pattern (no camera found)"),
        )
        self._fill(
            self.microphone,
            [d.description() for d in devices.microphones],
            devices.microphone_index,
            self.tr("Test audio (no microphone found)"),
        )
        self._fill(
            self.speaker,
            [d.description() for d in devices.speakers],
            devices.speaker_index,
            self.tr("No speaker found"),
        )
        self.labels["camera"].setText(self.tr("&Camera:"))
        self.labels["microphone"].setText(self.tr("&Microphone:"))
        self.labels["level"].setText(self.tr("Level:"))
        self.labels["speaker"].setText(self.tr("&Speaker:"))
        self.camera.setAccessibleName(self.tr("Camera"))
        self.microphone.setAccessibleName(self.tr("Microphone"))
        self.speaker.setAccessibleName(self.tr("Speaker"))
        self.meter.setAccessibleName(self.tr("Microphone level"))
        self.preview.setAccessibleName(self.tr("Camera preview"))
        if self.preview.pixmap().isNull():
            self.preview.setText(self.tr("Starting the preview…"))
        self.play_button.setText(self.tr("&Play a test sound"))
        self.play_button.setAccessibleName(self.tr("Play a test sound"))
        self.play_button.setToolTip(self.tr("Play a test sound (Ctrl+T)"))
        self.play_button.setEnabled(bool(devices.speakers))
        self.speaker_note.setText(
            self.tr("No speaker or headset was found: plug one in to hear the test sound.")
        )
        self.speaker_note.setVisible(not devices.speakers)
        show_message(self.notice, self._notice_text())

    def _notice_text(self) -> str | None:
        if self.devices.failed:
            return self.tr(
                "Your camera or microphone was found but could not be opened: another program "
                "may be using it. Close that program, then come back to this page."
            )
        no_video, no_audio = self.devices.synthetic_video, self.devices.synthetic_audio
        if no_video and no_audio:
            return self.tr(
                "No camera or microphone was found on this computer. GroupDesk shows a test "
                "pattern with your name and the meter follows speech-like test audio, so you "
                "can still rehearse. In a session, participants would see the test pattern "
                "and hear nothing from you: use the chat."
            )
        if no_video:
            return self.tr(
                "No camera was found on this computer. GroupDesk shows a test pattern with "
                "your name instead; participants would see it."
            )
        if no_audio:
            return self.tr(
                "No microphone was found on this computer. The meter follows speech-like "
                "test audio instead; in a session, participants would hear nothing from you."
            )
        return None
