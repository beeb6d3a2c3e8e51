"""Who the facilitator may mark "present in the room" during a hybrid session.

In a hybrid session some members sit in the room with the facilitator, not on the
call: nothing joins for them, so the facilitator marks them. Only a hybrid session has
a room to be in; only an expected member may be marked, and not one already on the call
(their presence is recorded by joining). Whoever is marked stays listed, to be unmarked.
"""

from __future__ import annotations

from collections.abc import Iterable

from groupdesk.core.models import Modality


def may_mark_in_room(
    modality: Modality,
    member_id: int,
    expected: Iterable[int],
    on_call: Iterable[int],
    in_room: Iterable[int] = (),
) -> bool:
    """Whether ``member_id`` may be marked present in the room now: the session is hybrid,
    they are expected, not on the call, and not marked already."""
    return (
        modality is Modality.HYBRID
        and member_id in set(expected)
        and member_id not in set(on_call)
        and member_id not in set(in_room)
    )


def room_candidates(
    modality: Modality,
    expected: Iterable[int],
    on_call: Iterable[int],
    in_room: Iterable[int] = (),
) -> tuple[int, ...]:
    """The members to list under "Who is in the room?" (ids, ascending): those already
    marked (to unmark them), and the expected ones who may be marked. Nobody outside a
    hybrid session."""
    if modality is not Modality.HYBRID:
        return ()
    marked, calling = set(in_room), set(on_call)
    markable = {m for m in expected if may_mark_in_room(modality, m, (m,), calling, marked)}
    return tuple(sorted(markable | marked))
