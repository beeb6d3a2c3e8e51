"""The effective policy as one typed object: what the app reads, read once. No I/O here.

:class:`~groupdesk.core.policy.EffectivePolicy` knows where each value came from and
whether it is locked (for ``--print-effective-policy`` and the settings the person
may change); its ``value(key)`` is ``Any``. The rest of the app reads :class:`Policy`
instead: every key it uses as a typed field, checked once when it is built
(:meth:`Policy.of`), so a consumer cannot misspell a key or mistake its type.
"""

from __future__ import annotations

import re
import types
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from groupdesk.core.guidelines import TextPart, split_links
from groupdesk.core.policy import EffectivePolicy, load_effective_policy
from groupdesk.core.policy_files import PolicyProblem
from groupdesk.core.policy_schema import key_spec
from groupdesk.core.protocol import (
    MAX_QUESTION_CHARS,
    QUESTION_KINDS,
    QUEUE_ORDERS,
    QuestionKind,
    QuestionText,
    QueueOrder,
    SafetyWording,
)
from groupdesk.core.records.templates import NoteTemplate, note_templates


@dataclass(frozen=True)
class ChecklistItem:
    """One checklist item: its id, its text by language (``en``, ``fr_CA``...), how it
    is answered (``kind``: a tick, words, a phone number, where one is now) and whether
    admission waits on it (``required``)."""

    id: str
    text: Mapping[str, str] = field(hash=False)
    kind: QuestionKind = "tick"
    required: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValueError(f"a checklist item needs an id, not {self.id!r}")
        if self.kind not in QUESTION_KINDS or not isinstance(self.required, bool):
            raise ValueError(f"checklist item {self.id!r}: kind or required is not known")
        if not isinstance(self.text, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in self.text.items()
        ):
            raise ValueError(f"checklist item {self.id!r}: its text is not text by language")
        object.__setattr__(self, "text", types.MappingProxyType(dict(self.text)))

    def text_in(self, lang: str) -> str:
        """The text in ``lang``, else English, else any, else the id."""
        return self.text.get(lang) or self.text.get("en") or next(iter(self.text.values()), self.id)


MediaMode = Literal["mesh", "sfu", "auto"]
"""Policy ``media_mode``: peer to peer, through the organisation's Janus, or chosen by it."""


@dataclass(frozen=True)
class PolicyText:
    """A text of the policy by language (``en``, ``fr_CA``), e.g. the group rules."""

    text: Mapping[str, str] = field(hash=False)

    def __post_init__(self) -> None:
        if not isinstance(self.text, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in self.text.items()
        ):
            raise ValueError("a policy text is text by language")
        object.__setattr__(self, "text", types.MappingProxyType(dict(self.text)))

    def text_in(self, lang: str) -> str:
        """The text in ``lang``, else English, else any ("" when there is none)."""
        return self.text.get(lang) or self.text.get("en") or next(iter(self.text.values()), "")

    def as_dict(self) -> dict[str, str]:
        """The text by language, as plain JSON (for the wire)."""
        return dict(self.text)


_HTTPS_URL = re.compile(r"https://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#]\S*)?")
"""A link the guidelines may hold: https only (the schema's pattern, checked again here so
that a link built in code cannot point at ``file:``, ``javascript:`` or plain ``http:``)."""


@dataclass(frozen=True)
class GuidelineLink:
    """One link of the organisation's guidelines: an ``https://`` address and its title by
    language."""

    url: str
    title: PolicyText

    def __post_init__(self) -> None:
        if not isinstance(self.url, str) or not _HTTPS_URL.fullmatch(self.url):
            raise ValueError(f"a guideline link is an https:// address, not {self.url!r}")
        if not isinstance(self.title, PolicyText):
            raise ValueError(f"guideline link {self.url!r}: its title is a PolicyText")  # noqa: TRY004

    def title_in(self, lang: str) -> str:
        """The title in ``lang``, else English, else any, else the address."""
        return self.title.text_in(lang) or self.url


@dataclass(frozen=True)
class Guidelines:
    """The organisation's guidelines (``organisation_guidelines``): text by language and
    links. Nothing to show when :attr:`empty` (the default)."""

    text: PolicyText = field(default_factory=lambda: PolicyText({}))
    links: tuple[GuidelineLink, ...] = ()

    @classmethod
    def of(cls, value: Mapping[str, Any]) -> Guidelines:
        """The guidelines of a policy value (``{"en": ..., "fr_CA": ..., "links": [...]}``)."""
        texts = {lang: str(value[lang]) for lang in ("en", "fr_CA") if lang in value}
        links = tuple(
            GuidelineLink(str(link["url"]), PolicyText(link["title"]))
            for link in value.get("links") or ()
        )
        return cls(PolicyText(texts), links)

    @property
    def empty(self) -> bool:
        """True when there is neither text (in any language) nor a link."""
        return not self.links and not any(t.strip() for t in self.text.text.values())

    def text_in(self, lang: str) -> str:
        """The text in ``lang``, else English, else any ("" when there is none)."""
        return self.text.text_in(lang)

    def parts(self, lang: str) -> tuple[TextPart, ...]:
        """The text in ``lang`` cut into plain parts and the https addresses written in it."""
        return split_links(self.text_in(lang))


