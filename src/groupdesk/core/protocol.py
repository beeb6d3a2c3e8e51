"""The signalling wire format (version 1), shared by the server, the app and the web page.

Every message is one JSON object ``{"v": 1, "type": "...", ...}`` sent as a
WebSocket text frame. It is parsed once, at the edge, into a frozen dataclass
whose ``__post_init__`` validates every field; anything else raises
:class:`ProtocolError` with a stable :class:`ErrorCode`. ``encode`` is the only
way out. Unknown extra fields are ignored, so v1 may gain optional fields.

Client to server: ``inquire`` (before ``hello``: is this invite good, and what does
the room ask?), ``hello`` (role ``facilitator`` or ``participant``),
``open_room`` (optionally with the room's ``questions``), ``join_room``, ``admit``,
``decline``, ``remove``, ``request_mute``, ``end_room``, ``resume``, ``signal``, ``chat``,
``app``, ``uplink``, ``leave``. Server to client: ``welcome``, ``error``, ``room_info``,
``room_opened``, ``lobby``, ``waiting``, ``admitted``,
``member_joined``, ``member_left``, ``signal``, ``sfu``, ``media``, ``chat``, ``app``,
``mute_requested``,
``declined``, ``removed``, ``room_ended``. Any client message may carry ``ref`` (a short
string of the client's choosing) that an ``error`` reply echoes.

Member ids are 12 lowercase hex digits: they compare as strings, and in the mesh
the member with the smaller id makes the offer.

The lobby's one exception to "nobody waiting reaches anyone": the **preview**. A
facilitator may send a ``signal`` to a person waiting in the lobby, and that person
may send one to a facilitator of the room, when its payload's ``type`` starts with
``preview.`` (:data:`PREVIEW_SIGNAL_PREFIX`): the facilitator asks to see the waiting
person's camera, send-only, before admitting them. Nothing else crosses the lobby.

Controls belong to facilitators. ``admit``, ``decline``, ``remove``, ``end_room`` and
``request_mute`` (ask one member's app to mute its microphone) are typed messages the
server accepts from a facilitator of the room only; so is the ``turn_state`` app
event. The server refuses a participant's control request with ``control_refused``
and relays it to nobody, and every client still acts on a control only when its
sender is a facilitator it knows (a server of an older version relays more).

An ``app`` message's ``event`` names one :data:`AppEvent` (a frozen dataclass per
event: raise or lower a hand, media state, reaction, safety signal, pass in a round,
turn state) and its ``data`` holds that event's fields. The server parses it like any
message: a payload that does not fit its event is ``bad_message``, relayed to nobody,
and what it relays is the typed event re-encoded (unknown keys do not travel). The old
form of a mute request, ``media_state`` carrying ``request_mute``, is no longer a media
state. The safety signal and ``pass_turn`` go to the room's facilitators only, so the
others never see them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import json
import math
import re
import types
import typing
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from groupdesk.core.errors import GroupDeskError

PROTOCOL_VERSION = 1
MAX_MESSAGE_CHARS = 64 * 1024
"""Largest text frame the server reads (an SDP offer for a few tracks is ~5-10 KB)."""
MAX_CHAT_CHARS = 2000
MAX_DISPLAY_NAME_CHARS = 64
MAX_DECLARED_ITEMS = 32
MAX_DECLARED_VALUE_CHARS = 500
MAX_APP_DATA_CHARS = 4096
MAX_LIST_ITEMS = 256
MAX_QUESTIONS = 16
MAX_QUESTION_CHARS = 300
MAX_RULES_CHARS = 8000

Role = Literal["facilitator", "participant"]
ROLES: tuple[Role, ...] = ("facilitator", "participant")
LeftReason = Literal["left", "removed", "expired", "ended"]
QuestionKind = Literal["tick", "text", "phone", "location"]
QUESTION_KINDS: tuple[QuestionKind, ...] = ("tick", "text", "phone", "location")
CONSENT_ANSWER = "remote_consent"
"""The key of ``hello.declared`` that carries the version of the consent text the
person agreed to on the page (absent: they did not)."""
LEFT_REASONS: tuple[LeftReason, ...] = ("left", "removed", "expired", "ended")
IceTransportPolicy = Literal["all", "relay"]
ICE_TRANSPORT_POLICIES: tuple[IceTransportPolicy, ...] = ("all", "relay")
"""``RTCPeerConnection``'s ``iceTransportPolicy``: ``relay`` when the room is relay-only
(policy ``ice_relay_only``: members never see each other's addresses)."""

MediaMode = Literal["mesh", "sfu"]
MEDIA_MODES: tuple[MediaMode, ...] = ("mesh", "sfu")
"""How a room's media travels: ``mesh``, each member to each other member, end to end;
``sfu``, each member publishes once to the organisation's Janus server, which forwards
every stream to the others (it decrypts them: not end-to-end encrypted)."""
SfuKind = Literal["offer", "answer", "candidate", "layer", "none", "failed", "ended"]
SFU_CLIENT_KINDS: tuple[SfuKind, ...] = ("offer", "answer", "candidate", "layer", "none")
SFU_LAYERS = 3
"""Simulcast layers a publisher may send: 0 the smallest (for phones), 2 the largest."""
SFU_NO_VIDEO = -1
"""The ``layer`` that asks for none of a feed's video (audio only): below the smallest."""
SFU_SERVER_KINDS: tuple[SfuKind, ...] = ("offer", "answer", "none", "failed", "ended")
SfuTrack = Literal["camera", "share"]
SFU_TRACKS: tuple[SfuTrack, ...] = ("camera", "share")
"""Which of a member's two publications an ``sfu`` message is about: ``camera`` (the
camera and microphone; the default, as before shares) or ``share`` (video only: the
screen, window or document the member shares, published apart at a size fit for text)."""
MAX_SDP_CHARS = 60_000
_SDP_MID = re.compile(r"[\x21-\x7e]{1,32}")
_ICE_CANDIDATE = re.compile(r"(?:candidate:)?[\x20-\x7e]{1,500}")

PREVIEW_SIGNAL_PREFIX = "preview."
"""The ``type`` prefix of the only signal payloads that cross the lobby (its preview)."""


def is_preview_payload(payload: dict[str, Any]) -> bool:
    """Whether a signal payload belongs to a lobby preview (the only kind a waiting person
    and a facilitator may exchange)."""
    kind = payload.get("type")
    return isinstance(kind, str) and kind.startswith(PREVIEW_SIGNAL_PREFIX)


_MEMBER_ID = re.compile(r"[0-9a-f]{12}")
_ROOM_ID = re.compile(r"[A-Za-z0-9_-]{8,32}")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")
_FACILITATOR_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
_CREDENTIAL = re.compile(r"[\x21-\x7e]{16,256}")
_DECLARED_KEY = re.compile(r"[a-z0-9_]{1,64}")
_QUESTION_ID = re.compile(r"[a-z0-9_]{1,32}")
_CONSENT_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
_REACTION = re.compile(r"[a-z0-9_]{1,32}")
_REF = re.compile(r"[\x20-\x7e]{1,64}")
_ICE_URL = re.compile(r"(stun|stuns|turn|turns):[\x21-\x7e]{1,250}")


class ErrorCode(enum.StrEnum):
    """Stable codes of ``error`` replies; each has the key ``protocol.error.<code>``."""

    BAD_JSON = "bad_json"
    BAD_MESSAGE = "bad_message"
    TOO_LARGE = "too_large"
    RATE_LIMITED = "rate_limited"
    UNSUPPORTED_VERSION = "unsupported_version"
    NOT_AUTHENTICATED = "not_authenticated"
    BAD_CREDENTIAL = "bad_credential"
    CREDENTIAL_REVOKED = "credential_revoked"
    BAD_INVITE = "bad_invite"
    INVITE_EXPIRED = "invite_expired"
    NOT_FACILITATOR = "not_facilitator"
    CONTROL_REFUSED = "control_refused"
    NOT_ADMITTED = "not_admitted"
    ROOM_FULL = "room_full"
    UNKNOWN_MEMBER = "unknown_member"
    OUT_OF_ORDER = "out_of_order"
    ROOM_ENDED = "room_ended"
    RESUME_EXPIRED = "resume_expired"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    SERVER_FULL = "server_full"
    TOO_MANY_CONNECTIONS = "too_many_connections"
    ADDRESS_RATE_LIMITED = "address_rate_limited"
    LOBBY_ADDRESS_FULL = "lobby_address_full"
    SIGN_IN_BUSY = "sign_in_busy"
    SIGN_IN_TIMEOUT = "sign_in_timeout"
    NOT_SFU = "not_sfu"
    UPLINK_NOT_WATCHED = "uplink_not_watched"
    MEDIA_SERVER_UNAVAILABLE = "media_server_unavailable"
    MEDIA_SERVER_REFUSED = "media_server_refused"
    INTERNAL = "internal"


_ERROR_CODES = frozenset(code.value for code in ErrorCode)


class ProtocolError(GroupDeskError):
    """A message refused at the edge or by the server's rules.

    ``code`` is the stable :class:`ErrorCode`; ``key`` its catalogue key;
    ``ref`` the ``ref`` of the client message it answers, if known.
    """

    def __init__(self, code: ErrorCode, ref: str | None = None) -> None:
        super().__init__(f"protocol.error.{code.value}")
        self.error_code = code
        self.ref = ref

    @property
    def code(self) -> str:
        """The stable short code (``bad_json``, ``room_full`` ...)."""
        return self.error_code.value


def _bad(condition: bool) -> None:
    if condition:
        raise ProtocolError(ErrorCode.BAD_MESSAGE)


def _check_pattern(value: str, pattern: re.Pattern[str]) -> None:
    _bad(not isinstance(value, str) or pattern.fullmatch(value) is None)


def _check_optional(value: str | None, pattern: re.Pattern[str]) -> None:
    if value is not None:
        _check_pattern(value, pattern)


def _check_text(value: str, max_chars: int) -> None:
    """Non-empty human text without control characters (newlines allowed)."""
    _bad(not isinstance(value, str) or not value.strip() or len(value) > max_chars)
    _bad(any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in value))


