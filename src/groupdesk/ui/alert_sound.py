"""A short sound for the crisis alerts, when the policy asks for one (``crisis_alert_sound``).

:class:`AlertSound` is what the crisis view asks for; :class:`ToneAlert` plays a short
two-note tone with Qt Multimedia (made on first use, so a computer without sound, or a
test that gives its own ``AlertSound``, never opens an audio device).
"""

from __future__ import annotations

import logging
import math
import struct
import tempfile
import wave
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QUrl

log = logging.getLogger(__name__)

_RATE = 22050


class AlertSound(Protocol):
    """Something that makes the alert heard."""

    def play(self) -> None:
        """Sound the alert once (short; never blocks)."""


def write_tone(path: Path) -> None:
    """Write a short two-note tone (0.4 s, soft) to ``path`` as 16-bit mono WAV."""
    frames = bytearray()
    for note, seconds in ((880.0, 0.18), (660.0, 0.22)):
        count = int(_RATE * seconds)
        for i in range(count):
            fade = min(1.0, i / 200, (count - i) / 200)
            value = 0.35 * fade * math.sin(2 * math.pi * note * i / _RATE)
            frames += struct.pack("<h", int(value * 32767))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(_RATE)
        out.writeframes(bytes(frames))


class ToneAlert(QObject):
    """The alert's tone through the default speaker (Qt Multimedia's ``QSoundEffect``)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._effect: QObject | None = None

    def play(self) -> None:
        """Play the tone (made and loaded on first use)."""
        from PySide6.QtMultimedia import QSoundEffect  # opens audio: only at need

        if self._effect is None:
            path = Path(tempfile.gettempdir()) / "groupdesk-crisis-alert.wav"
            try:
                if not path.exists():
                    write_tone(path)
            except OSError:
                log.warning("the crisis alert's tone could not be written", exc_info=True)
                return
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            effect.setVolume(0.8)
            self._effect = effect
        if isinstance(self._effect, QSoundEffect):
            self._effect.play()
