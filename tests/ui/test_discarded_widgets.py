"""Widgets the app removes (crisis steps, dropped-call rows) are deleted by Qt alone.

Handing such a widget to Python (``setParent(None)``) and then to Qt's deferred delete
made both delete it: the full suite crashed with a segmentation fault in Shiboken's
``releaseWrapper`` from ``~QWidget`` (a core dump of tests/ui/test_live_crisis_media.py,
after test_a11y_screens). ``widgets.discard`` keeps Qt the only owner.
"""

from __future__ import annotations

import re
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QFrame, QVBoxLayout, QWidget

from groupdesk.ui.widgets import discard

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_a_discarded_widget_leaves_at_once_and_qt_alone_deletes_it(qapp: QApplication) -> None:
    window = QWidget()
    layout = QVBoxLayout(window)
    row = QFrame(window)
    box = QCheckBox(row)
    layout.addWidget(row)
    window.show()
    box.setFocus()

    discard(layout, row)

    assert layout.indexOf(row) == -1
    assert not row.isVisible()  # nor reached by Tab
    assert row.parent() is window  # still Qt's to delete, not Python's
    assert not shiboken6.ownedByPython(row)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(row)
    assert not shiboken6.isValid(box)
    window.close()


def test_no_widget_is_handed_to_python_before_its_deferred_delete() -> None:
    sources = sorted((REPO_ROOT / "src" / "groupdesk" / "ui").rglob("*.py"))
    assert sources
    handed = [
        f"{path.relative_to(REPO_ROOT)}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.setParent\(\s*None\s*\)", line)
    ]
    assert handed == [], "use widgets.discard(layout, widget) instead"
