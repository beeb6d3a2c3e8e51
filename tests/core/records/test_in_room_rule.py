"""Who may be marked present in the room of a hybrid session."""

from __future__ import annotations

from groupdesk.core.models import Modality
from groupdesk.core.records.in_room import may_mark_in_room, room_candidates

HYBRID, REMOTE = Modality.HYBRID, Modality.REMOTE


def test_an_expected_member_off_the_call_may_be_marked_in_a_hybrid_session() -> None:
    assert may_mark_in_room(HYBRID, 1, expected=[1, 2], on_call=[2])


def test_only_a_hybrid_session_has_a_room() -> None:
    assert not may_mark_in_room(REMOTE, 1, expected=[1], on_call=[])
    assert not may_mark_in_room(Modality.IN_PERSON, 1, expected=[1], on_call=[])
    assert room_candidates(REMOTE, expected=[1, 2], on_call=[], in_room=[1]) == ()


def test_not_someone_on_the_call_nor_someone_not_expected_nor_twice() -> None:
    assert not may_mark_in_room(HYBRID, 2, expected=[1, 2], on_call=[2])
    assert not may_mark_in_room(HYBRID, 3, expected=[1, 2], on_call=[])
    assert not may_mark_in_room(HYBRID, 1, expected=[1, 2], on_call=[], in_room=[1])


def test_the_list_holds_those_markable_and_those_marked() -> None:
    # 1 in the room already, 2 on the call, 3 expected and absent so far, 4 not expected.
    assert room_candidates(HYBRID, expected=[3, 2, 1], on_call=[2, 4], in_room=[1]) == (1, 3)
    assert room_candidates(HYBRID, expected=[], on_call=[]) == ()
