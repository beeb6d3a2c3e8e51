"""The form to add or change a member: every field of the session log, checked as typed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from groupdesk.core.models import MAX_NAME, ConsentStatus, Member, Modality
from groupdesk.core.session_plan import is_valid_phone
from groupdesk.ui.widgets import field_message, message_label, paragraph, show_message, spawn
from groupdesk.ui.workspace import Workspace

#: Languages offered in the member form (stored as these codes).
MEMBER_LANGUAGES = ("", "fr", "en")


class MemberDialog(QDialog):
    """Add a member to the selected group, or change one; errors show next to their field.

    Nothing typed is lost on an error: the dialog stays open with every field as it was.
    """

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.group_id: int | None = None
        self.member_id: int | None = None
        self._saving = False

        self.intro = paragraph(self)
        self.display_name = QLineEdit(self)
        self.display_name.setMaxLength(MAX_NAME)
        self.name_error = field_message(self)
        self.pseudonym = QLineEdit(self)
        self.pseudonym.setMaxLength(MAX_NAME)
        self.phone = QLineEdit(self)
        self.phone.setMaxLength(40)
        self.phone_error = field_message(self)
        self.emergency_contact = QLineEdit(self)
        self.emergency_contact.setMaxLength(MAX_NAME)
        self.region = QLineEdit(self)
        self.region.setMaxLength(MAX_NAME)
        self.language = QComboBox(self)
        self.modality = QComboBox(self)
        self.consent = QComboBox(self)
        for _ in MEMBER_LANGUAGES:
            self.language.addItem("")
        for modality in Modality:
            self.modality.addItem("", str(modality))
        for status in ConsentStatus:
            self.consent.addItem("", str(status))
        for index, code in enumerate(MEMBER_LANGUAGES):
            self.language.setItemData(index, code)
        self.message = message_label(self)
        self._lay_out()

        self.display_name.textEdited.connect(lambda _t: show_message(self.name_error, None))
        self.phone.textEdited.connect(lambda _t: show_message(self.phone_error, None))
        workspace.member_saved.connect(self._on_saved)
        workspace.member_failed.connect(self._on_failed)
        self._retranslate()

    def _lay_out(self) -> None:
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for key, field, error in (
            ("display_name", self.display_name, self.name_error),
            ("pseudonym", self.pseudonym, None),
            ("phone", self.phone, self.phone_error),
            ("emergency_contact", self.emergency_contact, None),
            ("region", self.region, None),
            ("language", self.language, None),
            ("modality", self.modality, None),
            ("consent", self.consent, None),
        ):
            label = QLabel(self)
            label.setBuddy(field)
            self.labels[key] = label
            form.addRow(label, field)
            if error is not None:
                form.addRow("", error)

        self.buttons = QDialogButtonBox(self)
        self.save_button = QPushButton(self)
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(self)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self.save_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        self.save_shortcut.activated.connect(self.submit)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(540)

    # -- what the members tab calls -------------------------------------------------

    def edit(self, group_id: int, member: Member | None) -> None:
        """Open the form for a new member of ``group_id`` or for ``member``."""
        self.group_id = group_id
        self.member_id = member.id if member is not None else None
        self.display_name.setText(member.display_name if member else "")
        self.pseudonym.setText(member.pseudonym if member else "")
        self.phone.setText(member.phone if member else "")
        self.emergency_contact.setText(member.emergency_contact if member else "")
        self.region.setText(member.region if member else "")
        self._choose_language(member.language if member else "")
        self.modality.setCurrentIndex(
            self.modality.findData(str(member.modality if member else Modality.REMOTE))
        )
        self.consent.setCurrentIndex(
            self.consent.findData(str(member.consent if member else ConsentStatus.PENDING))
        )
        for label in (self.name_error, self.phone_error, self.message):
            show_message(label, None)
        self._saving = False
        self._retranslate()
        self.open()
        self.display_name.setFocus(Qt.FocusReason.OtherFocusReason)

    def fields(self) -> dict[str, Any]:
        """The values of the form, as the session log takes them."""
        return {
            "display_name": self.display_name.text().strip(),
            "pseudonym": self.pseudonym.text().strip(),
            "phone": self.phone.text().strip(),
            "emergency_contact": self.emergency_contact.text().strip(),
            "region": self.region.text().strip(),
            "language": str(self.language.currentData() or ""),
            "modality": str(self.modality.currentData()),
            "consent": str(self.consent.currentData()),
        }

    def submit(self) -> None:
        """Check the form; save it if it is right, else say what to fix next to each field."""
        if self._saving or self.group_id is None:
            return
        values = self.fields()
        first_bad: QWidget | None = None
        if not values["display_name"]:
            show_message(self.name_error, self.tr("Type the name the group knows this person by."))
            first_bad = self.display_name
        if not is_valid_phone(values["phone"]):
            show_message(
                self.phone_error,
                self.tr("Not a phone number: type 7 to 15 digits, like 514-555-0100."),
            )
            first_bad = first_bad or self.phone
        if first_bad is not None:
            self.adjustSize()  # room for the messages, wrapped
            first_bad.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._saving = True
        self.save_button.setEnabled(False)
        show_message(self.message, None)
        spawn(self.workspace.save_member(self.group_id, self.member_id, values))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 -- Qt's name
        """Retranslate on a language switch."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- internals ------------------------------------------------------------------

    def _choose_language(self, code: str) -> None:
        index = self.language.findData(code)
        if index < 0:  # a language typed elsewhere (the command line, an older version)
            self.language.addItem(code, code)
            index = self.language.count() - 1
        self.language.setCurrentIndex(index)

    def _on_saved(self, _member_id: int) -> None:
        if self._saving:
            self._saving = False
            self.save_button.setEnabled(True)
            self.accept()

    def _on_failed(self) -> None:
        if not self._saving:
            return
        self._saving = False
        self.save_button.setEnabled(True)
        error = self.workspace.member_error
        show_message(
            self.message,
            error.message() if error else self.tr("The member could not be saved."),
        )

    def _retranslate(self) -> None:
        new = self.member_id is None
        self.setWindowTitle(self.tr("New member") if new else self.tr("Edit member"))
        self.intro.setText(
            self.tr(
                "Only the name is required. The phone number and emergency contact are kept "
                "in your encrypted log so that you have them at hand in a crisis."
            )
        )
        texts = {
            "display_name": (self.tr("&Name:"), self.tr("Name")),
            "pseudonym": (self.tr("&Pseudonym:"), self.tr("Pseudonym")),
            "phone": (self.tr("P&hone:"), self.tr("Phone number")),
            "emergency_contact": (self.tr("&Emergency contact:"), self.tr("Emergency contact")),
            "region": (self.tr("&Region:"), self.tr("Region")),
            "language": (self.tr("&Language:"), self.tr("Language")),
            "modality": (self.tr("Preferred &modality:"), self.tr("Preferred modality")),
            "consent": (self.tr("&Consent:"), self.tr("Consent to remote work")),
        }
        fields: dict[str, QWidget] = {
            "display_name": self.display_name,
            "pseudonym": self.pseudonym,
            "phone": self.phone,
            "emergency_contact": self.emergency_contact,
            "region": self.region,
            "language": self.language,
            "modality": self.modality,
            "consent": self.consent,
        }
        for key, (label, accessible) in texts.items():
            self.labels[key].setText(label)
            fields[key].setAccessibleName(accessible)
        self.save_shortcut.setWhatsThis(self.tr("Save the member"))
        self.display_name.setPlaceholderText(self.tr("First name, or how the group knows them"))
        self.pseudonym.setPlaceholderText(self.tr("Shown in the room instead of the name"))
        self.phone.setPlaceholderText(self.tr("For example 514-555-0100"))
        self.emergency_contact.setPlaceholderText(self.tr("Name and phone of a trusted person"))
        self.region.setPlaceholderText(self.tr("For example Montréal or Bas-Saint-Laurent"))
        for index, code in enumerate(MEMBER_LANGUAGES):
            self.language.setItemText(index, language_name(code))
        for index in range(self.modality.count()):
            self.modality.setItemText(index, modality_name(Modality(self.modality.itemData(index))))
        for index in range(self.consent.count()):
            self.consent.setItemText(
                index, consent_name(ConsentStatus(self.consent.itemData(index)))
            )
        self.save_button.setText(self.tr("&Save"))
        self.save_button.setAccessibleName(self.tr("Save the member"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel without saving"))


def language_name(code: str) -> str:
    """The name of a member's language, as the form shows it."""
    translate = QCoreApplication.translate
    names = {
        "": translate("Member", "Not specified"),
        "fr": translate("Member", "French"),
        "en": translate("Member", "English"),
    }
    return names.get(code, code)


def modality_name(modality: Modality) -> str:
    """In person, remote or hybrid, in the current language."""
    translate = QCoreApplication.translate
    return {
        Modality.IN_PERSON: translate("Member", "In person"),
        Modality.REMOTE: translate("Member", "Remote"),
        Modality.HYBRID: translate("Member", "Hybrid"),
    }[modality]


def consent_name(status: ConsentStatus) -> str:
    """Where the member stands with the consent form, in the current language."""
    translate = QCoreApplication.translate
    return {
        ConsentStatus.PENDING: translate("Member", "Pending"),
        ConsentStatus.GIVEN: translate("Member", "Given"),
        ConsentStatus.WITHDRAWN: translate("Member", "Withdrawn"),
    }[status]
