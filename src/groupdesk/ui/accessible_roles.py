"""Roles for our own painted widgets, so a screen reader says what they are.

Qt gives a plain ``QWidget`` subclass the role "client" (nothing to say). A widget class
registered here gets the role given instead, through Qt's accessibility factory.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget, QWidget

_ROLES: dict[type[QWidget], QAccessible.Role] = {}


class _RoleAccessible(QAccessibleWidget):
    """The widget's ordinary accessible interface, with a real role."""

    def __init__(self, widget: QWidget, role: QAccessible.Role) -> None:
        super().__init__(widget, role)


def _factory(_key: str, obj: QObject) -> QAccessibleInterface | None:
    if isinstance(obj, QWidget):
        for kind, role in _ROLES.items():
            if isinstance(obj, kind):
                return _RoleAccessible(obj, role)
    return None


def give_role(kind: type[QWidget], role: QAccessible.Role) -> None:
    """Widgets of ``kind`` have ``role`` for assistive technologies (idempotent)."""
    first = not _ROLES
    _ROLES[kind] = role
    if first:
        QAccessible.installFactory(_factory)
