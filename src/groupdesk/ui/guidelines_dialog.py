"""The organisation's guidelines (Help menu), with their links opening in the browser.

Only ``https://`` addresses of the text become links (``core/guidelines.py``); a link is
checked again when it is followed, so nothing else is ever handed to the browser.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from groupdesk.core import i18n
from groupdesk.core.policy_values import Guidelines

#: Opens an address in the person's browser (tests pass their own).
UrlOpener = Callable[[QUrl], object]


def guidelines_html(guidelines: Guidelines, lang: str) -> str:
    """The text in ``lang`` as HTML (every character escaped, https addresses as links),
    then the policy's listed links under their titles."""
    out = []
    for kind, part in guidelines.parts(lang):
        escaped = html.escape(part)
        if kind == "link":
            out.append(f'<a href="{html.escape(part, quote=True)}">{escaped}</a>')
        else:
            out.append(escaped.replace("\n", "<br>"))
    if guidelines.links:
        items = "".join(
            f'<li><a href="{html.escape(link.url, quote=True)}">'
            f"{html.escape(link.title_in(lang))}</a></li>"
            for link in guidelines.links
        )
        out.append(f"<ul>{items}</ul>")
    return "".join(out)


class GuidelinesDialog(QDialog):
    """The organisation's guidelines, in the interface's language."""

    def __init__(
        self,
        guidelines: Guidelines,
        parent: QWidget | None = None,
        *,
        open_url: UrlOpener = QDesktopServices.openUrl,
    ) -> None:
        super().__init__(parent)
        self.guidelines = guidelines
        self.open_url = open_url
        self.resize(560, 420)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)  # followed by ``follow``, https only
        self.browser.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.browser.anchorClicked.connect(self.follow)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.retranslate()
        self.browser.setFocus()

    def follow(self, url: QUrl) -> bool:
        """Open ``url`` in the browser if it is an https address; True when opened."""
        if url.scheme().lower() != "https" or not url.host():
            return False
        self.open_url(url)
        return True

    def retranslate(self) -> None:
        """The title and the text in the current language."""
        self.setWindowTitle(self.tr("Your organisation's guidelines"))
        self.browser.setAccessibleName(self.windowTitle())
        self.browser.setHtml(guidelines_html(self.guidelines, i18n.get_language()))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