def _check_display_name(value: str) -> None:
    _check_text(value, MAX_DISPLAY_NAME_CHARS)
    _bad("\n" in value or "\t" in value or value != value.strip())


def _check_json_object(value: dict[str, Any], max_chars: int | None = None) -> None:
    _bad(not isinstance(value, dict))
    if max_chars is not None:
        _bad(len(json.dumps(value, ensure_ascii=False)) > max_chars)


def _check_declared(declared: dict[str, Any]) -> None:
    _bad(not isinstance(declared, dict) or len(declared) > MAX_DECLARED_ITEMS)
    for key, value in declared.items():
        _check_pattern(key, _DECLARED_KEY)
        if isinstance(value, str):
            _bad(len(value) > MAX_DECLARED_VALUE_CHARS)
            _bad(any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in value))
        else:
            _bad(value is not None and not isinstance(value, bool | int | float))


# --------------------------------------------------------------------- nested values


@dataclass(frozen=True)
class MemberInfo:
    """A seated member as others see it."""

    member: str
    display_name: str
    role: Role

    def __post_init__(self) -> None:
        _check_pattern(self.member, _MEMBER_ID)
        _check_display_name(self.display_name)
        _bad(self.role not in ROLES)


@dataclass(frozen=True)
class LobbyEntry:
    """A person waiting in the lobby, as facilitators see them."""

    member: str
    display_name: str
    declared: dict[str, Any]
    waiting_since: float

    def __post_init__(self) -> None:
        _check_pattern(self.member, _MEMBER_ID)
        _check_display_name(self.display_name)
        _check_declared(self.declared)
        _bad(not isinstance(self.waiting_since, int | float) or self.waiting_since < 0)


@dataclass(frozen=True)
class IceServer:
    """One entry of ``RTCPeerConnection``'s ``iceServers`` (TURN entries carry credentials)."""

    urls: tuple[str, ...]
    username: str | None = None
    credential: str | None = None

    def __post_init__(self) -> None:
        _bad(not self.urls or len(self.urls) > 16)
        for url in self.urls:
            _check_pattern(url, _ICE_URL)
        _bad((self.username is None) != (self.credential is None))
        for text in (self.username, self.credential):
            _bad(text is not None and (not isinstance(text, str) or not 0 < len(text) <= 256))


@dataclass(frozen=True)
class QuestionText:
    """A question's text in English and French (Québec); at least one of them."""

    en: str | None = None
    fr_ca: str | None = field(default=None, metadata={"wire": "fr_CA"})

    def __post_init__(self) -> None:
        _bad(self.en is None and self.fr_ca is None)
        for text in (self.en, self.fr_ca):
            if text is not None:
                _check_text(text, MAX_QUESTION_CHARS)


@dataclass(frozen=True)
class Question:
    """One question a participant answers before admission (configuration, not personal data).

    ``id`` is the key of the answer in ``hello.declared``. ``kind``: a tick (answered
    ``true`` or ``false``), words, a phone number, or where the person is now (words,
    asked again each session); absent from older apps: a tick. ``required``: admission
    waits on it (a facilitator may admit anyway, with a reason).
    """

    id: str
    text: QuestionText
    kind: QuestionKind = "tick"
    required: bool = False

    def __post_init__(self) -> None:
        _check_pattern(self.id, _QUESTION_ID)
        _bad(self.id == CONSENT_ANSWER)
        _bad(not isinstance(self.text, QuestionText))
        _bad(self.kind not in QUESTION_KINDS or not isinstance(self.required, bool))


@dataclass(frozen=True)
class SafetyWording:
    """The words of the discreet safety option on the web page, from the facilitator's
    policy: they read as an ordinary connection option to an onlooker. ``option``: the
    button; ``sent``: the polite confirmation; ``withdraw``: the button that takes it
    back; ``withdrawn``: its confirmation."""

    option: QuestionText
    sent: QuestionText
    withdraw: QuestionText
    withdrawn: QuestionText

    def __post_init__(self) -> None:
        for text in (self.option, self.sent, self.withdraw, self.withdrawn):
            _bad(not isinstance(text, QuestionText))


@dataclass(frozen=True)
class RoomText:
    """A longer text the room shows participants (the group's rules), in English and
    French (Québec); at least one of them. Configuration, not personal data."""

    en: str | None = None
    fr_ca: str | None = field(default=None, metadata={"wire": "fr_CA"})

    def __post_init__(self) -> None:
        _bad(self.en is None and self.fr_ca is None)
        for text in (self.en, self.fr_ca):
            if text is not None:
                _check_text(text, MAX_RULES_CHARS)

    def text_in(self, lang: str) -> str:
        """The text in ``lang`` (``fr...``: French), else the other one."""
        if lang.startswith("fr"):
            return self.fr_ca or self.en or ""
        return self.en or self.fr_ca or ""


@dataclass(frozen=True)
class RoomConsent:
    """The consent to taking part remotely, as the page shows it before the person
    agrees: the organisation's text and its version (what ``hello.declared`` carries
    under :data:`CONSENT_ANSWER` when the person agrees)."""

    version: str
    text: RoomText

    def __post_init__(self) -> None:
        _check_pattern(self.version, _CONSENT_VERSION)
        _bad(not isinstance(self.text, RoomText))


