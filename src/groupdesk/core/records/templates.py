"""Note templates (the policy's ``note_templates``) and a note's starting text.

A template has an id, a name and its section headings in English and French, and says
which notes it applies to (:class:`NoteKind`). :func:`starting_text` writes the headings
in the note's language with the session's facts under the template's facts section (or
under a "Facts of the session" heading first), so the practitioner edits from there.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from groupdesk.core.i18n import tr
from groupdesk.core.models import SessionKind
from groupdesk.core.records.fact_text import fact_lines
from groupdesk.core.records.facts import SessionFacts


class NoteKind(enum.StrEnum):
    """Which note a template serves: the group's note of a group session, a present
    member's, the note of a one-to-one session, or an absent member's."""

    GROUP = "group"
    MEMBER = "member"
    INDIVIDUAL = "individual"
    ABSENT = "absent"


def _text_by_language(value: Any, what: str) -> Mapping[str, str]:
    if not isinstance(value, Mapping) or not value:
        raise ValueError(f"{what}: its text is not text by language")
    if not all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()):
        raise ValueError(f"{what}: its text is not text by language")
    return types.MappingProxyType(dict(value))


def _in(text: Mapping[str, str], lang: str) -> str:
    return text.get(lang) or text.get("en") or next(iter(text.values()))


@dataclass(frozen=True)
class TemplateSection:
    """A section of a template: its id, its heading by language, and whether the
    session's facts go under it (``facts``)."""

    id: str
    heading: Mapping[str, str] = field(hash=False)
    facts: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValueError(f"a template section needs an id, not {self.id!r}")
        if not isinstance(self.facts, bool):
            raise ValueError(f"template section {self.id!r}: facts is true or false")  # noqa: TRY004
        object.__setattr__(
            self, "heading", _text_by_language(self.heading, f"template section {self.id!r}")
        )

    def heading_in(self, lang: str) -> str:
        """The heading in ``lang``, else English, else any."""
        return _in(self.heading, lang)


@dataclass(frozen=True)
class NoteTemplate:
    """A note template: id (kept with the note), name, the note kinds it applies to and
    its sections in order."""

    id: str
    name: Mapping[str, str] = field(hash=False)
    applies_to: frozenset[NoteKind]
    sections: tuple[TemplateSection, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id or len(self.id) > 64:
            raise ValueError(f"a note template needs an id of 1 to 64 characters, not {self.id!r}")
        object.__setattr__(self, "name", _text_by_language(self.name, f"template {self.id!r}"))
        object.__setattr__(self, "applies_to", frozenset(NoteKind(k) for k in self.applies_to))
        object.__setattr__(self, "sections", tuple(self.sections))
        if not self.applies_to:
            raise ValueError(f"template {self.id!r} applies to no note")
        if not self.sections or not all(isinstance(s, TemplateSection) for s in self.sections):
            raise ValueError(f"template {self.id!r} needs sections")

    def name_in(self, lang: str) -> str:
        """The name in ``lang``, else English, else any."""
        return _in(self.name, lang)

    @property
    def facts_section(self) -> TemplateSection | None:
        """The section the session's facts go under (None: a heading of their own)."""
        return next((s for s in self.sections if s.facts), None)


def note_templates(value: Any) -> tuple[NoteTemplate, ...]:
    """The templates of the policy's ``note_templates`` value (validated already by the
    schema); for a repeated id the first one (the highest source's) wins."""
    templates: dict[str, NoteTemplate] = {}
    for item in value or ():
        template = NoteTemplate(
            id=str(item["id"]),
            name=item["name"],
            applies_to=frozenset(NoteKind(k) for k in item["applies_to"]),
            sections=tuple(
                TemplateSection(str(s["id"]), s["heading"], bool(s.get("facts", False)))
                for s in item["sections"]
            ),
        )
        templates.setdefault(template.id, template)
    return tuple(templates.values())


def templates_for(templates: Iterable[NoteTemplate], kind: NoteKind) -> tuple[NoteTemplate, ...]:
    """The templates that apply to a note of ``kind``, in the policy's order."""
    return tuple(t for t in templates if kind in t.applies_to)


def note_kind(facts: SessionFacts, member_id: int | None) -> NoteKind:
    """The kind of a note about ``facts``: the session's (``member_id`` None), a one-to-one
    session's, an absent member's or a present member's."""
    member = None if member_id is None else facts.member(member_id)
    if member is not None and member.expected and not member.present:
        return NoteKind.ABSENT
    if facts.kind is SessionKind.INDIVIDUAL:
        return NoteKind.INDIVIDUAL
    return NoteKind.GROUP if member_id is None else NoteKind.MEMBER


def starting_text(
    template: NoteTemplate,
    facts: SessionFacts,
    member_id: int | None,
    lang: str,
    tz: tzinfo,
    *,
    item_names: Mapping[str, str] | None = None,
    resource_names: Mapping[str, str] | None = None,
) -> str:
    """A note's first text: the template's headings in ``lang``, each followed by an empty
    line to write on, with the facts (see :func:`fact_lines`) as ``- `` lines under the
    template's facts section, or under a "Facts of the session" heading placed first when
    the template has none."""
    lines = fact_lines(
        facts, member_id, lang, tz, item_names=item_names, resource_names=resource_names
    )
    cited = [f"- {line}" for line in lines]
    blocks: list[str] = []
    if template.facts_section is None:
        blocks.append("\n".join([tr("records.template.facts_heading", lang), *cited]))
    for section in template.sections:
        body = cited if section.facts else [""]
        blocks.append("\n".join([section.heading_in(lang), *body]))
    return "\n\n".join(blocks) + "\n"
