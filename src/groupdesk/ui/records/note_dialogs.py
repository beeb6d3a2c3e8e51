"""The dialogs of the notes page: signing a note, and referring a member to a resource."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core.policy_values import CrisisResource
from groupdesk.core.records.find_text import fold
from groupdesk.ui.widgets import paragraph

_ID_ROLE = Qt.ItemDataRole.UserRole


def matches(text: str, query: str) -> bool:
    """Whether every word of ``query`` is in ``text``, accents and case optional."""
    haystack = fold(text)
    return all(fold(word) in haystack for word in query.split())


class SignDialog(QDialog):
    """Asks who signs, and says that the text is then fixed (addenda only after)."""

    def __init__(self, signer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign the note"))
        self.explanation = paragraph(self)
        self.explanation.setText(
            self.tr(
                "Once signed, the note's text is fixed: it can no longer be changed. What "
                "you add later goes in dated addenda, under the original text."
            )
        )
        self.name_label = QLabel(self.tr("Signed &by:"), self)
        self.name = QLineEdit(signer, self)
        self.name.setAccessibleName(self.tr("Name of the person who signs"))
        self.name_label.setBuddy(self.name)
        self.buttons = QDialogButtonBox(self)
        self.sign_button = QPushButton(self.tr("Sign and fix the text"), self)
        self.buttons.addButton(self.sign_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.name_label)
        layout.addWidget(self.name)
        layout.addWidget(self.buttons)
        self._update()

    def signer(self) -> str:
        """The name typed."""
        return self.name.text().strip()

    def _update(self) -> None:
        self.sign_button.setEnabled(bool(self.signer()))


class ReferralDialog(QDialog):
    """The resource directory, filtered as one types (accents optional); choose one and
    add a detail if needed."""

    def __init__(
        self, resources: tuple[CrisisResource, ...], lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.resources = resources
        self.lang = lang
        self.setWindowTitle(self.tr("Refer to a resource"))
        self.filter_label = QLabel(self.tr("&Search the resources:"), self)
        self.filter = QLineEdit(self)
        self.filter.setAccessibleName(self.tr("Search the resources"))
        self.filter.setPlaceholderText(self.tr("Name, number or region"))
        self.filter_label.setBuddy(self.filter)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Resources"))
        self.empty = paragraph(self)
        self.empty.setText(self.tr("No resource matches."))
        self.detail_label = QLabel(self.tr("&Detail (optional):"), self)
        self.detail = QLineEdit(self)
        self.detail.setAccessibleName(self.tr("Detail of the referral"))
        self.detail_label.setBuddy(self.detail)
        self.buttons = QDialogButtonBox(self)
        self.refer_button = QPushButton(self.tr("Refer"), self)
        self.buttons.addButton(self.refer_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.filter.textChanged.connect(self._show)
        self.list.currentItemChanged.connect(self._update)
        self.list.itemActivated.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        widgets: tuple[QWidget, ...] = (self.filter_label, self.filter, self.list, self.empty)
        for widget in (*widgets, self.detail_label, self.detail, self.buttons):
            layout.addWidget(widget)
        self._show()

    def text_of(self, resource: CrisisResource) -> str:
        """How a resource reads in the list: name, number, region."""
        number = resource.phone or self.tr("text {number}").format(number=resource.sms)
        return self.tr("{name} — {number} — {region}").format(
            name=resource.name_in(self.lang), number=number, region=resource.region
        )

    def _show(self) -> None:
        query = self.filter.text()
        self.list.clear()
        for resource in self.resources:
            text = self.text_of(resource)
            if matches(f"{text} {resource.note_in(self.lang)}", query):
                item = QListWidgetItem(text, self.list)
                item.setData(_ID_ROLE, resource.id)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.empty.setVisible(not self.list.count())
        self._update()

    def _update(self) -> None:
        self.refer_button.setEnabled(self.chosen() is not None)

    def chosen(self) -> CrisisResource | None:
        """The resource selected (None: none)."""
        item = self.list.currentItem()
        if item is None:
            return None
        return next((r for r in self.resources if r.id == item.data(_ID_ROLE)), None)

    def detail_text(self) -> str:
        """The detail typed."""
        return self.detail.text().strip()
