"""Organisation policy: schema, defaults, precedence, validation."""

from __future__ import annotations

from typing import Any


def load_effective_policy() -> dict[str, Any]:
    """The merged policy."""
    return {}


def format_effective_policy(effective: dict[str, Any]) -> str:
    """The merged policy as text."""
    return ""
