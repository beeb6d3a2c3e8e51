"""The organisation's guidelines (policy ``organisation_guidelines``): text and its links.

The administrator writes the text by language; the web addresses in it become links.
Only ``https://`` addresses do: anything else (``http://``, ``file:``, ``javascript:``)
stays plain text, so a policy cannot make the app open an unencrypted or local
address. No I/O here: the Help dialog renders :meth:`Guidelines.parts`.
"""

from __future__ import annotations

import re
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

_HTTPS = re.compile(r"https://[^\s<>\"'()\[\]{}]+", re.IGNORECASE)
_TRAILING = ".,;:!?»"  # punctuation that ends a sentence, not the address

PartKind = Literal["text", "link"]


def https_links(text: str) -> tuple[str, ...]:
    """The ``https://`` addresses in ``text``, in order, once each."""
    seen: dict[str, None] = {}
    for kind, part in split_links(text):
        if kind == "link":
            seen.setdefault(part, None)
    return tuple(seen)


def split_links(text: str) -> tuple[tuple[PartKind, str], ...]:
    """``text`` cut into plain parts and ``https://`` addresses (sentence punctuation
    after an address stays text)."""
    parts: list[tuple[PartKind, str]] = []
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


@dataclass(frozen=True)
class Guidelines:
    """The organisation's guidelines by language (``en``, ``fr_CA``); empty: none."""

    text: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if not isinstance(self.text, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in self.text.items()
        ):
            raise ValueError("the organisation's guidelines are text by language")
        kept = {lang: value for lang, value in self.text.items() if value.strip()}
        object.__setattr__(self, "text", types.MappingProxyType(kept))

    @property
    def present(self) -> bool:
        """Whether the organisation wrote guidelines in any language."""
        return bool(self.text)

    def text_in(self, lang: str) -> str:
        """The text in ``lang``, else English, else any ("" when there is none)."""
        return self.text.get(lang) or self.text.get("en") or next(iter(self.text.values()), "")

    def parts(self, lang: str) -> tuple[tuple[PartKind, str], ...]:
        """The text in ``lang`` as plain parts and https links."""
        return split_links(self.text_in(lang))

    def links(self, lang: str) -> tuple[str, ...]:
        """The https links of the text in ``lang``."""
        return https_links(self.text_in(lang))