def _check_questions(questions: tuple[Question, ...]) -> None:
    _bad(not isinstance(questions, tuple) or len(questions) > MAX_QUESTIONS)
    _bad(not all(isinstance(q, Question) for q in questions))
    _bad(len({q.id for q in questions}) != len(questions))


# --------------------------------------------------------------------- app events


@dataclass(frozen=True)
class _AppEvent:
    """Base of every app event: ``EVENT`` is the wire ``event``, the fields its ``data``.

    ``FACILITATORS_ONLY``: a control, refused with ``control_refused`` when a participant
    sends it. ``TO_FACILITATORS``: the server routes it to the room's facilitators only.
    """

    EVENT: ClassVar[str] = ""
    FACILITATORS_ONLY: ClassVar[bool] = False
    TO_FACILITATORS: ClassVar[bool] = False


@dataclass(frozen=True)
class RaiseHand(_AppEvent):
    """The sender raised their hand."""

    EVENT: ClassVar[str] = "raise_hand"


@dataclass(frozen=True)
class LowerHand(_AppEvent):
    """The sender lowered their hand."""

    EVENT: ClassVar[str] = "lower_hand"


@dataclass(frozen=True)
class MediaState(_AppEvent):
    """The sender's microphone and camera, as their tile should show them."""

    EVENT: ClassVar[str] = "media_state"
    muted: bool
    camera_off: bool

    def __post_init__(self) -> None:
        _bad(not isinstance(self.muted, bool) or not isinstance(self.camera_off, bool))


@dataclass(frozen=True)
class Reaction(_AppEvent):
    """A short reaction (``kind`` names it, e.g. ``thumbs_up``; never free text)."""

    EVENT: ClassVar[str] = "reaction"
    kind: str

    def __post_init__(self) -> None:
        _check_pattern(self.kind, _REACTION)


@dataclass(frozen=True)
class SafetySignal(_AppEvent):
    """The sender discreetly signals that they cannot talk freely (``withdrawn``: they
    take it back): to facilitators only."""

    EVENT: ClassVar[str] = "safety_signal"
    TO_FACILITATORS: ClassVar[bool] = True
    withdrawn: bool = False

    def __post_init__(self) -> None:
        _bad(not isinstance(self.withdrawn, bool))


@dataclass(frozen=True)
class PassTurn(_AppEvent):
    """The sender passes their turn in a round, discreetly: to facilitators only."""

    EVENT: ClassVar[str] = "pass_turn"
    TO_FACILITATORS: ClassVar[bool] = True


MAX_TURN_SECONDS = 24 * 3600.0
"""The largest number of seconds a turn's timer may carry on the wire (a day)."""

RoundOrder = Literal["current", "random", "quieter_first"]
"""How a round (« tour de table ») orders its members."""
ROUND_ORDERS: tuple[RoundOrder, ...] = ("current", "random", "quieter_first")


def _check_seconds(value: float, *, low: float, allow_low: bool = True) -> None:
    _bad(not isinstance(value, int | float) or isinstance(value, bool))
    _bad(not math.isfinite(value) or abs(value) > MAX_TURN_SECONDS)
    _bad(value < low or (value == low and not allow_low))


@dataclass(frozen=True)
class TurnTimer:
    """The speaker's turn timer as of sending: ``elapsed`` seconds into the turn, its soft
    ``limit`` (extensions included; None: no limit) and the ``remaining`` seconds
    (negative once over). Receivers count on from their own monotonic clock: no clock
    time crosses the wire. ``warning``: the gentle warning is due; ``over``: the limit
    is reached."""

    elapsed: float
    limit: float | None = None
    remaining: float | None = None
    warning: bool = False
    over: bool = False

    def __post_init__(self) -> None:
        _check_seconds(self.elapsed, low=0.0)
        _bad((self.limit is None) != (self.remaining is None))
        _bad(not isinstance(self.warning, bool) or not isinstance(self.over, bool))
        if self.limit is None or self.remaining is None:
            _bad(self.warning or self.over)  # no limit: nothing to warn of
            return
        _check_seconds(self.limit, low=0.0, allow_low=False)
        _check_seconds(self.remaining, low=-MAX_TURN_SECONDS)
        _bad(abs(self.limit - self.elapsed - self.remaining) > 0.01)  # one timer, not three
        _bad(self.over and not self.warning)  # the warning comes before the end


@dataclass(frozen=True)
class TurnRound:
    """A round's progress as everyone sees it: ``done`` of ``total`` members have had
    their turn (spoken, passed or skipped alike: who passed is not told), whose turn it
    is (``current``) and who comes ``next``."""

    order: RoundOrder
    done: int
    total: int
    current: str | None = None
    next: str | None = None

    def __post_init__(self) -> None:
        _bad(self.order not in ROUND_ORDERS)
        for count in (self.done, self.total):
            _bad(not isinstance(count, int) or isinstance(count, bool))
        _bad(not 0 <= self.done <= self.total <= MAX_LIST_ITEMS)
        _check_optional(self.current, _MEMBER_ID)
        _check_optional(self.next, _MEMBER_ID)
        _bad((self.current is None) != (self.done == self.total))  # a current one until the end
        _bad(self.next is not None and (self.current is None or self.done + 2 > self.total))
        _bad(self.next is not None and self.next == self.current)


@dataclass(frozen=True)
class TurnState(_AppEvent):
    """The facilitator's turn state, whole, as every member may see it: who is spotlighted
    (None: the grid), the queue of raised hands in order (None: no queue kept), who has
    the floor, the floor's ``timer`` and the running ``round`` (None: none). Never anyone's
    talk time, never who passed. The fields after ``floor`` came later: a receiver of an
    older sender gets None for them."""

    EVENT: ClassVar[str] = "turn_state"
    FACILITATORS_ONLY: ClassVar[bool] = True
    spotlight: str | None = None
    queue: tuple[str, ...] | None = None
    floor: str | None = None
    timer: TurnTimer | None = None
    round: TurnRound | None = None

    def __post_init__(self) -> None:
        _check_optional(self.spotlight, _MEMBER_ID)
        _check_optional(self.floor, _MEMBER_ID)
        if self.queue is not None:
            _bad(not isinstance(self.queue, tuple) or len(self.queue) > MAX_LIST_ITEMS)
            for member in self.queue:
                _check_pattern(member, _MEMBER_ID)
            _bad(len(set(self.queue)) != len(self.queue))
        _bad(self.timer is not None and not isinstance(self.timer, TurnTimer))
        _bad(self.timer is not None and self.floor is None)  # a timer is the speaker's
        _bad(self.round is not None and not isinstance(self.round, TurnRound))


MAX_SIDE_ROOM = 4
"""The most members a side room holds: a facilitator, the member they step aside with,
and room for a co-facilitator and an interpreter."""


@dataclass(frozen=True)
class SideRoom(_AppEvent):
    """A facilitator's private side room, as every member honours it: its ``members``
    (a facilitator and the member they stepped aside with) see and hear only each other
    while it lasts, and the others neither send to them nor take what comes from them.
    Empty: nobody is aside, everyone is together again. A facilitator sends it again
    when someone joins, so a newcomer or a member who came back knows."""

    EVENT: ClassVar[str] = "side_room"
    FACILITATORS_ONLY: ClassVar[bool] = True
    members: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _bad(not isinstance(self.members, tuple))
        _bad(len(self.members) == 1 or len(self.members) > MAX_SIDE_ROOM)
        for member in self.members:
            _check_pattern(member, _MEMBER_ID)
        _bad(len(set(self.members)) != len(self.members))


QueueOrder = Literal["raised", "quieter_first"]
"""How the queue of raised hands is ordered: as raised, or quieter members first."""
QUEUE_ORDERS: tuple[QueueOrder, ...] = ("raised", "quieter_first")

