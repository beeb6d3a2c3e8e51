"""The live page's "In the room" panel (hybrid sessions) and the one-to-one title.

In a hybrid session some expected members sit in the room with the facilitator rather
than on the call. The facilitator ticks them in a side tab, "Who is in the room?": each
tick opens a stay marked ``in_room`` at that time, an untick closes it, and the end of
the session closes those still open (:meth:`~groupdesk.ui.live_record.LiveRecord.
mark_in_room`). Who may be ticked is the core's rule
(:func:`~groupdesk.core.records.in_room.room_candidates`). A one-to-one meeting says so
in the page's title. Nothing is decided here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from groupdesk.core.models import Modality, Session, SessionKind
from groupdesk.core.records.in_room import room_candidates
from groupdesk.ui.live_session import LiveSession, LiveStage
from groupdesk.ui.live_tabs import SideTabs
from groupdesk.ui.widgets import paragraph, spawn

_ID_ROLE = Qt.ItemDataRole.UserRole


class InRoomPanel(QWidget):
    """A sentence and the list of members to tick as present in the room."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.about = paragraph(self)
        self.members = QListWidget(self)
        self.empty = paragraph(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addWidget(self.members, 1)
        layout.addWidget(self.empty)


class LiveInRoomView(QObject):
    """The "In the room" tab of ``live`` on a live page, and the one-to-one title.

    ``now``: the clock the marks are dated by (tests pass their own).
    """

    def __init__(
        self,
        live: LiveSession,
        page: QWidget,
        *,
        tabs: SideTabs,
        title: QLabel,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(page)
        self.live, self.tabs, self.title = live, tabs, title
        self.now = now or (lambda: datetime.now(UTC))
        self.panel = InRoomPanel(page)
        tabs.addTab(self.panel, "")
        self.panel.members.itemChanged.connect(self._ticked)
        live.changed.connect(self.refresh)
        live.members_changed.connect(self.refresh)
        self.refresh()

    @property
    def session(self) -> Session | None:
        """The session of the room (None: not a facilitator's room with its record)."""
        record = self.live.record
        return record.session if record is not None and self.live.facilitator else None

    def shown(self) -> bool:
        """Whether the tab is offered: a facilitator's live hybrid session."""
        session = self.session
        return (
            session is not None
            and session.modality is Modality.HYBRID
            and self.live.stage is LiveStage.LIVE
        )

    def marked(self) -> frozenset[int]:
        """The members marked present in the room now (ids)."""
        record = self.live.record
        return record.in_room if record is not None else frozenset()

    def mark(self, member_id: int, present: bool = True) -> None:
        """Mark ``member_id`` present in the room now (or no longer)."""
        spawn(self._mark(member_id, present))

    async def _mark(self, member_id: int, present: bool) -> None:
        record = self.live.record
        if record is not None:
            await record.mark_in_room(member_id, self.now(), present)
        self.refresh()

    def _ticked(self, item: QListWidgetItem) -> None:
        member_id = int(item.data(_ID_ROLE))
        present = item.checkState() == Qt.CheckState.Checked
        if present != (member_id in self.marked()):
            self.mark(member_id, present)

    def refresh(self) -> None:
        """The list, the tab and the title as they are now."""
        self._show_title()
        index = self.tabs.indexOf(self.panel)
        shown = self.shown()
        self.tabs.setTabVisible(index, shown)
        marked = self.marked()
        self.tabs.setTabText(index, self.tr("In the room ({count})").format(count=len(marked)))
        if not shown:
            return
        session = self.session
        assert session is not None
        on_call = {
            m.log_member_id for m in self.live.members.values() if m.log_member_id is not None
        }
        ids = room_candidates(session.modality, self.live.expected, on_call, marked)
        members = self.panel.members
        current = members.currentRow()
        members.blockSignals(True)
        members.clear()
        for member_id in ids:
            name = self.live.member_name(member_id) or "?"
            present = member_id in marked
            text = self.tr("{name} — in the room").format(name=name) if present else name
            item = QListWidgetItem(text, members)
            item.setData(_ID_ROLE, member_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if present else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
        if 0 <= current < members.count():
            members.setCurrentRow(current)
        members.blockSignals(False)
        self.panel.empty.setVisible(not ids)

    def _show_title(self) -> None:
        session = self.session
        if session is None or session.kind is not SessionKind.INDIVIDUAL:
            if session is not None:  # a group session after a one-to-one on this page
                self.title.setText(self.tr("Live session"))
            return
        names = [self.live.member_name(m) for m in sorted(self.live.expected)]
        self.title.setText(
            self.tr("One-to-one meeting with {name}").format(name=", ".join(n for n in names if n))
        )

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.panel.about.setText(
            self.tr(
                "Who is in the room? Tick the members present in the room with you: they "
                "are marked present from now until you untick them or the session ends."
            )
        )
        self.panel.members.setAccessibleName(self.tr("Who is in the room"))
        self.panel.empty.setText(
            self.tr("Every member expected is on the call: nobody to mark in the room.")
        )
        self.refresh()
