"""How the app starts itself again (the simulated participants of ``groupdesk demo``)."""

from __future__ import annotations

import sys

import pytest

from groupdesk import app


def test_from_source_it_runs_this_python_with_the_module() -> None:
    assert app.groupdesk_command() == [sys.executable, "-m", "groupdesk"]


def test_once_frozen_the_bundle_executable_is_started_without_minus_m(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/groupdesk/groupdesk")
    assert app.groupdesk_command() == ["/opt/groupdesk/groupdesk"]