TurnAction = Literal[
    "give_floor",  # ``member``, or the next in line when None
    "end_turn",
    "extend",  # ``seconds`` more (None: the usual extension)
    "set_limit",  # ``seconds`` (None: no limit)
    "set_order",  # ``order``: a queue order
    "mute_all",
    "mute_all_but_speaker",
    "start_round",  # ``order``: a round order
    "skip",
    "stop_round",
    "lower_hand",  # ``member``'s
]
TURN_ACTIONS: tuple[TurnAction, ...] = typing.get_args(TurnAction)


@dataclass(frozen=True)
class TurnCommand(_AppEvent):
    """A co-facilitator's command on the turns, for the facilitator's app that keeps them
    (the one that sends ``turn_state``); to facilitators only."""

    EVENT: ClassVar[str] = "turn_command"
    FACILITATORS_ONLY: ClassVar[bool] = True
    TO_FACILITATORS: ClassVar[bool] = True
    action: TurnAction
    member: str | None = None
    seconds: float | None = None
    order: str | None = None

    def __post_init__(self) -> None:
        _bad(self.action not in TURN_ACTIONS)
        _check_optional(self.member, _MEMBER_ID)
        _bad(self.action == "lower_hand" and self.member is None)
        if self.seconds is not None:
            _check_seconds(self.seconds, low=0.0, allow_low=False)
        _bad(self.seconds is not None and self.action not in ("extend", "set_limit"))
        if self.action == "set_order":
            _bad(self.order not in QUEUE_ORDERS)
        elif self.action == "start_round":
            _bad(self.order not in ROUND_ORDERS)
        else:
            _bad(self.order is not None)


RoundOutcome = Literal["spoke", "passed", "skipped"]


@dataclass(frozen=True)
class SyncedMember:
    """One present member in a :class:`TurnSync`: their hand (raised ``hand_age`` seconds
    before sending; None: down), talk time so far and turns, and whether they speak now."""

    seat: str
    role: Role
    seconds: float
    turns: int
    hand_age: float | None = None
    speaking: bool = False
    muted: bool = False

    def __post_init__(self) -> None:
        _check_pattern(self.seat, _MEMBER_ID)
        _bad(self.role not in ROLES)
        _check_seconds(self.seconds, low=0.0)
        _bad(not isinstance(self.turns, int) or isinstance(self.turns, bool) or self.turns < 0)
        if self.hand_age is not None:
            _check_seconds(self.hand_age, low=-MAX_TURN_SECONDS)
        _bad(not isinstance(self.speaking, bool) or not isinstance(self.muted, bool))


@dataclass(frozen=True)
class SyncedRound:
    """The running round in a :class:`TurnSync`: who is to come (current first), who is
    done with what outcome (``outcomes`` in the order of ``done``), who started it."""

    order: RoundOrder
    pending: tuple[str, ...]
    done: tuple[str, ...] = ()
    outcomes: tuple[RoundOutcome, ...] = ()
    by: str | None = None

    def __post_init__(self) -> None:
        _bad(self.order not in ROUND_ORDERS)
        for seat in (*self.pending, *self.done):
            _check_pattern(seat, _MEMBER_ID)
        _bad(len(set(self.pending) | set(self.done)) != len(self.pending) + len(self.done))
        _bad(len(self.outcomes) != len(self.done))
        _check_optional(self.by, _MEMBER_ID)


@dataclass(frozen=True)
class TurnSync(_AppEvent):
    """The whole turn state, talk time included, from the facilitator's app that keeps it
    to the other facilitators (to facilitators only): they show it, and carry it on if
    that app leaves. Times are ages in seconds before sending: no clock crosses the wire."""

    EVENT: ClassVar[str] = "turn_sync"
    FACILITATORS_ONLY: ClassVar[bool] = True
    TO_FACILITATORS: ClassVar[bool] = True
    members: tuple[SyncedMember, ...]
    queue_order: QueueOrder = "raised"
    turn_limit: float | None = None
    speaker: str | None = None
    turn_by: str | None = None
    elapsed: float | None = None
    extension: float = 0.0
    warned: bool = False
    timed_up: bool = False
    round: SyncedRound | None = None
    rounds_started: int = 0
    seed: int = 0

    def __post_init__(self) -> None:
        seats = [m.seat for m in self.members]
        _bad(not isinstance(self.members, tuple) or len(set(seats)) != len(seats))
        _bad(self.queue_order not in QUEUE_ORDERS)
        if self.turn_limit is not None:
            _check_seconds(self.turn_limit, low=0.0, allow_low=False)
        _check_optional(self.speaker, _MEMBER_ID)
        _check_optional(self.turn_by, _MEMBER_ID)
        _bad((self.speaker is None) != (self.elapsed is None))
        _bad((self.speaker is None) != (self.turn_by is None))
        _bad(self.speaker is not None and self.speaker not in seats)
        if self.elapsed is not None:
            _check_seconds(self.elapsed, low=0.0)
        _check_seconds(self.extension, low=0.0)
        _bad(not isinstance(self.warned, bool) or not isinstance(self.timed_up, bool))
        _bad(self.round is not None and not set(self.round.pending) <= set(seats))
        for count in (self.rounds_started, self.seed):
            _bad(not isinstance(count, int) or isinstance(count, bool) or count < 0)
        _bad(self.seed >= 2**53)


ShareKind = Literal["screen", "window", "document"]
"""What a member shares as their second video track: a whole screen, one window, or a
document (a PDF or an image, page by page)."""
SHARE_KINDS: tuple[ShareKind, ...] = typing.get_args(ShareKind)


@dataclass(frozen=True)
class Share(_AppEvent):
    """The sender shares now (``kind``: a screen, a window or a document) on their second
    video track, or stopped (``kind`` None). Never what is shown, never a file's name.
    A facilitator may always share; a participant only while the facilitator's
    :class:`SharePermission` names them (the server refuses their share otherwise).
    Sent again when someone joins, so a newcomer shows it too."""

    EVENT: ClassVar[str] = "share"
    kind: ShareKind | None = None

    def __post_init__(self) -> None:
        _bad(self.kind is not None and self.kind not in SHARE_KINDS)


@dataclass(frozen=True)
class SharePermission(_AppEvent):
    """A facilitator's word on sharing, whole: the participants who may share their screen
    now (``allowed``; empty: facilitators only). A participant no longer named stops
    sharing, and everyone stops showing their share. A facilitator sends it again when
    someone joins."""

    EVENT: ClassVar[str] = "share_permission"
    FACILITATORS_ONLY: ClassVar[bool] = True
    allowed: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _bad(not isinstance(self.allowed, tuple) or len(self.allowed) > MAX_LIST_ITEMS)
        for member in self.allowed:
            _check_pattern(member, _MEMBER_ID)
        _bad(len(set(self.allowed)) != len(self.allowed))


AppEvent = (
    RaiseHand
    | LowerHand
    | MediaState
    | Reaction
    | SafetySignal
    | PassTurn
    | TurnState
    | TurnCommand
    | TurnSync
    | SideRoom
    | Share
    | SharePermission
)
"""Every app event; consumers dispatch on it with ``match`` and ``assert_never``."""
_APP_EVENT_CLASSES: tuple[type[_AppEvent], ...] = typing.get_args(AppEvent)
_APP_EVENT_TYPES: dict[str, type[_AppEvent]] = {cls.EVENT: cls for cls in _APP_EVENT_CLASSES}

APP_EVENTS = frozenset(_APP_EVENT_TYPES)
"""The wire names of every app event."""
APP_EVENTS_FOR_FACILITATORS = frozenset(c.EVENT for c in _APP_EVENT_CLASSES if c.FACILITATORS_ONLY)
"""App events only a facilitator may send (controls, refused with ``control_refused``)."""
APP_EVENTS_FOR_ANYONE = APP_EVENTS - APP_EVENTS_FOR_FACILITATORS
"""App events any admitted member may send."""
PRIVATE_APP_EVENTS = frozenset(c.EVENT for c in _APP_EVENT_CLASSES if c.TO_FACILITATORS)
"""App events the server routes to the room's facilitators only."""


