"""The page's security code (web/security_code.js) is the app's (core/security_code.py):
the same code for the same (seat, fingerprint) pairs, checked with node on fixed inputs."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from groupdesk.core.security_code import code_for

WEB = Path(__file__).resolve().parents[2] / "src" / "groupdesk" / "server" / "web"


def _fingerprint(seed: str, lower: bool = False) -> str:
    digest = hashlib.sha256(seed.encode()).hexdigest()
    value = ":".join(digest[i : i + 2] for i in range(0, 64, 2))
    return "sha-256 " + (value if lower else value.upper())


INPUTS: list[dict[str, str]] = [
    {"a": "sha-256 " + ":".join(["A1"] * 32)},
    {s: _fingerprint(s) for s in ("a", "b", "c")},
    {s: _fingerprint(s, lower=True) for s in ("c44c66e8f8d9", "29338c6e9749", "0a1b2c3d4e5f")},
    {f"seat-{i:02d}": _fingerprint(f"member {i}") for i in range(12)},
    {"Zoé": _fingerprint("x"), "zoe": _fingerprint("y"), "Zoe": _fingerprint("z")},
]


def test_the_page_computes_the_same_codes_as_the_app() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("the page's module tests need node")
    script = (
        f"import {{ codeFor }} from {json.dumps((WEB / 'security_code.js').as_uri())};\n"
        f"const inputs = {json.dumps(INPUTS)};\n"
        "const codes = [];\n"
        "for (const pairs of inputs) codes.push(await codeFor(pairs));\n"
        "console.log(JSON.stringify(codes));\n"
    )
    result = subprocess.run(
        [node, "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    page_codes = json.loads(result.stdout)
    assert page_codes == [code_for(pairs) for pairs in INPUTS]
    assert page_codes[0] != page_codes[1]
    assert (
        code_for(
            {
                "a": "sha-256 " + ":".join(["A1"] * 32),
                "b": "sha-256 " + ":".join(["B2"] * 32),
                "c": "sha-256 " + ":".join(["C3"] * 32),
            }
        )
        == "693 982 295 923"
    )
