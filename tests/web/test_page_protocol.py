"""The page's protocol.js is generated from the Python source, and reads the rules alike.

Node runs the page's modules outside the browser: the state transitions (state.test.mjs)
and the generated ids and quality rule, against what Python decides for the same input.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from groupdesk.core import call_quality, protocol, refusals
from groupdesk.core.protocol import ErrorCode, TurnRound, TurnState, TurnTimer, app_event_wire
from groupdesk.core.session.turn_wire import from_wire
from groupdesk.server import web_protocol

HERE = Path(__file__).resolve().parent
WEB = web_protocol.TARGET.parent


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("the page's module tests need node")
        pytest.skip("the page's module tests need node")
    return node


def _node_eval(script: str) -> Any:
    """Run an ES module script with node (in the page's folder); its JSON on stdout."""
    done = subprocess.run(
        [_node(), "--input-type=module", "-e", script],
        cwd=WEB,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_protocol_js_is_what_the_python_source_generates() -> None:
    on_disk = web_protocol.TARGET.read_text("utf-8")
    assert on_disk == web_protocol.render(), f"web/protocol.js is stale: run {web_protocol.COMMAND}"
    assert on_disk.startswith("// GENERATED from core/protocol.py")
    assert f"export const PROTOCOL_VERSION = {protocol.PROTOCOL_VERSION};" in on_disk
    for code in protocol.ErrorCode:
        assert f"'{code.value}'" in on_disk


def test_no_page_module_keeps_its_own_copy_of_a_protocol_constant() -> None:
    for script in WEB.glob("*.js"):
        if script == web_protocol.TARGET:
            continue
        text = script.read_text("utf-8")
        for copy in (
            "PROTOCOL_VERSION = ",
            "/^[0-9a-f]{12}$/",
            "/^[A-Za-z0-9_-]{8,32}$/",
            "'private_place'",
            "'bad_invite', 'invite_expired'",
            "FROZEN_AFTER_MS = ",
            "0.08",
        ):
            assert copy not in text, f"{script.name} keeps its own {copy}"


@pytest.mark.parametrize(
    "pattern",
    [r"(?P<name>a)", r"(?i)abc", r"\Aabc", r"abc\Z", r"(?<=a)b", r"(?#note)a", r"\p{L}"],
)
def test_a_pattern_javascript_would_read_otherwise_is_refused(pattern: str) -> None:
    with pytest.raises((web_protocol.GenerationError, re.error)):
        web_protocol.js_regex_source(re.compile(pattern))


def test_the_ids_match_alike_in_python_and_in_the_page() -> None:
    samples = [
        "0123456789ab",
        "0123456789AB",
        "0123456789a",
        "0123456789abc",
        "room-0001",
        "room_0001_ABC",
        "short",
        "x" * 32,
        "x" * 33,
        "s" * 16,
        "s" * 128,
        "s" * 129,
        "alone",
        "Alone",
        "a b",
        "room-0001\n",
        "é" * 12,
        "",
    ]
    names = [name for name, _ in web_protocol._PATTERNS]
    script = (
        "import * as p from './protocol.js';\n"
        f"const names = {json.dumps(names)}; const samples = {json.dumps(samples)};\n"
        "console.log(JSON.stringify(Object.fromEntries(names.map("
        "(n) => [n, samples.map((s) => p[n].test(s))]))));"
    )
    in_js = _node_eval(script)
    for name, pattern in web_protocol._PATTERNS:
        in_python = [pattern.fullmatch(s) is not None for s in samples]
        assert in_js[name] == in_python, name
        assert any(in_python), name  # the samples reach each pattern's accepting side


def test_the_quality_bars_are_the_same_rule_in_python_and_in_the_page() -> None:
    points = [
        (loss, rtt)
        for loss in (0.0, 0.019, 0.02, 0.05, 0.08, 0.2)
        for rtt in (0.0, 0.299, 0.3, 0.45, 0.6, 1.5)
    ]
    script = (
        "import { qualityOf } from './state.js';\n"
        f"const points = {json.dumps(points)};\n"
        "console.log(JSON.stringify(points.map(([l, r]) => qualityOf(l, r))));"
    )
    in_js = _node_eval(script)
    assert in_js == [call_quality.quality_level(loss, rtt) for loss, rtt in points]
    assert set(in_js) == {"good", "fair", "poor"}


def test_the_page_counts_the_turn_timer_on_as_python_does() -> None:
    me, other = "aaaaaaaaaaaa", "cccccccccccc"
    timer = TurnTimer(elapsed=150.0, limit=180.0, remaining=30.0, warning=True)
    states = [
        TurnState(spotlight=other),  # an older facilitator's app: no queue
        TurnState(queue=(other, me), floor=other, timer=TurnTimer(elapsed=12.5)),
        TurnState(queue=(me,), floor=other, timer=TurnTimer(10.0, 180.0, 170.0)),
        TurnState(queue=(), floor=other, timer=timer),
        TurnState(
            queue=(other,),
            floor=me,
            timer=TurnTimer(elapsed=200.0, limit=180.0, remaining=-20.0, warning=True, over=True),
            round=TurnRound(order="random", done=1, total=3, current=me, next=other),
        ),
        TurnState(queue=(), round=TurnRound(order="quieter_first", done=2, total=2)),
    ]
    cases = [
        (app_event_wire(state)[1], 1000.25, now)
        for state in states
        for now in (1000.25, 999.0, 1010.0, 1029.75, 1030.25, 1100.0)
    ]
    script = (
        "import { createState, turnState, turnView } from './state.js';\n"
        f"const cases = {json.dumps(cases)};\n"
        "console.log(JSON.stringify(cases.map(([data, at, now]) => {\n"
        f"  const state = createState(); state.member = '{me}';\n"
        "  turnState(state, data, at); return turnView(state, now);\n"
        "})));"
    )
    in_js = _node_eval(script)
    names = {"hand_raised": "handRaised", "my_turn_in_round": "myTurnInRound"}
    for (data, at, now), seen in zip(cases, in_js, strict=True):
        view = dataclasses.asdict(
            from_wire(protocol.parse_app_event("turn_state", data), at).view_for(me, now)
        )
        del view["member"]
        expected = {names.get(k, k): list(v) if k == "queue" else v for k, v in view.items()}
        assert seen == expected, (data, at, now)
    assert {view["timer"]["over"] for view in in_js if view["timer"]} == {True, False}


def test_the_page_state_transitions() -> None:
    done = subprocess.run(
        [_node(), "--test", "state.test.mjs"],
        cwd=HERE,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    written = len(re.findall(r"^test\(", (HERE / "state.test.mjs").read_text(), re.MULTILINE))
    assert written > 10
    assert f"# pass {written}" in done.stdout  # every test ran, and passed


# Codes a participant never meets: facilitators' sign-ins, and the page sends no control.
_NOT_FOR_PARTICIPANTS = {ErrorCode.SIGN_IN_BUSY, ErrorCode.SIGN_IN_TIMEOUT}


def test_every_refusal_is_classed_once() -> None:
    assert not refusals.FINAL_ERROR_CODES & refusals.RETRY_LATER_ERROR_CODES
    assert refusals.INVITE_ERROR_CODES <= refusals.FINAL_ERROR_CODES
    assert {
        ErrorCode.SERVER_FULL,
        ErrorCode.TOO_MANY_CONNECTIONS,
        ErrorCode.ADDRESS_RATE_LIMITED,
        ErrorCode.LOBBY_ADDRESS_FULL,
    } <= refusals.RETRY_LATER_ERROR_CODES


def test_the_page_has_words_and_a_retry_for_each_refusal_a_participant_can_meet() -> None:
    script = (
        "const { PROBLEMS, RETRY } = await import('./problems.js');\n"
        "console.log(JSON.stringify({ words: Object.keys(PROBLEMS), retry: [...RETRY] }));"
    )
    page = _node_eval(script)
    final = {c.value for c in refusals.FINAL_ERROR_CODES} - {"unsupported_version"}
    later = {c.value for c in refusals.RETRY_LATER_ERROR_CODES - _NOT_FOR_PARTICIPANTS}
    assert final | later <= set(page["words"])
    assert later <= set(page["retry"])