def parse_app_event(event: object, data: object) -> AppEvent:
    """The typed app event named ``event`` with the wire ``data`` (a JSON object; absent:
    ``{}``); raises :class:`ProtocolError` (``bad_message``). Unknown keys are ignored."""
    cls = _APP_EVENT_TYPES.get(event) if isinstance(event, str) else None
    _bad(cls is None)
    _bad(not isinstance(data, dict))
    _check_json_object(typing.cast(dict[str, Any], data), MAX_APP_DATA_CHARS)
    parsed: AppEvent = _from_wire(typing.cast(type[Any], cls), data)
    return parsed


def app_event_wire(event: AppEvent) -> tuple[str, dict[str, Any]]:
    """The wire ``event`` name and ``data`` object of ``event`` (None fields left out)."""
    data: dict[str, Any] = _to_wire(event)
    return event.EVENT, data


# --------------------------------------------------------------------- messages


@dataclass(frozen=True)
class _Message:
    """Base of every message: ``TYPE`` is the wire ``type``."""

    TYPE: ClassVar[str] = ""


@dataclass(frozen=True)
class _ClientMessage(_Message):
    ref: str | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        _check_optional(self.ref, _REF)


@dataclass(frozen=True)
class FacilitatorHello(_ClientMessage):
    """A facilitator authenticates with the credential the administrator issued."""

    TYPE: ClassVar[str] = "hello"
    ROLE: ClassVar[Role] = "facilitator"
    name: str
    credential: str
    display_name: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_pattern(self.name, _FACILITATOR_NAME)
        _check_pattern(self.credential, _CREDENTIAL)
        if self.display_name is not None:
            _check_display_name(self.display_name)


@dataclass(frozen=True)
class ParticipantHello(_ClientMessage):
    """A participant presents an invite and waits in the lobby."""

    TYPE: ClassVar[str] = "hello"
    ROLE: ClassVar[Role] = "participant"
    room: str
    secret: str
    display_name: str
    declared: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_pattern(self.room, _ROOM_ID)
        _check_pattern(self.secret, _TOKEN)
        _check_display_name(self.display_name)
        _check_declared(self.declared)


@dataclass(frozen=True)
class Inquire(_ClientMessage):
    """Before ``hello``: check an invite and learn the room's questions (nobody's presence)."""

    TYPE: ClassVar[str] = "inquire"
    room: str
    secret: str

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_pattern(self.room, _ROOM_ID)
        _check_pattern(self.secret, _TOKEN)


@dataclass(frozen=True)
class OpenRoom(_ClientMessage):
    """A facilitator opens a new room (and takes a seat in it).

    ``questions``: what participants answer before admission (none: the page's own list).
    ``safety``: the words of the page's discreet safety option (none: the page's own).
    ``rules``: the group's rules, shown to participants before they agree to them and
    during the session (none: the room has no text of its own). ``consent``: the
    consent to taking part remotely, which the page offers before the person asks to
    join (none: not asked on the page). ``relay_only``: every member connects through
    the TURN relay alone, and the server relays no other candidate (policy
    ``ice_relay_only``; None, as absent from older apps: not relay-only, and not sent,
    so an ordinary room is opened as it always was). ``expected_members``: how many
    people the session is planned for, facilitators included (the server's
    ``media_mode`` ``auto`` sends larger rooms through the media server; None: unknown).
    """

    TYPE: ClassVar[str] = "open_room"
    questions: tuple[Question, ...] | None = None
    safety: SafetyWording | None = None
    rules: RoomText | None = None
    consent: RoomConsent | None = None
    relay_only: bool | None = None
    expected_members: int | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.questions is not None:
            _check_questions(self.questions)
        _bad(self.relay_only is not None and not isinstance(self.relay_only, bool))
        planned = self.expected_members
        _bad(planned is not None and (type(planned) is not int or not 1 <= planned <= 256))
        _bad(self.safety is not None and not isinstance(self.safety, SafetyWording))
        _bad(self.rules is not None and not isinstance(self.rules, RoomText))
        _bad(self.consent is not None and not isinstance(self.consent, RoomConsent))


@dataclass(frozen=True)
class JoinRoom(_ClientMessage):
    """A co-facilitator joins a room with its invite and their own credential."""

    TYPE: ClassVar[str] = "join_room"
    room: str
    secret: str

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_pattern(self.room, _ROOM_ID)
        _check_pattern(self.secret, _TOKEN)


@dataclass(frozen=True)
class _MemberAction(_ClientMessage):
    member: str

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_pattern(self.member, _MEMBER_ID)


@dataclass(frozen=True)
class Admit(_MemberAction):
    """Admit a waiting person into the room."""

    TYPE: ClassVar[str] = "admit"


@dataclass(frozen=True)
class Decline(_MemberAction):
    """Turn a waiting person away."""

    TYPE: ClassVar[str] = "decline"


@dataclass(frozen=True)
class Remove(_MemberAction):
    """Remove an admitted member from the room."""

    TYPE: ClassVar[str] = "remove"


@dataclass(frozen=True)
class RequestMute(_MemberAction):
    """Ask an admitted member's app to mute its microphone (a facilitator's control)."""

    TYPE: ClassVar[str] = "request_mute"


@dataclass(frozen=True)
class EndRoom(_ClientMessage):
    """End the room for everyone."""

    TYPE: ClassVar[str] = "end_room"


@dataclass(frozen=True)
class Resume(_ClientMessage):
    """Take one's seat back after a dropped connection (first message on the new one)."""

    TYPE: ClassVar[str] = "resume"
    token: str

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_pattern(self.token, _TOKEN)


@dataclass(frozen=True)
class ClientSignal(_ClientMessage):
    """An opaque WebRTC payload (SDP, ICE) for one member; relayed, never logged."""

    TYPE: ClassVar[str] = "signal"
    to: str
    payload: dict[str, Any]

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_pattern(self.to, _MEMBER_ID)
        _check_json_object(self.payload)


def _check_sfu_sdp(kind: str, sdp: str | None) -> None:
    if kind in ("offer", "answer"):
        _bad(not isinstance(sdp, str) or not sdp.startswith("v=0") or len(sdp) > MAX_SDP_CHARS)
    else:
        _bad(sdp is not None)


@dataclass(frozen=True)
class ClientSfu(_ClientMessage):
    """In an SFU room, a WebRTC message for the organisation's media server about one feed;
    the signalling server turns it into Janus requests (never logged, never relayed as is).

    ``feed`` is your own member id for what you publish, or the member whose stream you
    receive. ``kind``: ``offer`` (publish, or publish again after a change) with ``sdp``;
    ``answer`` with ``sdp`` (to the server's ``offer`` of someone's stream); ``candidate``
    with ``candidate``/``mid``/``mline`` (all three absent: the end of your candidates);
    ``layer`` with ``layer``: the simulcast layer you want of ``feed``'s video (0 the
    smallest, for phones; when ``feed`` sends one layer only, that one; ``SFU_NO_VIDEO``:
    none of it, audio only); ``none`` (``feed`` is you): you publish nothing, having
    neither camera nor microphone (an ``offer`` may follow once you have one).
    ``track``: which of ``feed``'s publications, its ``camera`` (default) or its ``share``
    (you may publish a share only while you may share: a facilitator, or a participant
    allowed; ``none`` is about the camera only)."""

    TYPE: ClassVar[str] = "sfu"
    feed: str
    kind: SfuKind
    sdp: str | None = None
    candidate: str | None = None
    mid: str | None = None
    mline: int | None = None
    layer: int | None = None
    track: SfuTrack = "camera"

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_pattern(self.feed, _MEMBER_ID)
        _bad(self.track not in SFU_TRACKS or (self.kind == "none" and self.track == "share"))
        layer = self.layer
        if self.kind == "layer":
            _bad(type(layer) is not int or not SFU_NO_VIDEO <= layer < SFU_LAYERS)
        else:
            _bad(layer is not None)
        _bad(self.kind not in SFU_CLIENT_KINDS)
        _check_sfu_sdp(self.kind, self.sdp)
        if self.kind == "candidate":
            _check_optional(self.candidate, _ICE_CANDIDATE)
            _check_optional(self.mid, _SDP_MID)
            mline = self.mline
            _bad(mline is not None and (type(mline) is not int or not 0 <= mline < 64))
        else:
            _bad(self.candidate is not None or self.mid is not None or self.mline is not None)


