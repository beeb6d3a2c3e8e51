"""auto sends a room through the media server from the policy's group size."""

from __future__ import annotations

import pytest

from groupdesk.core.media_choice import SFU_FROM_MEMBERS, room_media


@pytest.mark.parametrize(
    ("mode", "planned", "expected"),
    [
        ("mesh", 12, "mesh"),
        ("sfu", 2, "sfu"),
        ("sfu", None, "sfu"),
        ("auto", None, "mesh"),  # an older app says no size: the mesh, as before
        ("auto", 4, "mesh"),
        ("auto", 5, "sfu"),
        ("auto", 12, "sfu"),
    ],
)
def test_room_media(mode: str, planned: int | None, expected: str) -> None:
    assert room_media(mode, planned, SFU_FROM_MEMBERS) == expected  # type: ignore[arg-type]


def test_the_threshold_is_the_policys() -> None:
    assert room_media("auto", 3, 3) == "sfu"
    assert room_media("auto", 8, 9) == "mesh"
