"""Adapters to the operating system that ``core`` must not import: the Windows registry
(``winreg``) and macOS preferences (CoreFoundation through ``ctypes``). Each module
imports or loads its OS library only when called on that OS; tests drive them with fakes.
"""

from __future__ import annotations

from groupdesk.platform.policy_store import install_policy_reader, system_policy_reader

__all__ = ["install_policy_reader", "system_policy_reader"]
