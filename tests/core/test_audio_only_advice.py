"""The audio-only suggestion reads smoothed loss and round trip, with hysteresis (issue 14).

The table of cases is shared with the page's rule (tests/web/state.test.mjs).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from groupdesk.core.call_quality import AudioOnlyAdvice

TABLE = json.loads(
    (Path(__file__).resolve().parents[1] / "web" / "audio_only_cases.json").read_text("utf-8")
)


def _readings(segments: list[list[Any]]) -> list[tuple[float, float | None, float | None]]:
    out: list[tuple[float, float | None, float | None]] = []
    for seconds, loss, rtt in segments:
        for i in range(seconds):
            value = loss[i % 2] if isinstance(loss, list) else loss
            out.append((len(out) * TABLE["every_s"], value, rtt))
    return out


@pytest.mark.parametrize("case", TABLE["cases"], ids=[c["case"] for c in TABLE["cases"]])
def test_the_shared_cases(case: dict[str, Any]) -> None:
    advice, flips, shown = AudioOnlyAdvice(), [], False
    for now, loss, rtt in _readings(case["segments"]):
        if advice.reading(now, loss, rtt) != shown:
            shown = not shown
            flips.append([now, shown])
    assert flips == case["flips"]


def test_12_percent_loss_with_scattered_readings_is_suggested_and_stays() -> None:
    # The case: per-second readings of a 12 % link scatter around 8 %, so the
    # former rule (10 poor readings in a row) seldom showed, and a 'fair' one reset it.
    advice = AudioOnlyAdvice()
    seen = [advice.reading(t, 0.17 if t % 2 else 0.07, 0.1) for t in range(60)]
    first = seen.index(True)
    assert first <= 10
    assert all(seen[first:])


def test_the_advice_hides_only_after_a_clean_hold() -> None:
    advice = AudioOnlyAdvice()
    for t in range(20):
        advice.reading(t, 0.12, 0.1)
    assert advice.shown
    hidden_at = next(t for t in range(20, 80) if not advice.reading(t, 0.0, 0.05))
    assert hidden_at - 20 >= 15  # the hold, after the average came down
