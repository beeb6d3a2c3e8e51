"""The page's share rules (share.js) under node: who may share, what is shown, a share
ended when the permission is taken back, a participant's permission ignored."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def test_the_page_share_rules() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("the page's module tests need node")
    done = subprocess.run(
        [node, "--test", "share.test.mjs"],
        cwd=HERE,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    written = len(re.findall(r"^test\(", (HERE / "share.test.mjs").read_text(), re.MULTILINE))
    assert f"# pass {written}" in done.stdout  # every test ran, and passed
