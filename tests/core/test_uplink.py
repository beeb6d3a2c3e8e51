"""media_mode auto's second half: the rule that moves a mesh room to the media server
when a member's uplink stays too poor for it (core/uplink.py)."""

from __future__ import annotations

import pytest

from groupdesk.core.uplink import FLOOR_KBPS, UplinkRule, UplinkWatch


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _watch(**rule: float) -> tuple[UplinkWatch, Clock]:
    clock = Clock()
    return UplinkWatch(UplinkRule(**rule), clock), clock  # type: ignore[arg-type]


def _every_5s(watch: UplinkWatch, clock: Clock, member: str, kbps: int, **kw: object) -> str:
    clock.now += 5.0
    args = {"limited": True, "streams": 3, "others": 3, **kw}
    return watch.report(member, kbps, **args)  # type: ignore[arg-type]


def test_three_poor_reports_in_a_row_switch_the_room_once() -> None:
    watch, clock = _watch()
    need = 3 * FLOOR_KBPS  # three other members: three streams
    assert [_every_5s(watch, clock, "a", need - 1) for _ in range(3)] == ["keep", "keep", "switch"]
    assert watch.switched
    # never again, whatever comes: no flicker
    assert [_every_5s(watch, clock, m, 10) for m in "ab" for _ in range(4)] == ["keep"] * 8


def test_a_good_report_starts_the_count_again() -> None:
    watch, clock = _watch()
    verdicts = [_every_5s(watch, clock, "a", kbps) for kbps in (100, 100, 900, 100, 100)]
    assert verdicts == ["keep"] * 5
    assert _every_5s(watch, clock, "a", 100) == "switch"


def test_each_members_reports_count_apart() -> None:
    watch, clock = _watch()
    for _ in range(2):
        assert _every_5s(watch, clock, "a", 100) == "keep"
        assert _every_5s(watch, clock, "b", 100) == "keep"
    assert _every_5s(watch, clock, "c", 100) == "keep"  # a third member's first
    watch.forget("a")  # a left: their two poor reports go with them
    assert _every_5s(watch, clock, "a", 100) == "keep"
    assert _every_5s(watch, clock, "b", 100) == "switch"


def test_what_only_was_sent_is_not_a_poor_uplink() -> None:
    """A static picture sends little on any link: only a ceiling (an estimate, or
    congestion that lowered the picture) says the uplink cannot carry more."""
    watch, clock = _watch()
    assert [_every_5s(watch, clock, "a", 50, limited=False) for _ in range(6)] == ["keep"] * 6


@pytest.mark.parametrize(
    ("kbps", "streams", "others", "poor"),
    [
        (599, 2, 3, True),  # connected to two of three so far: two streams' need
        (600, 2, 3, False),
        (899, 5, 3, True),  # a client cannot claim more streams than members to send to
        (900, 5, 3, False),
        (299, 1, 1, True),  # two in the room
        (0, 1, 0, False),  # alone: no stream, nothing to need
    ],
)
def test_the_need_is_the_floor_per_stream(kbps: int, streams: int, others: int, poor: bool) -> None:
    watch, clock = _watch(poor_reports=1)
    verdict = _every_5s(watch, clock, "a", kbps, streams=streams, others=others)
    assert verdict == ("switch" if poor else "keep")


def test_reports_too_close_together_are_refused_and_do_not_count() -> None:
    watch, clock = _watch(min_interval_s=2.5)
    assert _every_5s(watch, clock, "a", 100) == "keep"
    clock.now += 1.0
    assert watch.report("a", 100, limited=True, streams=3, others=3) == "too_soon"
    assert watch.report("b", 100, limited=True, streams=3, others=3) == "keep"  # b's own pace
    assert _every_5s(watch, clock, "a", 100) == "keep"  # the refused one did not count
    assert _every_5s(watch, clock, "a", 100) == "switch"


def test_the_rule_is_checked() -> None:
    with pytest.raises(ValueError, match="positive"):
        UplinkRule(floor_kbps=0)
    with pytest.raises(ValueError, match="positive"):
        UplinkRule(poor_reports=0)
