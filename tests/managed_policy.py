"""The organisation's managed policy file in a test's own policy folder (conftest gives
each test one through GROUPDESK_POLICY_ROOT), with the permissions the loader trusts."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def write_managed_policy(data: Any, raw: bytes | None = None) -> Path:
    """Write ``data`` as JSON (or ``raw`` bytes as they are) to ``managed/10-org.json``."""
    root = Path(os.environ["GROUPDESK_POLICY_ROOT"])
    root.chmod(0o755)
    folder = root / "managed"
    folder.mkdir(exist_ok=True)
    folder.chmod(0o755)
    path = folder / "10-org.json"
    path.write_bytes(raw if raw is not None else json.dumps(data).encode())
    path.chmod(0o644)
    return path
