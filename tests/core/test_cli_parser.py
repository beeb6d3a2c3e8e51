"""argparse's own words follow the chosen language in our parsers, and only in ours."""

from __future__ import annotations

import argparse
import ast
import gettext
import inspect
from collections.abc import Iterator

import pytest

from groupdesk.core.cli_parser import ArgumentParser
from groupdesk.core.i18n import catalogue, set_language


@pytest.fixture
def french() -> Iterator[None]:
    set_language("fr_CA")
    yield
    set_language("en")


def _parser() -> ArgumentParser:
    parser = ArgumentParser(prog="outil")
    parser.add_argument("--couleur", choices=["rouge", "vert"])
    parser.add_argument("--nombre", type=int)
    parser.add_argument("fichier")
    return parser


def test_help_and_errors_speak_french(french: None, capsys: pytest.CaptureFixture[str]) -> None:
    text = _parser().format_help()
    assert text.startswith("utilisation : outil [-h]")
    assert "arguments positionnels:" in text
    assert "options:" in text
    assert "-h, --help            afficher ce message d'aide et quitter" in text
    assert "usage" not in text
    assert "show this help" not in text

    for argv, said in (
        ([], "outil : erreur : les arguments suivants sont obligatoires : fichier"),
        (["f", "--couleur", "bleu"], "argument --couleur : choix invalide : 'bleu'"),
        (["f", "--nombre", "x"], "argument --nombre : valeur invalide pour int : 'x'"),
        (["f", "g"], "outil : erreur : arguments non reconnus : g"),
        (["f", "--nombre"], "argument --nombre : un argument attendu"),
    ):
        with pytest.raises(SystemExit) as exited:
            _parser().parse_args(argv)
        assert exited.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("utilisation : outil"), err
        assert said in err


def test_english_stays_argparse_s_own(capsys: pytest.CaptureFixture[str]) -> None:
    set_language("en")
    assert _parser().format_help().startswith("usage: outil [-h]")
    with pytest.raises(SystemExit):
        _parser().parse_args([])
    assert "outil: error: the following arguments are required: fichier" in capsys.readouterr().err


def test_other_parsers_are_left_alone(french: None) -> None:
    """Only our parsers translate, and only while they work: pytest's own stay English."""
    _parser().format_help()
    with pytest.raises(SystemExit):
        _parser().parse_args(["--help"])
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    assert argparse.ArgumentParser(prog="x").format_usage() == "usage: x [-h]\n"


def test_every_message_translated_is_one_argparse_writes() -> None:
    """A Python whose argparse changed one of its texts fails here rather than showing
    English among the French."""
    tree = ast.parse(inspect.getsource(argparse))
    texts = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    ours = {key: t["en"] for key, t in catalogue().items() if key.startswith("argparse.")}
    assert {key: text for key, text in ours.items() if text not in texts} == {}
