"""The member dialog's hints fit their fields at the dialog's default size, in both
languages (a cut hint reads as another word, or as nothing)."""

from __future__ import annotations

from typing import Any

from page_helpers import open_window, seed_log, select_group
from PySide6.QtWidgets import QApplication, QLineEdit, QStyle, QStyleOptionFrame
from ui_helpers import Run, Windows, next_emission


def _room(edit: QLineEdit) -> int:
    """The width a line edit gives its text (its contents less frame and margins)."""
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    rect = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    margins = edit.textMargins()
    return rect.width() - margins.left() - margins.right() - 4  # Qt's own 2px each side


def test_every_placeholder_fits_its_field(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        group, _people = await seed_log(windows, members=1)
        window = await open_window(windows)
        select_group(window, group.id)
        await next_emission(window.workspace.members_changed)
        dialog = window.home_page.members.dialog
        cut: dict[str, list[str]] = {}
        for lang in ("en", "fr_CA"):
            window.language_actions[lang].trigger()
            QApplication.sendPostedEvents()
            window.add_member_action.trigger()
            QApplication.sendPostedEvents()
            dialog.adjustSize()  # the size it opens at
            edits = [e for e in dialog.findChildren(QLineEdit) if e.placeholderText()]
            assert len(edits) >= 4
            cut[lang] = [
                e.placeholderText()
                for e in edits
                if e.fontMetrics().horizontalAdvance(e.placeholderText()) > _room(e)
            ]
            dialog.reject()
        assert cut == {"en": [], "fr_CA": []}
        await windows.close_all()

    run(scenario())
