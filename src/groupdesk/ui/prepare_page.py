"""Prepare a session: group, modality, facilitators, times, who is expected, the checklist.

The start and the end are each a date and a time, so a session may end after
midnight; moving the start moves the end with it (the length stays). The
proposed times come from the workspace's clock (``Workspace.now``).

The page fills a ``SessionPlan`` and hands it to the workspace, which creates the
session in the log, saves the checklist answers and journals both. A prepared
session is what the live-session screen opens a room for
(``Workspace.open_room_requested``).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QEvent, QLocale, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core.models import MAX_NAME, Member, Modality
from groupdesk.core.policy_values import Policy
from groupdesk.core.session_plan import (
    DEFAULT_MAX_GROUP_SIZE,
    PlanProblem,
    SessionPlan,
    default_times,
    over_group_size,
)
from groupdesk.ui.checklist_panel import ChecklistPanel
from groupdesk.ui.session_kind import SessionKindChoice
from groupdesk.ui.widgets import (
    field_message,
    follow_locale,
    heading,
    local_qdatetime,
    message_label,
    notice_label,
    paragraph,
    short_time,
    show_message,
    spawn,
    tab_in_layout_order,
)
from groupdesk.ui.workspace import Workspace

_ID_ROLE = Qt.ItemDataRole.UserRole


class PreparePage(QWidget):
    """The form of a session to prepare, the facilitator's checklist, and the result.

    Signals: ``back_requested()``, ``devices_requested()``.
    """

    back_requested = Signal()
    devices_requested = Signal()
    # While the log is locked: the form's choices, by id (no names), for after_unlock.
    _kept: tuple[int | None, tuple[int, ...], QDateTime, QDateTime] | None = None

    def __init__(self, workspace: Workspace, policy: Policy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.policy = policy  # read once at start: the limits and the checklist
        self.preparation = workspace.preparation
        self.max_group_size = DEFAULT_MAX_GROUP_SIZE
        self.max_minutes = 480
        self._members: list[Member] = []
        self._saving = False
        self._start_shown: QDateTime | None = None  # the start the end last moved with

        self.back_button = QPushButton(self)
        self.title = heading(self)
        self.group = QComboBox(self)
        self.modality = QComboBox(self)
        self.modality.addItem("", str(Modality.REMOTE))
        self.modality.addItem("", str(Modality.HYBRID))
        self.facilitator = QLineEdit(self)
        self.facilitator.setMaxLength(MAX_NAME)
        self.facilitator_error = field_message(self)
        self.co_facilitator = QLineEdit(self)
        self.co_facilitator.setMaxLength(MAX_NAME)
        self.co_facilitator_error = field_message(self)
        self.date = QDateEdit(self)  # the start's date
        self.date.setCalendarPopup(True)
        self.start = QTimeEdit(self)
        self.end_date = QDateEdit(self)
        self.end_date.setCalendarPopup(True)
        self.end = QTimeEdit(self)
        self.time_error = field_message(self)
        self.expected = QListWidget(self)
        self.expected_count = QLabel(self)
        self.select_all_button = QPushButton(self)
        self.size_warning = notice_label(self)
        self.checklist = ChecklistPanel(self)
        self.devices_button = QPushButton(self)
        self.message = message_label(self)
        self.prepare_button = QPushButton(self)
        self.prepare_button.setDefault(True)
        self.result = paragraph(self)
        self.result.setObjectName("prepared")
        self.result.setStyleSheet(
            "QLabel#prepared { color: #184d1f; background: #e6f4e7;"
            " border: 1px solid #b5dcb8; border-radius: 4px; padding: 8px; }"
        )
        self.result.hide()
        self.open_room_button = QPushButton(self)
        self.open_room_button.hide()
        self.room_note = paragraph(self)
        self.room_note.hide()
        self.labels = {
            key: QLabel(self)
            for key in ("group", "kind", "modality", "facilitator", "co", "start", "end", "who")
        }
        for key, field in (
            ("group", self.group),
            ("modality", self.modality),
            ("facilitator", self.facilitator),
            ("co", self.co_facilitator),
            ("start", self.date),
            ("end", self.end_date),
            ("who", self.expected),
        ):
            self.labels[key].setBuddy(field)
        self._lay_out()
        self._connect()
        self._retranslate()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title, 1)
        left = self._form()
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.checklist)
        right_layout.addWidget(self.checklist.status)
        right_layout.addWidget(self.devices_button, 0, Qt.AlignmentFlag.AlignLeft)
        right_layout.addStretch(1)
        right_layout.addWidget(self.message)
        right_layout.addWidget(self.prepare_button, 0, Qt.AlignmentFlag.AlignRight)
        right_layout.addWidget(self.result)
        right_layout.addWidget(self.room_note)
        right_layout.addWidget(self.open_room_button, 0, Qt.AlignmentFlag.AlignRight)

        body = QWidget(self)
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addWidget(left, 3)
        columns.addSpacing(16)
        columns.addWidget(right, 2)
        scroll = QScrollArea(self)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a stop: its controls are
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(top)
        layout.addSpacing(6)
        layout.addWidget(scroll, 1)

    def _form(self) -> QWidget:
        form = QFormLayout()
        form.addRow(self.labels["group"], self.group)
        self.kind = SessionKindChoice(self)  # a group session, or a one-to-one meeting
        self.labels["kind"].setBuddy(self.kind)
        form.addRow(self.labels["kind"], self.kind)
        form.addRow(self.labels["modality"], self.modality)
        form.addRow(self.labels["facilitator"], self.facilitator)
        form.addRow("", self.facilitator_error)
        form.addRow(self.labels["co"], self.co_facilitator)
        form.addRow("", self.co_facilitator_error)
        for key, date, time in (
            ("start", self.date, self.start),
            ("end", self.end_date, self.end),
        ):
            row = QHBoxLayout()
            row.addWidget(date, 2)
            row.addWidget(time, 1)
            form.addRow(self.labels[key], row)
        form.addRow("", self.time_error)
        who_row = QHBoxLayout()
        who_row.addWidget(self.expected_count, 1)
        who_row.addWidget(self.select_all_button)
        who = QVBoxLayout()
        who.addLayout(who_row)
        who.addWidget(self.expected, 1)
        who.addWidget(self.size_warning)
        who.addWidget(self.kind.problem)
        form.addRow(self.labels["who"], who)
        left = QWidget(self)
        left.setLayout(form)
        return left

    def _connect(self) -> None:
        self.back_button.clicked.connect(self.back_requested)
        self.devices_button.clicked.connect(self.devices_requested)
        self.prepare_button.clicked.connect(self.submit)
        self.open_room_button.clicked.connect(self.open_room)
        self.select_all_button.clicked.connect(self.expect_everyone)
        self.group.activated.connect(lambda _i: spawn(self._load_members()))
        self.modality.activated.connect(lambda _i: self._expect_by_modality())
        self.expected.itemChanged.connect(lambda _item: self._update_count())
        self.expected.itemChanged.connect(lambda _item: show_message(self.kind.problem, None))
        self.facilitator.textEdited.connect(lambda _t: show_message(self.facilitator_error, None))
        self.co_facilitator.textEdited.connect(
            lambda _t: show_message(self.co_facilitator_error, None)
        )
        for edit in (self.date, self.start, self.end_date, self.end):
            edit.editingFinished.connect(lambda: show_message(self.time_error, None))
        self.date.dateChanged.connect(lambda _d: self._start_moved())
        self.start.timeChanged.connect(lambda _t: self._start_moved())
        for changed in (
            self.group.activated,
            self.kind.activated,
            self.modality.activated,
            self.facilitator.textEdited,
            self.co_facilitator.textEdited,
            self.date.dateChanged,
            self.start.timeChanged,
            self.end_date.dateChanged,
            self.end.timeChanged,
            self.expected.itemChanged,
        ):
            changed.connect(self._form_changed)
        self.preparation.session_prepared.connect(self._on_prepared)
        self.preparation.prepare_failed.connect(self._on_failed)

    # -- opening the page ------------------------------------------------------------

    async def load(self, group_id: int | None) -> None:
        """Fill the form for ``group_id``: policy, groups, members, a sensible time."""
        self.max_group_size = self.policy.max_group_size
        self.max_minutes = self.policy.session_max_minutes
        self.checklist.set_items(self.policy.facilitator_checklist)
        tab_in_layout_order(self)  # the new boxes where the checklist is shown, not last
        self.group.clear()
        for group in self.workspace.groups:
            if not group.archived:
                self.group.addItem(group.name, group.id)
        index = self.group.findData(group_id)
        self.group.setCurrentIndex(max(0, index))
        if not self.facilitator.text():
            self.facilitator.setText(await self.preparation.last_facilitator())
        self._default_times()
        for label in (self.facilitator_error, self.co_facilitator_error, self.time_error):
            show_message(label, None)
        show_message(self.message, None)
        show_message(self.kind.problem, None)
        self.result.hide()
        self.open_room_button.hide()
        self.room_note.hide()
        self.prepare_button.setEnabled(True)
        await self._load_members()

    async def before_lock(self) -> None:
        """The log locks: keep the choices by id and empty the lists that name people."""
        self._kept = (
            self.group.currentData(),
            self.expected_ids(),
            self._start_qdatetime(),
            self._end_qdatetime(),
        )
        for widget in (self.group, self.expected):
            widget.blockSignals(True)
            widget.clear()
            widget.blockSignals(False)
        self._members = []
        self.result.clear()

    async def after_unlock(self) -> None:
        """The log is open again: reload the names and put the kept choices back."""
        if self._kept is None:
            return
        group_id, expected, start, end = self._kept
        self._kept = None
        await self.load(group_id)
        self._start_shown = None  # both ends as they were; the end does not follow
        self.set_start(start)
        self.set_end(end)
        self._start_shown = self._start_qdatetime()
        self.expected.blockSignals(True)
        for row in range(self.expected.count()):
            item = self.expected.item(row)
            checked = int(item.data(_ID_ROLE)) in expected
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.expected.blockSignals(False)
        self._update_count()

    async def _load_members(self) -> None:
        group_id = self.group.currentData()
        self._members = await self.preparation.members_of(group_id) if group_id else []
        self.expected.blockSignals(True)
        self.expected.clear()
        for member in self._members:
            text = member.display_name
            if member.pseudonym:
                text = f"{member.display_name} ({member.pseudonym})"
            item = QListWidgetItem(text, self.expected)
            item.setData(_ID_ROLE, member.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        self.expected.blockSignals(False)
        self._expect_by_modality()

    def _expect_by_modality(self) -> None:
        """Expect everyone at a hybrid session; at a remote one, not who only comes in person."""
        hybrid = self.modality.currentData() == str(Modality.HYBRID)
        self.expected.blockSignals(True)
        for row, member in enumerate(self._members):
            comes = hybrid or member.modality is not Modality.IN_PERSON
            self.expected.item(row).setCheckState(
                Qt.CheckState.Checked if comes else Qt.CheckState.Unchecked
            )
        self.expected.blockSignals(False)
        self._update_count()

    def _default_times(self) -> None:
        """The next whole hour by the workspace's clock: valid at any hour."""
        start, end = default_times(self.workspace.now(), self.max_minutes)
        self._start_shown = None  # set both ends; the end does not follow this move
        self.set_start(local_qdatetime(start))
        self.set_end(local_qdatetime(end))
        self._start_shown = self._start_qdatetime()

    def _start_qdatetime(self) -> QDateTime:
        return QDateTime(self.date.date(), self.start.time())

    def _end_qdatetime(self) -> QDateTime:
        return QDateTime(self.end_date.date(), self.end.time())

    def _start_moved(self) -> None:
        """Move the end with the start, as a calendar does: the session keeps its length."""
        start = self._start_qdatetime()
        if self._start_shown is not None:
            moved = self._start_shown.secsTo(start)
            self._start_shown = start
            if moved:
                self.set_end(self._end_qdatetime().addSecs(moved))

    # -- what the person does ----------------------------------------------------------

    @property
    def checks(self) -> dict[str, QCheckBox]:
        """The checkboxes of the facilitator's checklist, by item id."""
        return self.checklist.checks

    def expect_everyone(self) -> None:
        """Check every member of the group as expected."""
        for row in range(self.expected.count()):
            self.expected.item(row).setCheckState(Qt.CheckState.Checked)

    def expected_ids(self) -> tuple[int, ...]:
        """The members checked as expected."""
        return tuple(
            int(self.expected.item(row).data(_ID_ROLE))
            for row in range(self.expected.count())
            if self.expected.item(row).checkState() == Qt.CheckState.Checked
        )

    def set_start(self, when: QDateTime) -> None:
        """Show ``when`` (local) as the start; the end moves with it."""
        self.date.setDate(when.date())
        self.start.setTime(when.time())

    def set_end(self, when: QDateTime) -> None:
        """Show ``when`` (local) as the end."""
        self.end_date.setDate(when.date())
        self.end.setTime(when.time())

    def plan(self) -> SessionPlan:
        """The session as the form describes it now."""
        start = _aware(self.date.date(), self.start.time())
        end = _aware(self.end_date.date(), self.end.time())
        group_id = self.group.currentData()
        return SessionPlan(
            group_id=int(group_id) if group_id is not None else None,
            modality=Modality(self.modality.currentData()),
            facilitator=self.facilitator.text(),
            co_facilitator=self.co_facilitator.text(),
            start=start,
            end=end,
            expected_member_ids=self.expected_ids(),
            checklist=self.checklist.answers(),
            max_minutes=self.max_minutes,
            kind=self.kind.kind(),
        )

    def submit(self) -> None:
        """Check the form; prepare the session, or say next to each field what to fix."""
        if self._saving:
            return
        plan = self.plan()
        problems = plan.problems()
        self._show_problems(problems)
        if problems:
            return
        self._saving = True
        self.prepare_button.setEnabled(False)
        show_message(self.message, None)
        spawn(self.preparation.prepare(plan, self.max_group_size))

    def open_room(self) -> None:
        """Ask for the room of the prepared session (wired by the live-session screen)."""
        if not self.checklist.complete:
            show_message(
                self.message,
                self.tr("Check every item of the checklist before you open the room."),
            )
            return
        spawn(self.preparation.request_open_room(self.checklist.answers()))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- internals ------------------------------------------------------------------

    def _show_problems(self, problems: list[PlanProblem]) -> None:
        texts = {
            PlanProblem.NO_FACILITATOR: (
                self.facilitator_error,
                self.tr("Type your name: it is recorded with the session."),
            ),
            PlanProblem.NAME_TOO_LONG: (
                self.facilitator_error,
                self.tr("This name is too long."),
            ),
            PlanProblem.SAME_FACILITATORS: (
                self.co_facilitator_error,
                self.tr("The co-facilitator is another person: leave it empty if you are alone."),
            ),
            PlanProblem.END_BEFORE_START: (
                self.time_error,
                self.tr("The session ends before it starts: choose an end after the start."),
            ),
            PlanProblem.TOO_LONG: (
                self.time_error,
                self.tr(
                    "Your organisation plans sessions of {minutes} minutes at most: "
                    "choose an earlier end."
                ).format(minutes=self.max_minutes),
            ),
            PlanProblem.NO_GROUP: (
                self.message,
                self.tr("Create a group first: a session is always for a group."),
            ),
            PlanProblem.BAD_MODALITY: (self.message, self.tr("Choose remote or hybrid.")),
        }
        for label in (self.facilitator_error, self.co_facilitator_error, self.time_error):
            show_message(label, None)
        show_message(self.message, None)
        show_message(self.kind.problem, None)
        for problem in problems:
            if problem is PlanProblem.NOT_ONE_MEMBER:
                self.kind.say_not_one(len(self.expected_ids()))
                continue
            label, text = texts[problem]
            show_message(label, text)
        focus = {
            PlanProblem.NO_FACILITATOR: self.facilitator,
            PlanProblem.NAME_TOO_LONG: self.facilitator,
            PlanProblem.SAME_FACILITATORS: self.co_facilitator,
            PlanProblem.END_BEFORE_START: self.end,
            PlanProblem.TOO_LONG: self.end,
            PlanProblem.NOT_ONE_MEMBER: self.expected,
        }
        for problem in problems:
            if problem in focus:
                focus[problem].setFocus(Qt.FocusReason.OtherFocusReason)
                break

    def _on_prepared(self, _session_id: int) -> None:
        self._saving = False
        self.prepare_button.setEnabled(False)  # once; a change to the form allows another
        self._show_result()

    def _form_changed(self, *_args: object) -> None:
        if not self._saving:
            self.prepare_button.setEnabled(True)

    def _on_failed(self) -> None:
        self._saving = False
        self.prepare_button.setEnabled(True)
        error = self.preparation.error
        show_message(
            self.message,
            error.message() if error else self.tr("The session could not be prepared."),
        )

    def _show_result(self) -> None:
        session = self.preparation.prepared
        if session is None:
            return
        locale = QLocale()
        start = local_qdatetime(session.planned_start)
        end = local_qdatetime(session.planned_end)
        if start.date() == end.date():
            text = self.tr(
                "Session prepared for {date}, {start} to {end}: saved in your log and "
                "listed with the group's sessions."
            ).format(
                date=locale.toString(start.date(), QLocale.FormatType.LongFormat),
                start=short_time(start.time()),
                end=short_time(end.time()),
            )
        else:  # after midnight: say the end's date too
            text = self.tr(
                "Session prepared from {date}, {start} to {end_date}, {end}: saved in your "
                "log and listed with the group's sessions."
            ).format(
                date=locale.toString(start.date(), QLocale.FormatType.LongFormat),
                start=short_time(start.time()),
                end_date=locale.toString(end.date(), QLocale.FormatType.LongFormat),
                end=short_time(end.time()),
            )
        self.result.setText(text)
        self.result.show()
        self.open_room_button.show()
        self.open_room_button.setEnabled(self.preparation.rooms_available)
        self.room_note.setVisible(not self.preparation.rooms_available)
        if self.preparation.rooms_available:  # the next step, one key away
            self.open_room_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_count(self) -> None:
        count = len(self.expected_ids())
        self.expected_count.setText(self.tr("Expected: {count}").format(count=count))
        if over_group_size(count, self.max_group_size):
            show_message(
                self.size_warning,
                self.tr(
                    "{count} people are expected, more than the {max} your organisation "
                    "recommends for a remote group. Turns and non-verbal cues are harder to "
                    "follow online: consider splitting the group or planning a co-facilitator."
                ).format(count=count, max=self.max_group_size),
            )
        else:
            show_message(self.size_warning, None)

    def _retranslate(self) -> None:
        self.back_button.setText(self.tr("← &Back"))
        self.back_button.setAccessibleName(self.tr("Back to the groups"))
        self.back_button.setToolTip(self.tr("Back (Alt+Left)"))
        self.title.setText(self.tr("Prepare a session"))
        names = {
            "group": (self.tr("G&roup:"), self.group, self.tr("Group")),
            "kind": (self.tr("Type of sess&ion:"), self.kind, self.tr("Type of session")),
            "modality": (self.tr("Mo&dality:"), self.modality, self.tr("Modality of the session")),
            "facilitator": (self.tr("Fa&cilitator:"), self.facilitator, self.tr("Facilitator")),
            "co": (self.tr("Co-f&acilitator:"), self.co_facilitator, self.tr("Co-facilitator")),
            "start": (self.tr("S&tart:"), self.date, self.tr("Start date")),
            "end": (self.tr("&End:"), self.end_date, self.tr("End date")),
            "who": (self.tr("E&xpected:"), self.expected, self.tr("Expected members")),
        }
        for key, (label, field, accessible) in names.items():
            self.labels[key].setText(label)
            field.setAccessibleName(accessible)
        self.start.setAccessibleName(self.tr("Start time"))
        self.end.setAccessibleName(self.tr("End time"))
        # Dates and times as the chosen language writes them (00 h 00 in French).
        for edit in (self.date, self.start, self.end_date, self.end):
            follow_locale(edit)
        self.modality.setItemText(0, self.tr("Remote"))
        self.modality.setItemText(1, self.tr("Hybrid (a room and remote participants)"))
        self.co_facilitator.setPlaceholderText(self.tr("Optional"))
        self.facilitator.setPlaceholderText(self.tr("Your name"))
        self.select_all_button.setText(self.tr("Ever&yone"))
        self.select_all_button.setAccessibleName(self.tr("Expect every member"))
        self.devices_button.setText(self.tr("Test ca&mera and microphone…"))
        self.devices_button.setAccessibleName(self.tr("Test camera, microphone and speaker"))
        self.devices_button.setToolTip(self.tr("Test your devices (Ctrl+D)"))
        self.prepare_button.setText(self.tr("&Prepare session"))
        self.prepare_button.setAccessibleName(self.tr("Prepare the session"))
        self.prepare_button.setToolTip(self.tr("Prepare the session (Ctrl+Enter)"))
        self.open_room_button.setText(self.tr("&Open the room"))
        self.open_room_button.setAccessibleName(self.tr("Open the room"))
        self.room_note.setText(
            self.tr(
                "Opening the room from GroupDesk is not available in this version yet; "
                "the prepared session is kept in your log."
            )
        )
        self._update_count()
        self._show_result()


def _aware(date: QDate, time: QTime) -> datetime:
    """A date and time of the form as a timezone-aware local datetime."""
    naive = QDateTime(date, time).toPython()
    assert isinstance(naive, datetime)
    return naive.astimezone()
