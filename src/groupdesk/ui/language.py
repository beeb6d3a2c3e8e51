"""Qt translators for the chosen language, kept in step with ``core.i18n``."""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator, Signal

from groupdesk.core import i18n

#: The display name of each language, in that language (never translated).
LANGUAGE_NAMES = {"en": "English", "fr_CA": "Français"}

_QT_LOCALES = {
    "en": QLocale(QLocale.Language.English, QLocale.Country.Canada),
    "fr_CA": QLocale(QLocale.Language.French, QLocale.Country.Canada),
}


def translation_catalogue(lang: str) -> bytes | None:
    """The compiled GroupDesk catalogue (``i18n/groupdesk_<lang>.qm``), if there is one."""
    entry = resources.files("groupdesk").joinpath(f"i18n/groupdesk_{lang}.qm")
    return entry.read_bytes() if entry.is_file() else None


class LanguageSwitcher(QObject):
    """Installs the translators of one language at a time.

    Installing or removing a translator makes Qt send ``LanguageChange`` to every
    widget; widgets retranslate themselves in ``changeEvent``. Messages that do
    not come from Qt (errors raised below the UI) follow through ``core.i18n``.

    Signals: ``language_changed(str)`` after a switch, with the new language.
    """

    language_changed = Signal(str)

    def __init__(self, app: QCoreApplication, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._language = ""
        self._translators: list[QTranslator] = []
        # QTranslator.load(bytes) does not copy: the bytes must outlive the translator.
        self._catalogues: list[bytes] = []

    def language(self) -> str:
        """The language in use (empty before the first ``set_language``)."""
        return self._language

    def set_language(self, lang: str) -> None:
        """Use ``lang`` for every message from now on, and retranslate open windows."""
        if lang not in i18n.LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}")
        if lang == self._language:
            return
        # Core messages first: widgets re-read them while handling LanguageChange.
        i18n.set_language(lang)
        QLocale.setDefault(_QT_LOCALES[lang])
        for translator in self._translators:
            self._app.removeTranslator(translator)
        self._translators.clear()
        self._catalogues.clear()
        if lang != "en":  # the source strings are English
            self._install_qt_catalogue(lang)
            self._install_groupdesk_catalogue(lang)
        self._language = lang
        self.language_changed.emit(lang)

    def _install_qt_catalogue(self, lang: str) -> None:
        """Qt's own strings (standard buttons, text field menus), when Qt ships them."""
        translator = QTranslator(self)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(_QT_LOCALES[lang], "qtbase", "_", folder):
            self._app.installTranslator(translator)
            self._translators.append(translator)

    def _install_groupdesk_catalogue(self, lang: str) -> None:
        data = translation_catalogue(lang)
        if data is None:
            return
        translator = QTranslator(self)
        if translator.load(data):
            self._catalogues.append(data)
            self._app.installTranslator(translator)
            self._translators.append(translator)
