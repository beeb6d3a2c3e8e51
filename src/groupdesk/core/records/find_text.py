"""Where a search's words are in a note's text, the way the notes' index matches them.

The session log's full-text index (FTS5, ``unicode61 remove_diacritics 2``) cuts a text
into words (runs of letters and digits: an apostrophe or a hyphen separates), compares
them without accents or case, and takes each word typed as a prefix. Its excerpts mark
the matched words with ``[`` and ``]``. Here, without the index: the place of a match
in the text *as written* (to open a note at the hit) and the marked parts of an excerpt
(to show them emphasised). Folding is a little wider than the index's: œ is oe, æ is ae.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

#: Letters a person may type as two (after case folding: Œ is œ first).
_LIGATURES = {"œ": "oe", "æ": "ae"}
_MARKED = re.compile(r"\[([^\[\]]+)\]")


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """One character without accent or case: é → e, Ç → c, œ → oe, ß → ss (may be "")."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", char).casefold())
    return "".join(_LIGATURES.get(c, c) for c in folded if not unicodedata.combining(c))


def fold(text: str) -> str:
    """``text`` without accents or case, as the search compares it ("Ça" → "ca")."""
    return "".join(_fold_char(char) for char in text)


@dataclass(frozen=True, slots=True)
class _Word:
    """A word of a text: where it is in the text as written, and its folded form."""

    start: int
    end: int
    folded: str


def _words(text: str) -> list[_Word]:
    """The words of ``text`` as the index cuts them. A combining mark belongs to the word
    it follows (an accent typed as e + U+0301 stays in its word)."""
    words: list[_Word] = []
    start: int | None = None
    folded: list[str] = []
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        in_word = category[0] in "LN" or category == "Co"
        if in_word or (category[0] == "M" and start is not None):
            if start is None:
                start, folded = index, []
            folded.append(_fold_char(char))
        elif start is not None:
            words.append(_Word(start, index, "".join(folded)))
            start = None
    if start is not None:
        words.append(_Word(start, len(text), "".join(folded)))
    return [word for word in words if word.folded]


#: A word of the query: its folded pieces ("l'équipe" is ("l", "equipe")); the last is a prefix.
_Term = tuple[str, ...]


def _terms(query: str) -> list[_Term]:
    """The query's words, as the log's search reads them (split at spaces)."""
    terms = [tuple(word.folded for word in _words(typed)) for typed in query.split()]
    return [term for term in terms if term]


def _matches_at(words: list[_Word], at: int, pieces: list[tuple[str, bool]]) -> bool:
    """Whether ``pieces`` (folded text, is a prefix) match the words from ``at`` on."""
    if at + len(pieces) > len(words):
        return False
    for word, (piece, prefix) in zip(words[at:], pieces, strict=False):
        if not (word.folded.startswith(piece) if prefix else word.folded == piece):
            return False
    return True


def _first(words: list[_Word], pieces: list[tuple[str, bool]]) -> tuple[int, int] | None:
    """The span of the first place ``pieces`` match, or None."""
    for at in range(len(words)):
        if _matches_at(words, at, pieces):
            return words[at].start, words[at + len(pieces) - 1].end
    return None


def _pieces(terms: list[_Term]) -> list[tuple[str, bool]]:
    """The terms one after another, each term's last piece a prefix."""
    return [(piece, i == len(term) - 1) for term in terms for i, piece in enumerate(term)]


def find_span(text: str, query: str) -> tuple[int, int] | None:
    """Where the query first matches in ``text``: ``(start, end)`` character offsets into
    ``text`` as written, or None.

    Accents, case and œ/oe aside, each word typed matching the start of a word of the
    text (as the index does). The whole query, its words in the order typed and next to
    each other ("plan de sécurité"), is looked for first; else the first place any one
    of its words matches. The span covers the text's whole words, their accents too.
    """
    terms = _terms(query)
    words = _words(text)
    if len(terms) > 1:
        whole = _first(words, _pieces(terms))
        if whole is not None:
            return whole
    best: tuple[int, int] | None = None
    for term in terms:
        span = _first(words, _pieces([term]))
        if span is not None and (best is None or (span[0], -span[1]) < (best[0], -best[1])):
            best = span
    return best


def excerpt_parts(excerpt: str, query: str) -> list[tuple[str, bool]]:
    """An excerpt from the log's search cut into ``(text, matched)`` parts, the ``[ ]``
    marks removed around matched words. A bracketed part that is not a word of the query
    (a note's own "[sic]") is kept as written, brackets and all."""
    pieces = {piece for term in _terms(query) for piece in term}
    parts: list[tuple[str, bool]] = []

    def plain(text: str) -> None:
        if not text:
            return
        if parts and not parts[-1][1]:
            parts[-1] = (parts[-1][0] + text, False)
        else:
            parts.append((text, False))

    position = 0
    for found in _MARKED.finditer(excerpt):
        inside = found.group(1)
        words = _words(inside)
        matched = bool(words) and all(
            any(word.folded.startswith(piece) for piece in pieces) for word in words
        )
        if not matched:
            continue
        plain(excerpt[position : found.start()])
        parts.append((inside, True))
        position = found.end()
    plain(excerpt[position:])
    return parts
