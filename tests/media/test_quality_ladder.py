"""The resolution/bitrate ladder: group size first, then what the receivers report."""

from __future__ import annotations

import itertools

import pytest

from groupdesk.media.fanout import encoder_threads, fit_size
from groupdesk.media.quality import (
    LADDER,
    LadderController,
    LinkReport,
    VideoProfile,
    profile_for_group,
)


@pytest.mark.parametrize(
    ("size", "expected"),
    [(2, (640, 360)), (3, (640, 360)), (4, (480, 270)), (6, (480, 270)), (8, (320, 180))],
)
def test_resolution_follows_group_size(size: int, expected: tuple[int, int]) -> None:
    profile = profile_for_group(size)
    assert (profile.width, profile.height) == expected


def test_profiles_are_validated() -> None:
    with pytest.raises(ValueError, match="even"):
        VideoProfile(641, 360, 24, 600_000)
    with pytest.raises(ValueError, match="fps"):
        VideoProfile(640, 360, 0, 600_000)
    with pytest.raises(ValueError, match="group_size"):
        profile_for_group(0)


def test_the_ladder_steps_down_on_congestion_and_back_up_later() -> None:
    ladder = LadderController()
    healthy = [LinkReport(bandwidth_estimate=620_000, loss=0.0)]
    congested = [LinkReport(bandwidth_estimate=200_000, loss=0.0)]
    assert ladder.update(3, 580_000, healthy, now=0.0) == LADDER[0]
    # An estimate well below what we send: one rung down, then hold before the next.
    assert ladder.update(3, 580_000, congested, now=10.0) == LADDER[1]
    assert ladder.update(3, 380_000, congested, now=11.0) == LADDER[1]
    assert ladder.update(3, 380_000, congested, now=15.0) == LADDER[2]
    # Healthy again: back up one rung at a time, slowly.
    assert ladder.update(3, 240_000, healthy, now=20.0) == LADDER[2]
    assert ladder.update(3, 240_000, healthy, now=28.0) == LADDER[1]
    assert ladder.update(3, 380_000, healthy, now=40.0) == LADDER[0]


def test_a_simple_picture_under_its_target_is_not_congestion() -> None:
    # The receiver's estimate tracks what it receives; content that undershoots
    # the target bitrate must not push the ladder down.
    ladder = LadderController()
    assert not ladder.congested(300_000, [LinkReport(bandwidth_estimate=320_000, loss=0.0)])
    assert ladder.update(2, 300_000, [LinkReport(320_000, 0.0)], now=100.0) == LADDER[0]


def test_local_overload_steps_down_too() -> None:
    ladder = LadderController()
    assert ladder.update(2, None, [], now=0.0) == LADDER[0]
    assert ladder.update(2, None, [], now=5.0, overloaded=True) == LADDER[1]


def test_loss_is_congestion() -> None:
    ladder = LadderController()
    assert ladder.congested(None, [LinkReport(None, 0.2)])
    assert not ladder.congested(None, [LinkReport(None, 0.02)])


def test_audio_only_at_the_bottom_and_a_retry_later() -> None:
    ladder = LadderController()
    bad = [LinkReport(bandwidth_estimate=50_000, loss=0.3)]
    profiles = [ladder.update(8, 200_000, bad, now=10.0 * i) for i in range(1, 5)]
    assert profiles == [LADDER[3], None, None, None]
    assert ladder.update(8, None, bad, now=45.0) is None
    # Video is tried again once the readings have been clean for a moment, not blindly.
    assert ladder.update(8, None, [], now=80.0) is None
    assert ladder.update(8, None, [], now=82.0) == LADDER[-1]


STATS_EVERY_S = 2.0  # the mesh's stats interval: one reading per peer this often
BAD = [LinkReport(bandwidth_estimate=None, loss=0.12)]  # 12 % loss: the figure
CLEAN = [LinkReport(bandwidth_estimate=None, loss=0.0)]
FAIR = [LinkReport(bandwidth_estimate=None, loss=0.05)]  # "fair" bars: 2-8 % loss
GOOD = [LinkReport(bandwidth_estimate=None, loss=0.01)]


