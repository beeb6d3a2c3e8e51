"""The security code: same set, same code; any change of seat or fingerprint, another code."""

from __future__ import annotations

import re

import pytest

from groupdesk.core.security_code import code_for, normalize_fingerprint, room_code

FP_A = "sha-256 " + ":".join(["A1"] * 32)
FP_B = "sha-256 " + ":".join(["B2"] * 32)
FP_C = "sha-256 " + ":".join(["C3"] * 32)
FIXED_CODE = "693 982 295 923"
"""Also asserted by the JavaScript test (tests/web): both implementations must agree."""


def test_the_code_is_twelve_digits_in_four_groups_of_three() -> None:
    code = code_for({"a": FP_A, "b": FP_B})
    assert re.fullmatch(r"\d{3} \d{3} \d{3} \d{3}", code)


def test_the_same_set_gives_the_same_code_in_any_order() -> None:
    forward = code_for(dict([("a", FP_A), ("b", FP_B), ("c", FP_C)]))
    backward = code_for(dict([("c", FP_C), ("b", FP_B), ("a", FP_A)]))
    assert forward == backward


def test_the_spelling_of_a_fingerprint_does_not_matter() -> None:
    assert code_for({"a": FP_A.lower(), "b": "SHA-256  " + FP_B[8:]}) == code_for(
        {"a": FP_A, "b": FP_B}
    )


@pytest.mark.parametrize("position", [0, 15, 31])
def test_changing_any_byte_of_any_fingerprint_changes_the_code(position: int) -> None:
    honest = code_for({"a": FP_A, "b": FP_B, "c": FP_C})
    parts = FP_B[8:].split(":")
    parts[position] = "B3"
    forged = "sha-256 " + ":".join(parts)
    assert code_for({"a": FP_A, "b": forged, "c": FP_C}) != honest


def test_swapping_fingerprints_between_seats_changes_the_code() -> None:
    assert code_for({"a": FP_B, "b": FP_A}) != code_for({"a": FP_A, "b": FP_B})


def test_a_member_joining_changes_the_code() -> None:
    assert code_for({"a": FP_A, "b": FP_B, "c": FP_C}) != code_for({"a": FP_A, "b": FP_B})


def test_fixed_input_gives_a_fixed_code() -> None:
    """The value the JavaScript implementation is checked against (tests/web)."""
    assert code_for({"a": FP_A, "b": FP_B, "c": FP_C}) == FIXED_CODE


def test_a_man_in_the_middle_makes_the_two_views_differ() -> None:
    """A sees the relay's certificate for B, B sees the relay's other one for A."""
    fp_m1 = "sha-256 " + ":".join(["D4"] * 32)
    fp_m2 = "sha-256 " + ":".join(["E5"] * 32)
    seen_by_a = room_code("a", FP_A, {"b": fp_m1})
    seen_by_b = room_code("b", FP_B, {"a": fp_m2})
    assert seen_by_a.code != seen_by_b.code
    assert room_code("a", FP_A, {"b": FP_B}).code == room_code("b", FP_B, {"a": FP_A}).code


def test_no_code_while_a_member_is_not_connected() -> None:
    view = room_code("a", FP_A, {"b": FP_B, "c": None})
    assert view.code is None
    assert view.waiting == 1
    assert view.members == {"a", "b", "c"}


def test_alone_in_the_room_the_code_covers_only_oneself() -> None:
    assert room_code("a", FP_A, {}).code == code_for({"a": FP_A})


@pytest.mark.parametrize("bad", ["", "sha-256", "sha-256 zz:11", "ab:cd", "sha-256 abc"])
def test_a_malformed_fingerprint_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not a DTLS fingerprint"):
        normalize_fingerprint(bad)


def test_a_seat_with_a_tab_is_refused() -> None:
    with pytest.raises(ValueError, match="not a seat id"):
        code_for({"a\tb": FP_A})