MAX_UPLINK_KBPS = 10_000_000
"""An uplink report above 10 Gbit/s is not a measurement."""


@dataclass(frozen=True)
class ClientUplink(_ClientMessage):
    """In a mesh room whose ``admitted`` said ``uplink``: what your uplink carries, in
    kbit/s, summed over the ``streams`` you send (one per other member you reach);
    ``limited``: that is at most what it carries (a bandwidth estimate, or congestion
    already lowered your picture), else only what you sent. Nothing else is said: the
    server decides whether the room moves to the media server."""

    TYPE: ClassVar[str] = "uplink"
    kbps: int
    streams: int
    limited: bool = True

    def __post_init__(self) -> None:
        super().__post_init__()
        _bad(type(self.kbps) is not int or not 0 <= self.kbps <= MAX_UPLINK_KBPS)
        _bad(type(self.streams) is not int or not 1 <= self.streams <= MAX_LIST_ITEMS)
        _bad(not isinstance(self.limited, bool))


@dataclass(frozen=True)
class ClientChat(_ClientMessage):
    """A chat line for everyone (``to`` is None) or one member; relayed, never stored."""

    TYPE: ClassVar[str] = "chat"
    text: str
    to: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_text(self.text, MAX_CHAT_CHARS)
        _check_optional(self.to, _MEMBER_ID)


@dataclass(frozen=True)
class ClientApp(_ClientMessage):
    """A small app-level event, one of :data:`AppEvent` (on the wire: ``event`` and ``data``)."""

    TYPE: ClassVar[str] = "app"
    event: AppEvent

    def __post_init__(self) -> None:
        super().__post_init__()
        _bad(not isinstance(self.event, _APP_EVENT_CLASSES))


@dataclass(frozen=True)
class Leave(_ClientMessage):
    """Leave the room (or the lobby) for good: the seat is freed at once."""

    TYPE: ClassVar[str] = "leave"


@dataclass(frozen=True)
class Welcome(_Message):
    """The server accepted a ``hello``."""

    TYPE: ClassVar[str] = "welcome"
    role: Role
    max_message_chars: int = MAX_MESSAGE_CHARS

    def __post_init__(self) -> None:
        _bad(self.role not in ROLES)
        _bad(not isinstance(self.max_message_chars, int) or self.max_message_chars <= 0)


@dataclass(frozen=True)
class Error(_Message):
    """A refusal: ``code`` is stable; ``key`` is its message in the catalogue."""

    TYPE: ClassVar[str] = "error"
    code: str
    key: str
    ref: str | None = None

    def __post_init__(self) -> None:
        _bad(self.code not in _ERROR_CODES)
        _bad(self.key != f"protocol.error.{self.code}")
        _check_optional(self.ref, _REF)

    @classmethod
    def of(cls, error: ProtocolError) -> Error:
        """The reply for ``error``."""
        return cls(code=error.code, key=error.key, ref=error.ref)


@dataclass(frozen=True)
class RoomInfo(_Message):
    """The answer to ``inquire``: the invite is good; the room's questions (maybe none)
    and the words of its safety option (absent: the page's own; older servers); its group
    rules and its consent text (absent: none, or an older server); how its media travel
    (``media``) and whether the facilitator may see a waiting person's camera (``previews``;
    off in relay-only rooms), so the page can say so before anyone joins."""

    TYPE: ClassVar[str] = "room_info"
    room: str
    questions: tuple[Question, ...]
    invite_expires_at: float
    safety: SafetyWording | None = None
    rules: RoomText | None = None
    consent: RoomConsent | None = None
    media: MediaMode = "mesh"
    previews: bool = True

    def __post_init__(self) -> None:
        _check_pattern(self.room, _ROOM_ID)
        _check_questions(self.questions)
        _bad(not isinstance(self.invite_expires_at, int | float))
        _bad(self.safety is not None and not isinstance(self.safety, SafetyWording))
        _bad(self.rules is not None and not isinstance(self.rules, RoomText))
        _bad(self.consent is not None and not isinstance(self.consent, RoomConsent))
        _bad(self.media not in MEDIA_MODES)
        _bad(not isinstance(self.previews, bool))


@dataclass(frozen=True)
class RoomOpened(_Message):
    """The room is open; ``invite`` is the link to share (its secret is in the fragment)."""

    TYPE: ClassVar[str] = "room_opened"
    room: str
    invite: str
    invite_expires_at: float

    def __post_init__(self) -> None:
        _check_pattern(self.room, _ROOM_ID)
        parse_invite_link(self.invite)
        _bad(not isinstance(self.invite_expires_at, int | float))


@dataclass(frozen=True)
class Lobby(_Message):
    """To facilitators: everyone waiting, in arrival order."""

    TYPE: ClassVar[str] = "lobby"
    room: str
    waiting: tuple[LobbyEntry, ...]

    def __post_init__(self) -> None:
        _check_pattern(self.room, _ROOM_ID)
        _bad(len(self.waiting) > MAX_LIST_ITEMS)


@dataclass(frozen=True)
class Waiting(_Message):
    """To a participant: you are in the lobby; a facilitator will admit you.

    ``ice_servers`` serve the lobby preview's connection (a facilitator may ask to see
    the waiting person's camera): STUN only, never a TURN credential, which comes with
    admission; absent from older servers. ``rules``: the room's group rules, to read
    while waiting and during the session (absent: none, or an older server)."""

    TYPE: ClassVar[str] = "waiting"
    room: str
    ice_servers: tuple[IceServer, ...] = ()
    rules: RoomText | None = None

    def __post_init__(self) -> None:
        _check_pattern(self.room, _ROOM_ID)
        _bad(len(self.ice_servers) > 16)
        _bad(self.rules is not None and not isinstance(self.rules, RoomText))