def _play(
    ladder: LadderController, readings: list[list[LinkReport]], start: float = 0.0
) -> list[VideoProfile | None]:
    """What the ladder says at each reading, one every STATS_EVERY_S (an injected clock)."""
    return [
        ladder.update(2, None, links, now=start + i * STATS_EVERY_S)
        for i, links in enumerate(readings)
    ]


def test_the_ladder_climbs_back_within_10_s_of_the_network_clearing() -> None:
    ladder = LadderController()
    bad = _play(ladder, [BAD] * 15)  # 30 s of 12 % loss
    assert bad[-1] is None  # audio only
    clean = _play(ladder, [CLEAN] * 10, start=30.0)
    back = next(i for i, p in enumerate(clean) if p == LADDER[0]) * STATS_EVERY_S
    assert back <= 10.0, clean
    # up one rung at a time, never down on the way
    climbed = [LADDER.index(p) if p else len(LADDER) for p in clean]
    assert climbed == sorted(climbed, reverse=True)
    assert clean[-1] == LADDER[0]


def test_alternating_fair_and_good_readings_do_not_flicker() -> None:
    ladder = LadderController()
    _play(ladder, [BAD] * 5)  # down to the third rung
    start = ladder.update(2, None, BAD, now=10.0)
    profiles = _play(ladder, [FAIR, GOOD] * 15, start=12.0)  # 60 s of them
    changes = [(a, b) for a, b in zip([start, *profiles], profiles, strict=False) if a != b]
    steps = [LADDER.index(b) - LADDER.index(a) for a, b in changes if a and b]
    assert all(step < 0 for step in steps), changes  # never down once readings are fair
    assert len(changes) <= len(LADDER)  # a slow climb at most, not a flicker


def test_alternating_bad_and_clean_readings_do_not_flicker() -> None:
    ladder = LadderController()
    profiles = _play(ladder, [BAD, CLEAN] * 30)  # two minutes of a link that comes and goes
    changes = [i for i in range(1, len(profiles)) if profiles[i] != profiles[i - 1]]
    assert profiles[-1] is None
    assert len(changes) <= len(LADDER)  # down once, and stays down: no step back up


def test_a_failed_climb_waits_longer_before_the_next() -> None:
    ladder = LadderController()
    _play(ladder, [BAD] * 8)  # audio only by 12 s
    # Audio alone is clean, but video on the bottom rung is congested again each time.
    profiles: list[VideoProfile | None] = []
    now = 16.0
    for _ in range(40):  # 80 s
        links = BAD if profiles and profiles[-1] is not None else CLEAN
        profiles.append(ladder.update(2, None, links, now=now))
        now += STATS_EVERY_S
    probes = sum(1 for a, b in itertools.pairwise(profiles) if a is None and b)
    assert 1 <= probes <= 4  # waits of 2, 4, 8, 16, 32 s: not a probe every 6 s (13)


def test_group_size_caps_the_ladder_at_once() -> None:
    ladder = LadderController()
    assert ladder.update(2, None, [], now=0.0) == LADDER[0]
    assert ladder.update(7, None, [], now=0.5) == LADDER[2]


def test_no_audio_only_when_not_allowed() -> None:
    ladder = LadderController(allow_audio_only=False)
    bad = [LinkReport(bandwidth_estimate=50_000, loss=0.3)]
    assert all(ladder.update(8, 200_000, bad, now=10.0 * i) is not None for i in range(1, 8))


def test_encoder_threads_stay_few_on_a_small_machine() -> None:
    assert encoder_threads(640 * 360, cpus=2) == 1
    assert encoder_threads(1280 * 720, cpus=2) == 1
    assert encoder_threads(1280 * 720, cpus=8) == 2
    assert encoder_threads(1920 * 1080, cpus=16) == 4


def test_frames_are_fitted_never_enlarged() -> None:
    assert fit_size(320, 180, LADDER[0]) == (320, 180)
    assert fit_size(1280, 720, LADDER[1]) == (480, 270)
    assert fit_size(640, 480, LADDER[0]) == (480, 360)