@dataclass(frozen=True)
class ConsentText:
    """The consent to the remote modality: its text and the version the organisation
    bumps when the text changes (a consent is to one version)."""

    version: str
    text: PolicyText

    def __post_init__(self) -> None:
        if not isinstance(self.version, str) or not self.version.strip():
            raise ValueError(f"a consent text needs a version, not {self.version!r}")

    @classmethod
    def of(cls, value: Mapping[str, Any]) -> ConsentText:
        """The consent text of a policy value (``{"version": ..., "text": {...}}``)."""
        return cls(str(value["version"]), PolicyText(value["text"]))

    @classmethod
    def builtin(cls) -> ConsentText:
        """The schema's default consent text (before any policy is read)."""
        return cls.of(key_spec("remote_consent").default)


def _localized(value: Any, what: str) -> Mapping[str, str]:
    """A read-only text by language, or ValueError naming ``what``."""
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValueError(f"{what}: its text is not text by language")
    return types.MappingProxyType(dict(value))


def _in(text: Mapping[str, str], lang: str, fallback: str) -> str:
    return text.get(lang) or text.get("en") or next(iter(text.values()), fallback)


@dataclass(frozen=True)
class CrisisStep:
    """One step of the crisis protocol: its id, its text by language, and whether it is
    the step to take first when the person's connection drops (``when_dropped``)."""

    id: str
    text: Mapping[str, str] = field(hash=False)
    when_dropped: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValueError(f"a crisis step needs an id, not {self.id!r}")
        if not isinstance(self.when_dropped, bool):
            raise ValueError(f"crisis step {self.id!r}: when_dropped is true or false")  # noqa: TRY004
        object.__setattr__(self, "text", _localized(self.text, f"crisis step {self.id!r}"))

    def text_in(self, lang: str) -> str:
        """The text in ``lang``, else English, else any, else the id."""
        return _in(self.text, lang, self.id)


RESOURCE_LANGUAGES = ("en", "fr_CA")


@dataclass(frozen=True)
class CrisisResource:
    """A crisis or referral line of the policy's directory: its id, name by language, the
    number to call (``phone``) or to text (``sms``), a note, the region it serves (``CA``,
    ``CA-QC``) and the languages it answers in."""

    id: str
    name: Mapping[str, str] = field(hash=False)
    region: str
    languages: tuple[str, ...]
    phone: str | None = None
    sms: str | None = None
    note: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValueError(f"a crisis resource needs an id, not {self.id!r}")
        if not isinstance(self.region, str) or not self.region:
            raise ValueError(f"crisis resource {self.id!r} needs a region")
        languages = tuple(self.languages)
        if not languages or not set(languages) <= set(RESOURCE_LANGUAGES):
            raise ValueError(f"crisis resource {self.id!r}: languages are en and/or fr_CA")
        if not (self.phone or self.sms):
            raise ValueError(f"crisis resource {self.id!r} needs a number to call or to text")
        object.__setattr__(self, "languages", languages)
        object.__setattr__(self, "name", _localized(self.name, f"crisis resource {self.id!r}"))
        object.__setattr__(self, "note", _localized(self.note, f"crisis resource {self.id!r}"))

    @property
    def national(self) -> bool:
        """Whether it serves a whole country (``CA``), not one province or region."""
        return "-" not in self.region

    def name_in(self, lang: str) -> str:
        """The name in ``lang``, else English, else any, else the id."""
        return _in(self.name, lang, self.id)

    def note_in(self, lang: str) -> str:
        """The note in ``lang``, else English, else any ("" when there is none)."""
        return _in(self.note, lang, "")


def _crisis_protocol(value: Any) -> tuple[CrisisStep, ...]:
    steps: dict[str, CrisisStep] = {}
    for item in value or ():
        step = CrisisStep(str(item["id"]), item["text"], bool(item.get("when_dropped", False)))
        steps.setdefault(step.id, step)
    return tuple(steps.values())


def _crisis_resources(value: Any) -> tuple[CrisisResource, ...]:
    return tuple(
        CrisisResource(
            id=str(item["id"]),
            name=item["name"],
            region=str(item["region"]),
            languages=tuple(item["languages"]),
            phone=item.get("phone"),
            sms=item.get("text"),
            note=item.get("note", {}),
        )
        for item in value or ()
    )


