"""The Qt half of ``groupdesk --self-test``: the platform plugin, Qt Multimedia, the .qm files.

Kept here because only ``ui`` (and ``app``) may import Qt; :mod:`groupdesk.selftest`
calls these and words the result.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtMultimedia import QMediaDevices, QMediaFormat
from PySide6.QtWidgets import QApplication

from groupdesk.ui.language import translation_catalogue

#: A message the French catalogue must translate, and how (the About box's title).
PROBE_CONTEXT, PROBE_SOURCE, PROBE_FRENCH = "MainWindow", "About GroupDesk", "À propos de GroupDesk"


@dataclass(frozen=True, slots=True)
class Devices:
    """What Qt Multimedia found: the platform plugin, the devices, the decoders."""

    platform: str
    cameras: int
    microphones: int
    speakers: int
    decoders: int


def application() -> QApplication:
    """The running QApplication, or a new one (this loads the platform plugin)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    return QApplication([sys.argv[0] if sys.argv else "groupdesk"])


def media_devices() -> Devices:
    """List the cameras, microphones and speakers, and count the decoders of the backend.

    No decoder at all means Qt Multimedia found no backend (its FFmpeg plugin is missing
    from the program); zero devices is normal on a machine without any.
    """
    app = application()
    decoders = QMediaFormat().supportedVideoCodecs(QMediaFormat.ConversionMode.Decode)
    return Devices(
        platform=app.platformName(),
        cameras=len(QMediaDevices.videoInputs()),
        microphones=len(QMediaDevices.audioInputs()),
        speakers=len(QMediaDevices.audioOutputs()),
        decoders=len(decoders),
    )


@dataclass(frozen=True, slots=True)
class QtCatalogues:
    """Whether GroupDesk's French .qm is there and translates, and whether Qt's own is."""

    groupdesk_found: bool
    groupdesk_translates: bool
    qt_found: bool


def french_catalogues() -> QtCatalogues:
    """Load ``groupdesk_fr_CA.qm`` and Qt's ``qtbase_fr`` the way the app does."""
    application()
    data = translation_catalogue("fr_CA")
    translates = False
    if data is not None:
        ours = QTranslator()
        if ours.load(data):
            translates = ours.translate(PROBE_CONTEXT, PROBE_SOURCE) == PROBE_FRENCH
    qt = QTranslator()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    locale = QLocale(QLocale.Language.French, QLocale.Country.Canada)
    return QtCatalogues(
        groupdesk_found=data is not None,
        groupdesk_translates=translates,
        qt_found=qt.load(locale, "qtbase", "_", folder),
    )
