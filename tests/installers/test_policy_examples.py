"""The example policy files the .deb ships in /usr/share/doc/groupdesk/examples are valid."""

from __future__ import annotations

import shutil
from pathlib import Path

from groupdesk.core.policy import load_effective_policy

EXAMPLES = Path(__file__).resolve().parents[2] / "installers" / "linux" / "examples" / "policies"


def test_the_examples_load_without_a_problem_and_are_in_force(tmp_path: Path) -> None:
    root = tmp_path / "policies"
    root.mkdir(mode=0o755)
    for layer in ("managed", "recommended"):
        (root / layer).mkdir(mode=0o755)
        for example in sorted((EXAMPLES / layer).glob("*.json")):
            shutil.copyfile(example, root / layer / example.name)
            (root / layer / example.name).chmod(0o644)
    root.chmod(0o755)

    effective = load_effective_policy(root, tmp_path / "user.json")

    assert effective.problems == ()
    assert effective.value("server_url") == "wss://groupdesk.example.org"
    assert effective.locked("retention_years")
    assert effective.ceiling("auto_lock_minutes") == 10
    assert effective.value("language") == "fr_CA"
    assert not effective.locked("language")  # recommended: the user may change it
