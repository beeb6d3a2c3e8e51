"""The system policy source of this OS, installed into ``core.policy_sources`` at start."""

from __future__ import annotations

import sys

from groupdesk.core.policy_sources import PolicyReader, install_system_reader


def system_policy_reader(platform: str | None = None) -> PolicyReader | None:
    """The registry on Windows, managed preferences on macOS, None elsewhere (the folder).

    Raises OSError when the OS library cannot be loaded.
    """
    platform = platform or sys.platform
    if platform == "win32":
        from groupdesk.platform.policy_windows import registry_reader

        return registry_reader()
    if platform == "darwin":
        from groupdesk.platform.policy_macos import preferences_reader

        return preferences_reader()
    return None


def install_policy_reader(platform: str | None = None) -> None:
    """Install this OS's policy source (the entry points call it first thing).

    When its library cannot be loaded no reader is installed, and loading the policy
    then reports ``no_system_source``: a managed machine never silently looks unmanaged.
    """
    try:
        reader = system_policy_reader(platform)
    except (OSError, ImportError):  # no CoreFoundation, no winreg: reported at load
        reader = None
    install_system_reader(reader)
