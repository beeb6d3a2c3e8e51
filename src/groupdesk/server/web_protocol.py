"""The web page's protocol constants, generated from the Python source into ``web/protocol.js``.

The page has no build step, so the file is committed; ``tests/web/test_page_files.py``
fails when it differs from :func:`render`. After a change to ``core/protocol.py``,
``core/refusals.py``, ``core/call_quality.py`` or the policy's default checklist::

    python -m groupdesk.server.web_protocol --write
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import typing
from collections.abc import Iterable
from pathlib import Path

from groupdesk.core import call_quality, protocol, refusals
from groupdesk.core.policy_schema import key_spec

TARGET = Path(__file__).resolve().parent / "web" / "protocol.js"
COMMAND = "python -m groupdesk.server.web_protocol --write"

_LIMITS = (
    "MAX_MESSAGE_CHARS",
    "MAX_CHAT_CHARS",
    "MAX_DISPLAY_NAME_CHARS",
    "MAX_DECLARED_ITEMS",
    "MAX_DECLARED_VALUE_CHARS",
    "MAX_APP_DATA_CHARS",
    "MAX_QUESTIONS",
    "MAX_QUESTION_CHARS",
    "MAX_RULES_CHARS",
)
# (name in JavaScript, the compiled pattern of core/protocol.py): matched whole, as fullmatch
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("MEMBER_ID", protocol._MEMBER_ID),
    ("ROOM_ID", protocol._ROOM_ID),
    ("TOKEN", protocol._TOKEN),
    ("QUESTION_ID", protocol._QUESTION_ID),
    ("DECLARED_KEY", protocol._DECLARED_KEY),
    ("CONSENT_VERSION", protocol._CONSENT_VERSION),
)
# The part of regular-expression syntax that Python and JavaScript (without flags) read alike.
_JS_SAFE = re.compile(
    r"""(?:
        \\x[0-9A-Fa-f]{2}            # a character by its code
      | \\[dws]                      # a class escape (ASCII here: the page's ids are ASCII)
      | \\[.\-\\/\[\](){}*+?^$|]     # an escaped metacharacter
      | \(\?:                        # a group that does not capture
      | \{\d+(?:,\d*)?\}             # a counted repeat
      | [^\\(){}]                    # anything else but an escape, a group or a brace
      | [()]                         # a group's start (without ?) or end
    )""",
    re.VERBOSE,
)


class GenerationError(ValueError):
    """A Python value that the page could not read the same way."""


def js_regex_source(pattern: re.Pattern[str]) -> str:
    """The pattern as a JavaScript regex literal matching what ``pattern.fullmatch`` does.

    Raises :class:`GenerationError` when the pattern uses syntax outside the subset both
    languages read alike (named groups, inline flags, ``\\A``/``\\Z``, look-behind...).
    """
    source = pattern.pattern
    if pattern.flags & ~re.UNICODE:
        raise GenerationError(f"{source!r}: flags are not carried to the page")
    position = 0
    while position < len(source):
        token = _JS_SAFE.match(source, position)
        if token is None or (token.group() == "(" and source.startswith("(?", position)):
            raise GenerationError(
                f"{source!r}: {source[position : position + 4]!r} is not read alike by JavaScript"
            )
        position = token.end()
    return "/^(?:" + source.replace("/", "\\/") + ")$/"


def _string(value: str) -> str:
    """A JavaScript string literal (single quotes, as the page's code writes them)."""
    return "'" + json.dumps(value, ensure_ascii=False)[1:-1].replace("'", "\\'") + "'"


def _names(values: Iterable[str]) -> str:
    return "[" + ", ".join(_string(v) for v in sorted(values)) + "]"


def _enum_object(values: Iterable[str]) -> str:
    rows = "".join(f"  {v.upper()}: {_string(v)},\n" for v in sorted(values))
    return "Object.freeze({\n" + rows + "})"


def _message_types(union: object) -> list[str]:
    return sorted({cls.TYPE for cls in typing.get_args(union)})


def render() -> str:
    """The text of ``web/protocol.js``."""
    questions = [
        {
            "id": str(item["id"]),
            "kind": str(item.get("kind", "tick")),
            "required": bool(item.get("required", False)),
            "text": {lang: item["text"][lang] for lang in ("en", "fr_CA") if lang in item["text"]},
        }
        for item in key_spec("participant_checklist").default
    ]
    out = [
        f"// GENERATED from core/protocol.py by `{COMMAND}` — do not edit.",
        "// Sources: core/protocol.py, core/refusals.py, core/call_quality.py and the",
        "// participant_checklist default of resources/checklists/participant.json.",
        "",
        f"export const PROTOCOL_VERSION = {protocol.PROTOCOL_VERSION};",
        "",
        "// Limits the server enforces (characters, items).",
    ]
    out += [f"export const {name} = {getattr(protocol, name)};" for name in _LIMITS]
    out += [
        "",
        "// Message types, by direction.",
        f"export const CLIENT_MESSAGE = {_enum_object(_message_types(protocol.ClientMessage))};",
        f"export const SERVER_MESSAGE = {_enum_object(_message_types(protocol.ServerMessage))};",
        "// Server messages after which nothing more comes for the seat.",
        f"export const FINAL_SERVER_MESSAGES = new Set({_names(refusals.FINAL_SERVER_MESSAGES)});",
        "",
        "// App events: any member's, and the facilitators' only (controls).",
        f"export const APP_EVENT = {_enum_object(protocol.APP_EVENTS)};",
        f"export const APP_EVENTS_FOR_ANYONE = new Set({_names(protocol.APP_EVENTS_FOR_ANYONE)});",
        "export const APP_EVENTS_FOR_FACILITATORS = "
        f"new Set({_names(protocol.APP_EVENTS_FOR_FACILITATORS)});",
        f"export const PREVIEW_SIGNAL_PREFIX = {_string(protocol.PREVIEW_SIGNAL_PREFIX)};",
        "",
        "// Error codes, and what a refused client does next.",
        f"export const ERROR_CODE = {_enum_object(protocol.ErrorCode)};",
        "// a refusal of hello or resume that ends the visit",
        f"export const FINAL_ERROR_CODES = new Set({_names(refusals.FINAL_ERROR_CODES)});",
        "// the server or the network address is busy: the same try may pass in a few minutes",
        "export const RETRY_LATER_ERROR_CODES = "
        f"new Set({_names(refusals.RETRY_LATER_ERROR_CODES)});",
        "// answers to inquire that end the visit before the device check",
        f"export const INVITE_ERROR_CODES = new Set({_names(refusals.INVITE_ERROR_CODES)});",
        "",
        "// Ids, matched whole.",
    ]
    out += [f"export const {name} = {js_regex_source(p)};" for name, p in _PATTERNS]
    out += [
        "",
        "// A link's quality bars, and when a member's video counts as frozen.",
        "export const QUALITY = Object.freeze({",
        f"  LOSS_GOOD_BELOW: {call_quality.LOSS_GOOD_BELOW},",
        f"  LOSS_FAIR_BELOW: {call_quality.LOSS_FAIR_BELOW},",
        f"  RTT_GOOD_BELOW_S: {call_quality.RTT_GOOD_BELOW_S},",
        f"  RTT_FAIR_BELOW_S: {call_quality.RTT_FAIR_BELOW_S},",
        "});",
        f"export const FROZEN_AFTER_MS = {round(call_quality.FROZEN_AFTER_S * 1000)};",
        "// When the page suggests audio only (smoothed, with hysteresis).",
        "export const ADVICE = Object.freeze({",
        f"  SMOOTHING_S: {call_quality.ADVICE_SMOOTHING_S},",
        f"  SHOW_LOSS: {call_quality.ADVICE_SHOW_LOSS},",
        f"  SHOW_RTT_S: {call_quality.ADVICE_SHOW_RTT_S},",
        f"  SHOW_AFTER_S: {call_quality.ADVICE_SHOW_AFTER_S},",
        f"  HIDE_AFTER_S: {call_quality.ADVICE_HIDE_AFTER_S},",
        "});",
        "",
        "// How a question is answered, and the key of the consent's version in `declared`.",
        "export const QUESTION_KINDS = "
        f"Object.freeze({_names_in_order(list(protocol.QUESTION_KINDS))});",
        f"export const CONSENT_ANSWER = {_string(protocol.CONSENT_ANSWER)};",
        "// What a member may share: a screen, a window, a document.",
        f"export const SHARE_KINDS = Object.freeze({_names_in_order(list(protocol.SHARE_KINDS))});",
        "// Which of a member's publications an `sfu` message is about (SFU rooms).",
        f"export const SFU_TRACKS = Object.freeze({_names_in_order(list(protocol.SFU_TRACKS))});",
        "// What a participant answers before admission when the room asks nothing of its own.",
        "export const DEFAULT_QUESTIONS = Object.freeze([",
        *(f"  Object.freeze({_json(q)})," for q in questions),
        "]);",
        "export const DEFAULT_CHECKLIST_IDS = Object.freeze(DEFAULT_QUESTIONS.map((q) => q.id));",
        "",
    ]
    return "\n".join(out)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _names_in_order(values: list[str]) -> str:
    return "[" + ", ".join(_string(v) for v in values) + "]"


def main(argv: list[str] | None = None) -> int:
    """``--write`` the file, or ``--check`` that it is up to date (exit status 1 if not)."""
    parser = argparse.ArgumentParser(prog="python -m groupdesk.server.web_protocol")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help=f"write {TARGET.name}")
    action.add_argument("--check", action="store_true", help=f"fail if {TARGET.name} is stale")
    args = parser.parse_args(argv)
    text = render()
    if args.write:
        TARGET.write_text(text, "utf-8")
        return 0
    if TARGET.read_text("utf-8") != text:
        print(f"{TARGET} is stale: run {COMMAND}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
