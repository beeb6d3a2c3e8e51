"""An app event that a consumer forgets to handle is a type error (mypy), not a silent drop.

Every consumer (the server's routing, the desktop, the bots) dispatches on
:data:`~groupdesk.core.protocol.AppEvent` with ``match`` and ``assert_never``; this
checks that mypy really refuses such a ``match`` with one case left out.
"""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
from mypy import api

from groupdesk.core import protocol

SRC = Path(protocol.__file__).resolve().parents[2]

_SNIPPET = """
from typing import assert_never

from groupdesk.core.protocol import AppEvent
from groupdesk.core.protocol import {names}


def handle(event: AppEvent) -> str:
    match event:
        case {cases}:
            return event.EVENT
        case _:
            assert_never(event)
"""


def _check(tmp_path: Path, names: list[str]) -> tuple[str, int]:
    snippet = tmp_path / "consumer.py"
    cases = " | ".join(f"{name}()" for name in names)
    snippet.write_text(_SNIPPET.format(names=", ".join(names), cases=cases), encoding="utf-8")
    out, err, status = api.run(
        [
            "--strict",
            "--config-file=",
            f"--cache-dir={tmp_path / 'cache'}",
            "--python-version=3.11",
            str(snippet),
        ]
    )
    return out + err, status


def test_a_match_over_app_events_that_omits_one_is_a_mypy_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MYPYPATH", str(SRC))  # this tree's protocol, not an installed one
    every = sorted(cls.__name__ for cls in typing.get_args(protocol.AppEvent))
    assert "SafetySignal" in every
    report, status = _check(tmp_path, every)
    assert status == 0, report
    report, status = _check(tmp_path, [name for name in every if name != "SafetySignal"])
    assert status == 1
    assert 'incompatible type "SafetySignal"; expected "Never"' in report
