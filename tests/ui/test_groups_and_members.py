"""Groups and members through the widgets; every field read back from the real session log."""

from __future__ import annotations

from typing import Any

from page_helpers import open_window, seed_log, select_group, wait_for
from PySide6.QtCore import Qt
from ui_helpers import Run, Windows, next_emission

from groupdesk.core.models import ConsentStatus, Modality
from groupdesk.sessionlog import KeyStore, SessionLog


def test_create_edit_and_archive_a_group_and_a_member(
    run: Run[Any], windows: Windows, memory_keyring: Any, qtbot: Any
) -> None:
    async def scenario() -> None:
        await (
            await SessionLog.open(windows.data_dir, KeyStore(windows.data_dir).create().key)
        ).close()
        window = await open_window(windows)
        workspace, home = window.workspace, window.home_page
        assert workspace.log is not None
        log = workspace.log

        # Create a group (Ctrl+N, type, Create).
        window.new_group_action.trigger()
        qtbot.keyClicks(home.new_group_name, "Groupe du mardi")
        qtbot.mouseClick(home.new_group_button, Qt.MouseButton.LeftButton)
        (group_id,) = await next_emission(workspace.group_created)
        assert home.group_header.isVisibleTo(home)
        assert home.group_header.title.text() == "Groupe du mardi"
        assert home.tabs.currentWidget() is home.members
        assert "No members yet" in home.members.empty.text()

        # Edit it (F2): an empty name is refused next to the field, the description kept.
        window.edit_group_action.trigger()
        dialog = home.group_header.dialog
        assert dialog.isVisible()
        dialog.name.clear()
        dialog.description.insertPlainText("Proches aidants, le mardi à 18 h 30")  # not ASCII
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()
        assert dialog.name_error.isVisibleTo(dialog)
        assert dialog.name_error.text() == "A group needs a name."
        assert dialog.description.toPlainText() == "Proches aidants, le mardi à 18 h 30"
        dialog.name.insert("Proches aidants — mardi")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        await next_emission(workspace.group_saved)
        assert not dialog.isVisible()
        [group] = await log.list_groups()
        assert (group.id, group.name, group.description) == (
            group_id,
            "Proches aidants — mardi",
            "Proches aidants, le mardi à 18 h 30",
        )
        assert home.group_header.title.text() == "Proches aidants — mardi"

        # Add a member (Ctrl+M): an empty name and a bad phone are named next to their
        # fields, and nothing typed is lost.
        window.add_member_action.trigger()
        form = home.members.dialog
        assert form.isVisible()
        qtbot.keyClicks(form.pseudonym, "Ana")
        qtbot.keyClicks(form.phone, "514-55")
        qtbot.keyClicks(form.emergency_contact, "Luc Tremblay 514-555-0199")
        qtbot.keyClicks(form.region, "Rimouski")
        form.language.setCurrentIndex(form.language.findData("fr"))
        form.modality.setCurrentIndex(form.modality.findData("hybrid"))
        form.consent.setCurrentIndex(form.consent.findData("given"))
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
        assert form.isVisible()
        assert form.name_error.isVisibleTo(form)
        assert "name" in form.name_error.text()
        assert form.phone_error.isVisibleTo(form)
        assert "phone number" in form.phone_error.text()
        assert form.phone.text() == "514-55"
        assert form.emergency_contact.text() == "Luc Tremblay 514-555-0199"
        assert await log.list_members(group_id) == []  # nothing saved

        qtbot.keyClicks(form.display_name, "Ana Tremblay")
        assert not form.name_error.isVisibleTo(form)  # typing clears the message
        qtbot.keyClicks(form.phone, "5-0100")
        qtbot.keyClick(form.display_name, Qt.Key.Key_Return)
        (member_id,) = await next_emission(workspace.member_saved)
        await wait_for(lambda: not form.isVisible())
        [member] = await log.list_members(group_id)
        assert member.id == member_id
        assert (
            member.display_name,
            member.pseudonym,
            member.phone,
            member.emergency_contact,
            member.region,
            member.language,
            member.modality,
            member.consent,
        ) == (
            "Ana Tremblay",
            "Ana",
            "514-555-0100",
            "Luc Tremblay 514-555-0199",
            "Rimouski",
            "fr",
            Modality.HYBRID,
            ConsentStatus.GIVEN,
        )
        table = home.members.table
        assert table.rowCount() == 1
        assert [table.item(0, c).text() for c in range(3)] == [
            "Ana Tremblay",
            "Ana",
            "514-555-0100",
        ]

        # Edit it: the form opens with every field as saved.
        table.selectRow(0)
        qtbot.mouseClick(home.members.edit_button, Qt.MouseButton.LeftButton)
        assert form.fields() == {
            "display_name": "Ana Tremblay",
            "pseudonym": "Ana",
            "phone": "514-555-0100",
            "emergency_contact": "Luc Tremblay 514-555-0199",
            "region": "Rimouski",
            "language": "fr",
            "modality": "hybrid",
            "consent": "given",
        }
        form.region.clear()
        qtbot.keyClicks(form.region, "Bas-Saint-Laurent")
        form.consent.setCurrentIndex(form.consent.findData("withdrawn"))
        form.modality.setCurrentIndex(form.modality.findData("in_person"))
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
        await next_emission(workspace.member_saved)
        [member] = await log.list_members(group_id)
        assert (member.region, member.consent, member.modality) == (
            "Bas-Saint-Laurent",
            ConsentStatus.WITHDRAWN,
            Modality.IN_PERSON,
        )
        assert member.phone == "514-555-0100"  # untouched fields stay

        # Archive the member, then the group: both leave the lists, their records stay.
        table.selectRow(0)
        assert home.members.archive_button.text() == "Archive me&mber"
        qtbot.mouseClick(home.members.archive_button, Qt.MouseButton.LeftButton)
        await next_emission(workspace.member_saved)
        assert await log.list_members(group_id) == []
        [kept] = await log.list_members(group_id, include_archived=True)
        assert kept.archived
        assert kept.phone == "514-555-0100"
        assert home.members.stack.currentWidget() is home.members.empty

        qtbot.mouseClick(home.group_header.archive_button, Qt.MouseButton.LeftButton)
        await next_emission(workspace.group_saved)
        assert await log.list_groups() == []
        [archived] = await log.list_groups(include_archived=True)
        assert archived.archived
        assert home.groups.currentWidget() is home.groups.empty
        assert not home.group_header.isVisibleTo(home)

        # Shown again with "Show archived": restore the group and the member.
        home.show_archived.setChecked(True)
        await next_emission(workspace.groups_changed)
        assert home.groups.list.item(0).text() == "Proches aidants — mardi (archived)"
        home.groups.list.setCurrentRow(0)
        await next_emission(workspace.members_changed)
        assert not home.group_header.prepare_button.isEnabled()
        qtbot.mouseClick(home.group_header.archive_button, Qt.MouseButton.LeftButton)
        await next_emission(workspace.group_saved)
        table.selectRow(0)
        assert home.members.archive_button.text() == "Restore me&mber"
        qtbot.mouseClick(home.members.archive_button, Qt.MouseButton.LeftButton)
        await next_emission(workspace.member_saved)
        assert [m.display_name for m in await log.list_members(group_id)] == ["Ana Tremblay"]
        assert [g.name for g in await log.list_groups()] == ["Proches aidants — mardi"]

        kinds = [event.kind for event in await log.journal()]
        assert kinds == [
            "group.created",
            "group.updated",
            "member.added",
            "member.updated",
            "member.archived",
            "group.archived",
            "group.restored",
            "member.restored",
        ]
        await windows.close_all()

    run(scenario())


def test_a_group_shows_its_sessions_with_who_came(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        group, _people = await seed_log(windows, members=4)
        window = await open_window(windows)
        home = window.home_page
        select_group(window, group.id)
        await next_emission(window.workspace.members_changed)
        assert home.members.table.rowCount() == 4
        home.tabs.setCurrentIndex(1)
        sessions = home.sessions.list
        assert sessions.count() == 1
        assert "present: 2 of 3" in sessions.item(0).text()
        assert sessions.item(0).text().endswith("Proches aidants")
        await windows.close_all()

    run(scenario())


def test_names_are_listed_in_dictionary_order(languages: Any) -> None:
    from groupdesk.ui.widgets import by_name

    assert by_name(["Zoé", "Émilie", "ana", "Eric"], str) == ["ana", "Émilie", "Eric", "Zoé"]
