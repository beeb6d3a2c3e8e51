"""Test-wide setup: offscreen Qt, isolated user folders, explicit keyring backends."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from memory_keyring import MemoryKeyring

# The network impairment harness's ``net_impair`` fixture (tests/net_impair.py).
pytest_plugins = ["net_impair"]

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TESTS_DIR = Path(__file__).parent
REPO_ROOT = TESTS_DIR.parent


@pytest.fixture(autouse=True, scope="session")
def _loopback_only_ice() -> Iterator[None]:
    """Real peers in tests talk over 127.0.0.1 only, never the machine's network address."""
    from groupdesk.media import ice

    ice.restrict_host_addresses(ice.LOOPBACK_ADDRESSES)
    yield
    ice.restrict_host_addresses(None)


@pytest.fixture(autouse=True)
def _collect_on_the_main_thread() -> Iterator[None]:
    """Collect each test's garbage now, on the main thread: a Qt object left in a cycle
    and collected later from a worker thread (aiortc's, a web test's) makes Qt warn
    that its timers "cannot be stopped from another thread"."""
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def _language_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    """The messages' language a test chose (``i18n.set_language``) ends with the test: a
    French About box left it in French for the next test's command-line output."""
    from groupdesk.core import i18n

    monkeypatch.setattr(i18n, "_current", i18n._current)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test gets its own empty data, config, cache and policy folders."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
        ("GROUPDESK_POLICY_ROOT", "etc-policies"),
    ):
        (home / sub).mkdir()
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("GROUPDESK_PASSPHRASE", raising=False)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Use an in-memory keyring backend for the duration of the test."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """Behave like a headless Linux box: no usable keyring (NoKeyringError)."""
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)
