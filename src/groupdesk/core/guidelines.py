"""The links written in the organisation's guidelines (policy ``organisation_guidelines``).

The administrator writes the text by language (and may list links beside it: see
:class:`~groupdesk.core.policy_values.Guidelines`); the web addresses in the text become
links too. Only ``https://`` addresses do: anything else (``http://``, ``file:``,
``javascript:``) stays plain text, so a policy cannot make the app open an unencrypted or
local address. No I/O here: the Help dialog renders the parts.
"""

from __future__ import annotations

import re
from typing import Literal

_HTTPS = re.compile(r"https://[^\s<>\"'()\[\]{}]+", re.IGNORECASE)
_TRAILING = ".,;:!?»"  # punctuation that ends a sentence, not the address

PartKind = Literal["text", "link"]
TextPart = tuple[PartKind, str]
"""A plain part of the text, or an https address written in it."""


def https_links(text: str) -> tuple[str, ...]:
    """The ``https://`` addresses in ``text``, in order, once each."""
    seen: dict[str, None] = {}
    for kind, part in split_links(text):
        if kind == "link":
            seen.setdefault(part, None)
    return tuple(seen)


def split_links(text: str) -> tuple[TextPart, ...]:
    """``text`` cut into plain parts and ``https://`` addresses (sentence punctuation
    after an address stays text)."""
    parts: list[TextPart] = []
    at = 0
    for match in _HTTPS.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        if len(url) <= len("https://"):
            continue
        if match.start() > at:
            parts.append(("text", text[at : match.start()]))
        parts.append(("link", url))
        at = match.start() + len(url)
    if at < len(text):
        parts.append(("text", text[at:]))
    return tuple(parts)
