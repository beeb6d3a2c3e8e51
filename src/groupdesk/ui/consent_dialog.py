"""The consent screen: the text of the consent to remote work, and recording a member's.

The facilitator shows or reads the organisation's text (in the language in use) to
the member, then records that they consented and how: in person, by phone, or on
the participant page. A consent is to one version of the text; when the
organisation changes it, every member is asked again.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core import i18n
from groupdesk.core.models import Consent, ConsentMethod, ConsentStatus, Member
from groupdesk.ui.widgets import heading, message_label, paragraph, show_message, spawn
from groupdesk.ui.workspace import Workspace


def read_only_text(parent: QWidget) -> QPlainTextEdit:
    """A long text to read (and select), never to edit; reachable by keyboard."""
    view = QPlainTextEdit(parent)
    view.setReadOnly(True)
    view.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    view.setTabChangesFocus(True)
    view.setMinimumHeight(260)
    return view


def method_name(method: ConsentMethod) -> str:
    """How a consent was given, in the current language."""
    translate = QCoreApplication.translate
    return {
        ConsentMethod.IN_PERSON: translate("Consent", "in person"),
        ConsentMethod.PHONE: translate("Consent", "by phone"),
        ConsentMethod.PAGE: translate("Consent", "on the participant page"),
    }[method]


def consent_standing(member: Member, latest: Consent | None, version: str) -> str:
    """Where a member stands with the current text, in a few words (the members table)."""
    translate = QCoreApplication.translate
    if member.consent is ConsentStatus.WITHDRAWN:
        return translate("Consent", "Withdrawn")
    if latest is None or member.consent is not ConsentStatus.GIVEN:
        if member.consent is ConsentStatus.GIVEN:  # set by hand, before texts had versions
            return translate("Consent", "Needed: no text on record")
        return translate("Consent", "Needed: not given yet")
    when = latest.given_at.astimezone().strftime("%Y-%m-%d")
    if latest.version != version:
        return translate("Consent", "Needed: version {old} only ({date})").format(
            old=latest.version, date=when
        )
    return translate("Consent", "Given {date}, {how}").format(
        date=when, how=method_name(latest.method)
    )


class ConsentDialog(QDialog):
    """The consent text in the language in use, and Record consent with how it was given.

    Recording goes through the workspace (``record_consent``); the dialog closes when
    the log has it, or says why not and keeps the choice.
    """

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.member: Member | None = None
        self._saving = False

        self.title = heading(self, level=2)
        self.standing = paragraph(self)
        self.intro = paragraph(self)
        self.text = read_only_text(self)
        self.version = paragraph(self)
        self.method = QComboBox(self)
        for method in (ConsentMethod.IN_PERSON, ConsentMethod.PHONE, ConsentMethod.PAGE):
            self.method.addItem("", str(method))
        self.method_label = QLabel(self)
        self.method_label.setBuddy(self.method)
        self.message = message_label(self)
        self.record_button = QPushButton(self)
        self.record_button.setDefault(True)
        self.close_button = QPushButton(self)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.record_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)

        form = QFormLayout()
        form.addRow(self.method_label, self.method)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.standing)
        layout.addWidget(self.intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.version)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

        self.record_button.clicked.connect(self.record)
        self.close_button.clicked.connect(self.reject)
        workspace.member_saved.connect(self._on_saved)
        workspace.member_failed.connect(self._on_failed)
        self._retranslate()

    def show_for(self, member: Member) -> None:
        """Open the consent screen for ``member``."""
        self.member = member
        self._saving = False
        self.record_button.setEnabled(True)
        self.method.setCurrentIndex(0)
        show_message(self.message, None)
        self._retranslate()
        self.open()
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)

    def record(self) -> None:
        """Record that the member consented to this version, now, the way chosen."""
        if self._saving or self.member is None:
            return
        self._saving = True
        self.record_button.setEnabled(False)
        show_message(self.message, None)
        method = ConsentMethod(str(self.method.currentData()))
        spawn(self.workspace.record_consent(self.member.id, method))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch (the text follows the language)."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _on_saved(self, member_id: int) -> None:
        if self._saving and self.member is not None and member_id == self.member.id:
            self._saving = False
            self.record_button.setEnabled(True)
            self.accept()

    def _on_failed(self) -> None:
        if not self._saving:
            return
        self._saving = False
        self.record_button.setEnabled(True)
        error = self.workspace.member_error
        show_message(
            self.message,
            error.message() if error else self.tr("The consent could not be recorded."),
        )

    def _retranslate(self) -> None:
        consent = self.workspace.remote_consent
        name = self.member.display_name if self.member is not None else ""
        self.setWindowTitle(self.tr("Consent to remote work"))
        self.title.setText(self.tr("Consent to remote work: {name}").format(name=name))
        if self.member is not None:
            standing = consent_standing(
                self.member, self.workspace.consents.get(self.member.id), consent.version
            )
            self.standing.setText(self.tr("Now: {standing}").format(standing=standing))
        self.intro.setText(
            self.tr(
                "Go through this text with the person, or make sure they have read it, "
                "and answer their questions. Then record how they gave their consent."
            )
        )
        self.text.setPlainText(consent.text.text_in(i18n.get_language()))
        self.text.setAccessibleName(
            self.tr("Text of the consent, version {version}").format(version=consent.version)
        )
        self.version.setText(
            self.tr("Version {version} of your organisation's text.").format(
                version=consent.version
            )
        )
        self.method_label.setText(self.tr("&How it was given:"))
        self.method.setAccessibleName(self.tr("How the consent was given"))
        for index in range(self.method.count()):
            method = ConsentMethod(str(self.method.itemData(index)))
            self.method.setItemText(index, method_name(method).capitalize())
        self.record_button.setText(self.tr("&Record consent"))
        self.record_button.setAccessibleName(
            self.tr("Record that {name} consented to this version").format(name=name)
        )
        self.close_button.setText(self.tr("Close"))
        self.close_button.setAccessibleName(self.tr("Close without recording"))
