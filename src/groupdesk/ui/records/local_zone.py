"""The computer's timezone as a ``tzinfo`` with its rules (summer time included), so a
record exported in December shows a July session at July's offset."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QTimeZone

log = logging.getLogger(__name__)


def local_zone() -> tzinfo:
    """``TZ`` if set, else the system's zone as Qt names it (IANA), else today's offset."""
    system = bytes(QTimeZone.systemTimeZoneId().data()).decode()
    names = (os.environ.get("TZ", "").lstrip(":"), system)
    for name in names:
        if not name:
            continue
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            log.info("timezone %r not known to zoneinfo", name)
    return datetime.now().astimezone().tzinfo or UTC
