"""Finding words in a note's text the way the search does: accents and case optional."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` without accents, in lower case, and for each of its characters the index
    of the character of ``text`` it comes from (so a match maps back to the text)."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for part in unicodedata.normalize("NFD", char):
            if unicodedata.combining(part):
                continue
            for lower in part.casefold():
                folded.append(lower)
                origin.append(index)
    return "".join(folded), origin


def first_match(text: str, query: str) -> tuple[int, int] | None:
    """Where the first of the query's words appears in ``text`` (start, end), with or
    without accents and in any case; None when none of them does."""
    haystack, origin = fold(text)
    best: tuple[int, int] | None = None
    for word in query.split():
        needle = fold(word.strip('"*'))[0]
        if not needle:
            continue
        at = haystack.find(needle)
        if at < 0:
            continue
        end = origin[at + len(needle) - 1] + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1  # an accent written apart goes with its letter
        span = (origin[at], end)
        if best is None or span[0] < best[0]:
            best = span
    return best


def matches(text: str, query: str) -> bool:
    """Whether every word of ``query`` is in ``text`` (accents and case optional)."""
    haystack = fold(text)[0]
    return all(fold(word)[0] in haystack for word in query.split())