@dataclass(frozen=True)
class Admitted(_Message):
    """You have a seat: your id, who is there, how to reach them, how to come back.

    ``ice_servers`` are the ones for the mesh: STUN and TURN, with TURN credentials
    fresh at each admission (and resume), valid for the server's configured lifetime.
    ``ice_transport_policy``: ``relay`` in a relay-only room (use TURN relay candidates
    only; without a TURN server among ``ice_servers`` no call can connect, and the
    member is told so); absent from older servers: ``all``. ``media``: ``sfu`` when the
    room's media go through the organisation's media server (``sfu`` messages, no
    ``signal`` between members), ``mesh`` otherwise (and from older servers).
    ``uplink``: report your uplink (``uplink`` messages, every few seconds) while the room
    is a mesh: it moves to the media server if yours is too poor (``media`` message)."""

    TYPE: ClassVar[str] = "admitted"
    room: str
    member: str
    role: Role
    members: tuple[MemberInfo, ...]
    ice_servers: tuple[IceServer, ...]
    resume_token: str
    grace_seconds: float
    resumed: bool = False
    ice_transport_policy: IceTransportPolicy = "all"
    media: MediaMode = "mesh"
    uplink: bool = False

    def __post_init__(self) -> None:
        _check_pattern(self.room, _ROOM_ID)
        _check_pattern(self.member, _MEMBER_ID)
        _bad(not isinstance(self.uplink, bool))
        _bad(self.role not in ROLES)
        _bad(len(self.members) > MAX_LIST_ITEMS or len(self.ice_servers) > 16)
        _check_pattern(self.resume_token, _TOKEN)
        _bad(not isinstance(self.grace_seconds, int | float) or self.grace_seconds < 0)
        _bad(not isinstance(self.resumed, bool))
        _bad(self.ice_transport_policy not in ICE_TRANSPORT_POLICIES)
        _bad(self.media not in MEDIA_MODES)

    @property
    def relay_without_turn(self) -> bool:
        """Relay-only, and no TURN server to relay through: no call can connect."""
        return self.ice_transport_policy == "relay" and not any(
            url.startswith(("turn:", "turns:")) for s in self.ice_servers for url in s.urls
        )


@dataclass(frozen=True)
class MemberJoined(_Message):
    """A member took a seat."""

    TYPE: ClassVar[str] = "member_joined"
    member: MemberInfo


@dataclass(frozen=True)
class MemberLeft(_Message):
    """A member's seat is gone (left, removed, not back within the grace period)."""

    TYPE: ClassVar[str] = "member_left"
    member: str
    reason: LeftReason

    def __post_init__(self) -> None:
        _check_pattern(self.member, _MEMBER_ID)
        _bad(self.reason not in LEFT_REASONS)


@dataclass(frozen=True)
class ServerSignal(_Message):
    """A relayed WebRTC payload from another member."""

    TYPE: ClassVar[str] = "signal"
    sender: str = field(metadata={"wire": "from"})
    payload: dict[str, Any]

    def __post_init__(self) -> None:
        _check_pattern(self.sender, _MEMBER_ID)
        _check_json_object(self.payload)


@dataclass(frozen=True)
class ServerSfu(_Message):
    """In an SFU room, from the organisation's media server about one ``feed``: ``answer``
    (``sdp``) to your ``offer`` to publish (``feed`` is you); ``offer`` (``sdp``) of the
    stream of member ``feed``, to answer; ``failed``: the media server refused or cannot be
    reached for that feed (``reason``: a refusal code); ``ended``: ``feed`` stopped
    publishing; ``none``: ``feed`` publishes nothing (neither camera nor microphone): it
    is there, with no stream to offer. The media server's ICE candidates are in its
    ``sdp``. ``track``: which of ``feed``'s publications, its ``camera`` (default) or its
    ``share``."""

    TYPE: ClassVar[str] = "sfu"
    feed: str
    kind: SfuKind
    sdp: str | None = None
    reason: str | None = None
    track: SfuTrack = "camera"

    def __post_init__(self) -> None:
        _check_pattern(self.feed, _MEMBER_ID)
        _bad(self.track not in SFU_TRACKS or (self.kind == "none" and self.track == "share"))
        _bad(self.kind not in SFU_SERVER_KINDS)
        _check_sfu_sdp(self.kind, self.sdp)
        _bad(self.reason is not None and (self.kind != "failed" or self.reason not in _ERROR_CODES))


MediaSwitchReason = Literal["uplink"]
MEDIA_SWITCH_REASONS: tuple[MediaSwitchReason, ...] = ("uplink",)


@dataclass(frozen=True)
class ServerMedia(_Message):
    """The room's media now travel another way, for good (``media`` ``sfu``: close the
    mesh's connections and publish to the media server, as if ``admitted`` had said
    ``sfu``; waiting in the lobby: it is how they will travel once admitted); ``why``: a
    member's uplink was too poor for the mesh. To facilitators only,
    ``media`` ``mesh`` with ``reason`` (a refusal code): the room should have moved but
    the media server could not take it; it stays a mesh."""

    TYPE: ClassVar[str] = "media"
    media: MediaMode
    why: MediaSwitchReason = "uplink"
    reason: str | None = None

    def __post_init__(self) -> None:
        _bad(self.media not in MEDIA_MODES)
        _bad(self.why not in MEDIA_SWITCH_REASONS)
        _bad(self.reason is not None and (self.media != "mesh" or self.reason not in _ERROR_CODES))


@dataclass(frozen=True)
class ServerChat(_Message):
    """A relayed chat line; ``private`` when it was sent to you alone."""

    TYPE: ClassVar[str] = "chat"
    sender: str = field(metadata={"wire": "from"})
    text: str
    private: bool = False

    def __post_init__(self) -> None:
        _check_pattern(self.sender, _MEMBER_ID)
        _check_text(self.text, MAX_CHAT_CHARS)
        _bad(not isinstance(self.private, bool))


@dataclass(frozen=True)
class ServerApp(_Message):
    """A relayed app-level event, one of :data:`AppEvent`."""

    TYPE: ClassVar[str] = "app"
    sender: str = field(metadata={"wire": "from"})
    event: AppEvent

    def __post_init__(self) -> None:
        _check_pattern(self.sender, _MEMBER_ID)
        _bad(not isinstance(self.event, _APP_EVENT_CLASSES))


@dataclass(frozen=True)
class MuteRequested(_Message):
    """To one member: a facilitator of the room (``from``) asks your app to mute you."""

    TYPE: ClassVar[str] = "mute_requested"
    sender: str = field(metadata={"wire": "from"})
    member: str

    def __post_init__(self) -> None:
        _check_pattern(self.sender, _MEMBER_ID)
        _check_pattern(self.member, _MEMBER_ID)


@dataclass(frozen=True)
class _RoomNotice(_Message):
    room: str

    def __post_init__(self) -> None:
        _check_pattern(self.room, _ROOM_ID)


@dataclass(frozen=True)
class Declined(_RoomNotice):
    """A facilitator turned you away; the server closes the connection."""

    TYPE: ClassVar[str] = "declined"


@dataclass(frozen=True)
class Removed(_RoomNotice):
    """A facilitator removed you; the server closes the connection."""

    TYPE: ClassVar[str] = "removed"


@dataclass(frozen=True)
class RoomEnded(_RoomNotice):
    """The facilitator ended the room; the server closes the connection."""

    TYPE: ClassVar[str] = "room_ended"


ClientMessage = (
    Inquire
    | FacilitatorHello
    | ParticipantHello
    | OpenRoom
    | JoinRoom
    | Admit
    | Decline
    | Remove
    | RequestMute
    | EndRoom
    | Resume
    | ClientSignal
    | ClientSfu
    | ClientUplink
    | ClientChat
    | ClientApp
    | Leave
)
ServerMessage = (
    Welcome
    | Error
    | RoomInfo
    | RoomOpened
    | Lobby
    | Waiting
    | Admitted
    | MemberJoined
    | MemberLeft
    | ServerSignal
    | ServerSfu
    | ServerMedia
    | ServerChat
    | ServerApp
    | MuteRequested
    | Declined
    | Removed
    | RoomEnded
)
Message = ClientMessage | ServerMessage

_CLIENT_TYPES: dict[str, type[Any]] = {
    cls.TYPE: cls for cls in typing.get_args(ClientMessage) if cls.TYPE != "hello"
}
_HELLO_ROLES: dict[str, type[Any]] = {
    FacilitatorHello.ROLE: FacilitatorHello,
    ParticipantHello.ROLE: ParticipantHello,
}
_SERVER_TYPES: dict[str, type[Any]] = {cls.TYPE: cls for cls in typing.get_args(ServerMessage)}


# --------------------------------------------------------------------- codec


