"""The lobby tells the facilitator which waiting group members have not consented to
remote work (the current version of the text). Real window, embedded server, desktop
participants; the consents are in the real log."""

from __future__ import annotations

from typing import Any

from live_helpers import knock, prepared_log, synthetic, wait_for
from ui_helpers import Run, Windows

from groupdesk.core.models import ConsentMethod
from groupdesk.core.protocol import CONSENT_ANSWER
from groupdesk.ui.live_session import LiveSession
from groupdesk.ui.workspace import Stage


def test_the_lobby_marks_who_has_not_consented(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        log, session, (ana, ben) = await prepared_log(windows.data_dir, ["Ana", "Ben"])
        await log.record_consent(ben.id, "1", ConsentMethod.PHONE)
        await log.close()
        window = windows.open()
        await window.workspace.start()
        assert window.workspace.stage is Stage.OPEN
        window.live_sources = synthetic("Julie Tremblay", 9)
        page, live = window.live_page, window.live
        peers: list[LiveSession] = []
        try:
            assert await window.open_room_now(session.id)
            assert live.consent_needed == {ana.id}
            for i, name in enumerate(["Ana", "Ben"]):
                peers.append(await knock(live.invite, name, i))
            await wait_for(lambda: len(page.lobby.entries) == 2)
            entries = {e.person.name: e for e in page.lobby.entries}
            marked = entries["Ana"].consent
            assert marked.isVisibleTo(entries["Ana"])
            assert marked.text() == (
                "No consent to remote work on record yet (see Consent… in the group)"
            )
            assert not entries["Ben"].consent.isVisibleTo(entries["Ben"])

            # matched to nobody (a guest), the mark goes: it is about group members
            entries["Ana"].match.setCurrentIndex(0)
            entries["Ana"].match.activated.emit(0)
            assert not entries["Ana"].consent.isVisibleTo(entries["Ana"])
        finally:
            for peer in peers:
                await peer.close()
            await live.close()
            await windows.close_all()

    run(scenario())


def test_a_consent_given_on_the_page_is_recorded_once_at_admission(
    run: Run[Any], windows: Windows, memory_keyring: Any
) -> None:
    async def scenario() -> None:
        log, session, (ana, ben, cy) = await prepared_log(windows.data_dir, ["Ana", "Ben", "Cy"])
        await log.record_consent(ben.id, "1", ConsentMethod.PHONE)
        before = len(await log.consents(ben.id))
        await log.close()
        window = windows.open()
        await window.workspace.start()
        window.live_sources = synthetic("Julie Tremblay", 9)
        live = window.live
        peers: list[LiveSession] = []
        try:
            assert await window.open_room_now(session.id)
            version = live.room.lobby.consent_version
            assert version == "1"  # the policy's text, offered on the page
            assert live.consent_needed == {ana.id, cy.id}
            # Ana agrees on the page; Ben too (on record already); Cy agrees to an older text
            for i, (name, agreed) in enumerate([("Ana", version), ("Ben", version), ("Cy", "0")]):
                peers.append(await knock(live.invite, name, i, also={CONSENT_ANSWER: agreed}))
            await wait_for(lambda: len(live.lobby) == 3)
            await live.admit_all()
            await wait_for(lambda: len(live.members) == 4)
            store = window.workspace.log
            assert store is not None
            await wait_for(lambda: live.consent_needed == {cy.id})
            record = live.record
            assert record is not None
            # read after every write the session asked for (the record keeps their order)
            given = await record.call(lambda: store.consents(ana.id))
            assert given is not None
            assert [(c.version, c.method) for c in given] == [("1", ConsentMethod.PAGE)]
            assert len(await store.consents(ben.id)) == before  # recorded once per version
            assert await store.consents(cy.id) == []
            kinds = [e.kind for e in await store.journal(session.id)]
            assert kinds.count("member.consent_recorded") == 1
        finally:
            for peer in peers:
                await peer.close()
            await live.close()
            await windows.close_all()

    run(scenario())
