"""A confidentiality checklist from the policy: one checkbox per item, in the person's language."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from groupdesk.core.i18n import get_language
from groupdesk.core.policy_values import ChecklistItem
from groupdesk.ui.widgets import paragraph


class ChecklistPanel(QGroupBox):
    """The items of a policy checklist (``facilitator_checklist``...) and how many are checked.

    Signals: ``changed()`` when an item is checked or unchecked.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[ChecklistItem] = []
        self.checks: dict[str, QCheckBox] = {}
        self.box_layout = QVBoxLayout(self)
        #: Said under the box: how far the person is (the page places it).
        self.status: QLabel = paragraph(parent or self)
        self._retranslate()

    def set_items(self, items: Sequence[ChecklistItem]) -> None:
        """Show these items (from the policy), all unchecked."""
        for box in self.checks.values():
            self.box_layout.removeWidget(box)
            box.deleteLater()
        self.items = list(items)
        self.checks = {}
        for item in self.items:
            box = QCheckBox(self)
            box.toggled.connect(self._on_toggled)
            self.box_layout.addWidget(box)
            self.checks[item.id] = box
        self._retranslate()

    def answers(self) -> dict[str, bool]:
        """Each item id with whether it is checked."""
        return {item_id: box.isChecked() for item_id, box in self.checks.items()}

    @property
    def complete(self) -> bool:
        """Every item is checked."""
        return bool(self.checks) and all(box.isChecked() for box in self.checks.values())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _on_toggled(self, _on: bool) -> None:
        self._show_status()
        self.changed.emit()

    def _show_status(self) -> None:
        done = sum(box.isChecked() for box in self.checks.values())
        if self.complete:
            text = self.tr("Checklist complete.")
        else:
            text = self.tr("Checked: {done} of {total}. You can prepare now and finish it later.")
            text = text.format(done=done, total=len(self.checks))
        self.status.setText(text)

    def _retranslate(self) -> None:
        self.setTitle(self.tr("Before you open the room"))
        self.setAccessibleName(self.tr("Confidentiality checklist"))
        lang = get_language()
        for item in self.items:
            text = item.text_in(lang)
            box = self.checks[item.id]
            box.setText(text)
            box.setAccessibleName(text)
        self._show_status()