def _wire_name(f: dataclasses.Field[Any]) -> str:
    return str(f.metadata.get("wire", f.name))


_FIELDS: dict[type[Any], tuple[tuple[str, str, Any, bool], ...]] = {}


def _wire_fields(cls: type[Any]) -> tuple[tuple[str, str, Any, bool], ...]:
    """``(field name, wire name, annotation, required)`` for each field of ``cls`` (cached)."""
    cached = _FIELDS.get(cls)
    if cached is not None:
        return cached
    hints = typing.get_type_hints(cls)
    _FIELDS[cls] = tuple(
        (
            f.name,
            _wire_name(f),
            hints[f.name],
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(cls)
    )
    return _FIELDS[cls]


def _from_wire(cls: type[Any], data: Any) -> Any:
    """Build ``cls`` from a decoded JSON object, checking every field's JSON type."""
    _bad(not isinstance(data, dict))
    kwargs: dict[str, Any] = {}
    for name, wire, hint, required in _wire_fields(cls):
        if hint == AppEvent:  # ``event`` names it, ``data`` holds its fields
            kwargs[name] = parse_app_event(data.get("event"), data.get("data", {}))
            continue
        if wire not in data:
            _bad(required)
            continue
        kwargs[name] = _convert(hint, data[wire])
    try:
        return cls(**kwargs)
    except (TypeError, ValueError, RecursionError) as error:
        raise ProtocolError(ErrorCode.BAD_MESSAGE) from error


_SCALARS: dict[Any, Callable[[Any], bool]] = {
    bool: lambda v: isinstance(v, bool),
    int: lambda v: isinstance(v, int) and not isinstance(v, bool),
    float: lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    str: lambda v: isinstance(v, str),
    type(None): lambda v: v is None,
}


def _convert(hint: Any, value: Any) -> Any:
    """Check ``value`` against the annotation ``hint``; nested dataclasses are built."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(hint):
            with contextlib.suppress(ProtocolError):
                return _convert(option, value)
        raise ProtocolError(ErrorCode.BAD_MESSAGE)
    if origin is tuple:
        (item_hint, _ellipsis) = typing.get_args(hint)
        _bad(not isinstance(value, list) or len(value) > MAX_LIST_ITEMS)
        return tuple(_convert(item_hint, item) for item in value)
    if dataclasses.is_dataclass(hint):
        return _from_wire(typing.cast(type[Any], hint), value)
    if origin is Literal:
        _bad(not isinstance(value, str) or value not in typing.get_args(hint))
    elif origin is dict:
        _bad(not isinstance(value, dict))
    elif hint in _SCALARS:
        _bad(not _SCALARS[hint](value))
    else:
        raise TypeError(f"no wire conversion for {hint!r}")  # a bug in this module, not input
    return value


def _to_wire(value: Any) -> Any:
    """The JSON-ready form of a message or nested value (field names cached per class)."""
    if isinstance(value, str | bool | int | float | dict):
        return value
    if isinstance(value, tuple):
        return [_to_wire(v) for v in value]
    out: dict[str, Any] = {}
    for name, wire, hint, _required in _wire_fields(type(value)):
        item = getattr(value, name)
        if hint == AppEvent:
            out["event"], out["data"] = app_event_wire(item)
        elif item is not None:  # absent and null mean the same on the wire; keep frames small
            out[wire] = _to_wire(item)
    return out


def encode(message: Message) -> str:
    """The JSON text of ``message`` (compact, UTF-8 friendly)."""
    body: dict[str, Any] = {"v": PROTOCOL_VERSION, "type": message.TYPE}
    if isinstance(message, FacilitatorHello | ParticipantHello):
        body["role"] = message.ROLE
    body.update(_to_wire(message))
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _decode(text: str | bytes, *, max_chars: int) -> tuple[dict[str, Any], str | None]:
    """The JSON object of a frame and its ``ref`` (if well formed), or a ProtocolError."""
    if not isinstance(text, str):
        raise ProtocolError(ErrorCode.BAD_MESSAGE)
    if len(text) > max_chars:
        raise ProtocolError(ErrorCode.TOO_LARGE)
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        raise ProtocolError(ErrorCode.BAD_JSON) from error
    if "\\u" in text and not _encodable(data):
        raise ProtocolError(ErrorCode.BAD_JSON)  # a lone surrogate escape: not text
    if not isinstance(data, dict):
        raise ProtocolError(ErrorCode.BAD_MESSAGE)
    ref = data.get("ref")
    ref = ref if isinstance(ref, str) and _REF.fullmatch(ref) else None
    version = data.get("v")
    if version != PROTOCOL_VERSION or isinstance(version, bool):
        raise ProtocolError(ErrorCode.UNSUPPORTED_VERSION, ref)
    return data, ref


def _encodable(data: Any) -> bool:
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, RecursionError):
        return False
    return True


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_client_message(text: str | bytes, *, max_chars: int = MAX_MESSAGE_CHARS) -> ClientMessage:
    """Parse and validate a frame a client sent; raises :class:`ProtocolError`."""
    data, ref = _decode(text, max_chars=max_chars)
    kind, role = data.get("type"), data.get("role")
    cls = None
    if isinstance(kind, str):
        cls = _HELLO_ROLES.get(str(role)) if kind == "hello" else _CLIENT_TYPES.get(kind)
    if cls is None:
        raise ProtocolError(ErrorCode.BAD_MESSAGE, ref)
    try:
        message: ClientMessage = _from_wire(cls, data)
    except ProtocolError as error:
        raise ProtocolError(error.error_code, ref) from None
    return message


def parse_server_message(
    text: str | bytes, *, max_chars: int = 4 * MAX_MESSAGE_CHARS
) -> ServerMessage:
    """Parse and validate a frame the server sent; raises :class:`ProtocolError`."""
    data, _ref = _decode(text, max_chars=max_chars)
    kind = data.get("type")
    cls = _SERVER_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ProtocolError(ErrorCode.BAD_MESSAGE)
    message: ServerMessage = _from_wire(cls, data)
    return message


# --------------------------------------------------------------------- invite links


@dataclass(frozen=True)
class Invite:
    """What an invite link carries: where the server is, which room, and its secret."""

    base_url: str
    room: str
    secret: str

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("an invite's server address must be an http or https URL")
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise ValueError("an invite's server address has no path, query or fragment")
        if not _ROOM_ID.fullmatch(self.room) or not _TOKEN.fullmatch(self.secret):
            raise ValueError("an invite's room id or secret is malformed")

    @property
    def websocket_url(self) -> str:
        """The signalling endpoint of the same server (``ws`` or ``wss``)."""
        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        return urlunsplit((scheme, parts.netloc, "/ws", "", ""))


def build_invite_link(base_url: str, room: str, secret: str) -> str:
    """``<base_url>/join#r=<room>&k=<secret>``: the secret stays in the fragment."""
    invite = Invite(base_url.rstrip("/"), room, secret)
    fragment = urlencode({"r": invite.room, "k": invite.secret})
    return f"{invite.base_url}/join#{fragment}"


def parse_invite_link(link: str) -> Invite:
    """The :class:`Invite` in ``link``; raises ``ValueError`` (not a GroupDesk invite)."""
    if not isinstance(link, str) or len(link) > 2048:
        raise ValueError("not an invite link")
    parts = urlsplit(link.strip())
    if parts.path.rstrip("/") != "/join" or parts.query:
        raise ValueError("not an invite link: the path is not /join")
    fields = parse_qs(parts.fragment, strict_parsing=False)
    rooms, secrets = fields.get("r", []), fields.get("k", [])
    if len(rooms) != 1 or len(secrets) != 1:
        raise ValueError("not an invite link: room or secret missing")
    base = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    return Invite(base, rooms[0], secrets[0])