def _builtin(key: str) -> Any:
    return key_spec(key).default


SAFETY_DEFAULTS = {
    "safety_option": QuestionText(en="Switch to text only", fr_ca="Passer en mode texte seulement"),
    "safety_sent": QuestionText(
        en="Text-only mode requested.", fr_ca="Mode texte seulement demandé."
    ),
    "safety_withdraw": QuestionText(en="Back to normal mode", fr_ca="Revenir au mode normal"),
    "safety_withdrawn": QuestionText(en="Normal mode restored.", fr_ca="Mode normal rétabli."),
}
"""The schema's defaults of the safety wording (for a text left empty)."""
DEFAULT_SAFETY_WORDING = SafetyWording(*SAFETY_DEFAULTS.values())


def _printable(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) != "Cc" or c in "\n\t")


def _text(value: Any, key: str) -> QuestionText:
    """A localized policy text (``{"en": ..., "fr_CA": ...}``) as a ``QuestionText``:
    blank languages left out, cut to the wire's length; nothing left: the default."""
    texts = {
        lang: " ".join(_printable(str(value.get(lang) or "")).split())[:MAX_QUESTION_CHARS]
        for lang in ("en", "fr_CA")
    } if isinstance(value, Mapping) else {}  # fmt: skip
    if not any(texts.values()):
        return SAFETY_DEFAULTS[key]
    return QuestionText(en=texts["en"] or None, fr_ca=texts["fr_CA"] or None)


def _checklist(value: Any, *extra: Any) -> tuple[ChecklistItem, ...]:
    """The items of a checklist, then those of ``extra`` lists whose id is not asked yet."""
    items: dict[str, ChecklistItem] = {}
    for item in [*(value or ()), *(i for more in extra for i in more or ())]:
        kind = _KINDS.get(str(item.get("kind", "tick")), "tick")
        checklist_item = ChecklistItem(
            str(item["id"]), item.get("text", {}), kind, bool(item.get("required", False))
        )
        items.setdefault(checklist_item.id, checklist_item)
    return tuple(items.values())


_KINDS: dict[str, QuestionKind] = {kind: kind for kind in QUESTION_KINDS}


