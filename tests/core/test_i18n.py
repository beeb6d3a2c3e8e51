"""The non-Qt message catalogue is complete in both languages and used consistently."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from groupdesk.core.errors import GroupDeskError
from groupdesk.core.i18n import LANGUAGES, catalogue, decimal, detect_language, tr

SRC = Path(__file__).parents[2] / "src" / "groupdesk"


def test_every_message_has_french_and_english() -> None:
    missing = [
        (key, lang)
        for key, texts in catalogue().items()
        for lang in LANGUAGES
        if not texts.get(lang, "").strip()
    ]
    assert missing == []


def test_placeholders_match_between_languages() -> None:
    import string

    def names(text: str) -> set[str]:
        return {f[1] for f in string.Formatter().parse(text) if f[1]}

    mismatched = [
        key for key, texts in catalogue().items() if names(texts["en"]) != names(texts["fr_CA"])
    ]
    assert mismatched == []


def _literal_keys_used_in_source() -> set[str]:
    """Keys passed as literals to tr(...) or to a GroupDeskError subclass / its ``key =``."""
    used: set[str] = set()
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                used.add(node.args[0].value)
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == "key"
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                used.add(node.value.value)
    return used


def test_every_key_used_in_the_source_exists() -> None:
    assert sorted(_literal_keys_used_in_source() - set(catalogue())) == []


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "fr_CA.UTF-8"}, "fr_CA"),
        ({"LANG": "fr_FR.UTF-8"}, "fr_CA"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"GROUPDESK_LANG": "fr", "LANG": "en_US.UTF-8"}, "fr_CA"),
        ({}, "en"),
    ],
)
def test_language_follows_the_locale(env: dict[str, str], expected: str) -> None:
    assert detect_language(env) == expected


def test_errors_speak_both_languages() -> None:
    error = GroupDeskError()
    assert str(error) == tr("error.unexpected", "en")
    assert error.message("fr_CA") == "Un problème inattendu est survenu."
    assert error.code == "error.unexpected"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--lang", "fr_CA", "log", "verify"], "fr_CA"),
        (["--lang=en"], "en"),
        (["log", "--lang", "fr"], "fr_CA"),
        (["--lang"], "en"),
    ],
)
def test_the_language_of_a_command_line_is_read_before_its_parser(
    argv: list[str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from groupdesk.core.i18n import language_from_argv

    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("GROUPDESK_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert language_from_argv(argv) == expected


def test_decimals_are_written_as_each_language_writes_them() -> None:
    assert decimal(0.46, lang="en") == "0.5"
    assert decimal(0.46, lang="fr_CA") == "0,5"
    assert decimal(12.345, 2, lang="fr_CA") == "12,35"