@dataclass(frozen=True)
class Policy:
    """The values of the effective policy the app uses, typed (see the schema for each)."""

    language: str
    """``system``, ``en`` or ``fr_CA``."""
    server_url: str
    """The organisation's signalling server ("": the embedded one)."""
    embedded_server_host: str
    max_group_size: int
    lobby_preview: bool
    lobby_preview_managed: bool
    """Whether the organisation decides ``lobby_preview`` (else the person may)."""
    reconnect_grace_seconds: int
    retention_years: int
    session_max_minutes: int
    turn_seconds: int
    """The soft limit of a speaking turn (the turn manager's ``TurnSettings.turn_seconds``)."""
    turn_queue_order: QueueOrder
    """How hands are ordered when a session starts (``TurnSettings.queue_order``)."""
    floor_lowers_hand: bool
    """Whether the floor lowers the speaker's hand (``TurnSettings.lower_hand_on_floor``)."""
    ice_relay_only: bool
    """Whether the facilitator's rooms are relay-only (members never see each other's IP)."""
    facilitator_checklist: tuple[ChecklistItem, ...]
    participant_checklist: tuple[ChecklistItem, ...]
    """What each participant answers before admission (with ``participant_extra``'s
    items after it)."""
    group_rules: PolicyText
    """The group's rules, shown before participants agree to them and during the session."""
    remote_consent: ConsentText
    """The consent to the remote modality, with its version."""
    safety_wording: SafetyWording = DEFAULT_SAFETY_WORDING
    """The words of the discreet safety option (``safety_option``, ``safety_sent``...)."""
    crisis_protocol: tuple[CrisisStep, ...] = field(
        default_factory=lambda: _crisis_protocol(_builtin("crisis_protocol"))
    )
    """The steps of the crisis panel, in order (``resources/crisis/protocol.json``)."""
    crisis_resources: tuple[CrisisResource, ...] = field(
        default_factory=lambda: _crisis_resources(_builtin("crisis_resources"))
    )
    """The crisis and referral lines (the organisation's first, then the built-in ones)."""
    crisis_silence_seconds: int = 20
    """Seconds without hearing the person in crisis before the facilitator is alerted."""
    crisis_freeze_seconds: int = 10
    """Seconds without a new picture of the person in crisis before the alert."""
    crisis_alert_sound: bool = False
    """Whether the crisis alerts make a sound too (they are always shown)."""
    note_templates: tuple[NoteTemplate, ...] = field(
        default_factory=lambda: note_templates(_builtin("note_templates"))
    )
    """The templates notes start from (the organisation's first, then the built-in ones
    of ``resources/notes/templates.json``)."""
    attrition_missed_in_row: int = 2
    """Sessions missed in a row (of those the member was expected at) that flag them."""
    auto_lock_minutes: int = 10
    """Minutes without input before the app locks the log (within the managed ceiling)."""
    break_reminder_minutes: int = 60
    """Minutes between two gentle break reminders during a session (10 to 240; a managed
    value is a ceiling: the person may be reminded more often, never less)."""
    organisation_guidelines: Guidelines = field(default_factory=Guidelines)
    """The organisation's guidelines for remote groups (text and https links) for the Help
    menu; ``.empty`` when the organisation gave none."""
    organisation_name: PolicyText = field(default_factory=lambda: PolicyText({}))
    """The organisation's name by language, printed on exported records ("" : none)."""
    exclude_screen_capture: bool = False
    """Whether the facilitator's window is hidden from screen capture where the OS can."""
    media_mode: MediaMode = "mesh"
    """How call media travels: ``mesh``, ``sfu`` (the organisation's Janus) or ``auto``;
    read by ``groupdesk-server`` (``--janus-url``)."""
    sfu_from_members: int = 5
    """With ``media_mode`` ``auto``: rooms planned for this many people or more go
    through the media server."""
    update_check: bool = True
    """Whether GroupDesk may tell about a newer version (it never updates itself; this
    version has no check: the About box says which of the two the policy chose)."""
    managed_keys: frozenset[str] = frozenset()
    """The keys the organisation's managed policy decides or bounds ("Managed by your
    organisation"); empty: this computer is not managed."""
    problems: tuple[PolicyProblem, ...] = ()

    @classmethod
    def of(cls, effective: EffectivePolicy) -> Policy:
        """The typed values of ``effective`` (validated against the schema already)."""
        value = effective.value
        return cls(
            language=str(value("language")),
            server_url=str(value("server_url") or ""),
            embedded_server_host=str(value("embedded_server_host") or "127.0.0.1"),
            max_group_size=int(value("max_group_size")),
            lobby_preview=bool(value("lobby_preview")),
            lobby_preview_managed=effective.setting("lobby_preview").managed,
            reconnect_grace_seconds=int(value("reconnect_grace_seconds")),
            retention_years=int(value("retention_years")),
            session_max_minutes=int(value("session_max_minutes")),
            turn_seconds=int(value("turn_seconds")),
            turn_queue_order=_QUEUE_ORDERS.get(str(value("turn_queue_order")), "raised"),
            floor_lowers_hand=bool(value("floor_lowers_hand")),
            ice_relay_only=bool(value("ice_relay_only")),
            facilitator_checklist=_checklist(value("facilitator_checklist")),
            participant_checklist=_checklist(
                value("participant_checklist"), value("participant_extra")
            ),
            safety_wording=SafetyWording(*(_text(value(key), key) for key in SAFETY_DEFAULTS)),
            group_rules=PolicyText(value("group_rules")),
            remote_consent=ConsentText.of(value("remote_consent")),
            crisis_protocol=_crisis_protocol(value("crisis_protocol")),
            crisis_resources=_crisis_resources(value("crisis_resources")),
            crisis_silence_seconds=int(value("crisis_silence_seconds")),
            crisis_freeze_seconds=int(value("crisis_freeze_seconds")),
            crisis_alert_sound=bool(value("crisis_alert_sound")),
            note_templates=note_templates(value("note_templates")),
            attrition_missed_in_row=int(value("attrition_missed_in_row")),
            auto_lock_minutes=int(value("auto_lock_minutes")),
            break_reminder_minutes=int(value("break_reminder_minutes")),
            organisation_guidelines=Guidelines.of(value("organisation_guidelines")),
            organisation_name=PolicyText(value("organisation_name")),
            exclude_screen_capture=bool(value("exclude_screen_capture")),
            update_check=bool(value("update_check")),
            media_mode=_MEDIA_MODES.get(str(value("media_mode")), "mesh"),
            sfu_from_members=int(value("sfu_from_members")),
            managed_keys=frozenset(k for k, s in effective.settings.items() if s.managed),
            problems=effective.problems,
        )


_QUEUE_ORDERS: dict[str, QueueOrder] = {order: order for order in QUEUE_ORDERS}
_MEDIA_MODES: dict[str, MediaMode] = {"mesh": "mesh", "sfu": "sfu", "auto": "auto"}


def load_policy(root: Path | None = None, user_file: Path | None = None) -> Policy:
    """Read the effective policy (see ``load_effective_policy``) as a :class:`Policy`."""
    return Policy.of(load_effective_policy(root, user_file))
