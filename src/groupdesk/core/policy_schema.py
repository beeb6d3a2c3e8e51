"""The policy schema: every key, its type, default, merge rule and who may set it.

``resources/policy.schema.json`` is the single source: validation, defaults,
merging (:mod:`groupdesk.core.policy`) and the administrator templates all read it.
A key's default may live in a file of its own under ``resources/`` (the checklists,
written for people to read and translate): ``x-default-resource`` names it, and the
loaded schema carries it as the key's ``default``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from groupdesk.core.errors import GroupDeskError

MERGE_KINDS = ("value", "ceiling", "list-replace", "list-append")
_DETAIL_MAX = 160


class PolicyError(GroupDeskError):
    """A policy setting that cannot be read or changed (the key says why)."""

    key = "policy.error.invalid"


# --------------------------------------------------------------------------- schema


@cache
def schema() -> Mapping[str, Any]:
    """The policy JSON Schema (``resources/policy.schema.json``)."""
    loaded: dict[str, Any] = json.loads(_resource("policy.schema.json"))
    for prop in loaded["properties"].values():
        if "x-default-resource" in prop:
            prop["default"] = json.loads(_resource(prop["x-default-resource"]))
    return loaded


def _resource(name: str) -> str:
    return resources.files("groupdesk").joinpath("resources", name).read_text("utf-8")


def schema_version() -> int:
    """The schema's ``version``: bumped whenever a key is added, removed or changes meaning."""
    return int(schema()["version"])


@cache
def _validator() -> Any:
    return jsonschema.Draft202012Validator(schema())


@dataclass(frozen=True)
class KeySpec:
    """What the schema says about one key."""

    name: str
    merge: str
    user: bool
    default: Any = field(hash=False)
    descriptions: Mapping[str, str] = field(hash=False)
    titles: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.merge not in MERGE_KINDS:
            raise ValueError(f"policy key {self.name!r}: unknown x-merge {self.merge!r}")

    def description(self, lang: str | None = None) -> str:
        """The key's description for administrators, in ``lang`` (default: English)."""
        return self.descriptions.get(lang or "en") or self.descriptions["en"]

    def title(self, lang: str | None = None) -> str:
        """The key's short name for administrators, in ``lang`` (default: English; the
        key itself when the schema gives none)."""
        return self.titles.get(lang or "en") or self.titles.get("en") or self.name


@cache
def key_specs() -> Mapping[str, KeySpec]:
    """Every policy key, in schema order."""
    specs: dict[str, KeySpec] = {}
    for name, prop in schema()["properties"].items():
        specs[name] = KeySpec(
            name=name,
            merge=prop["x-merge"],
            user=bool(prop["x-user"]),
            default=prop["default"],
            descriptions={"en": prop["description"], "fr_CA": prop["x-description-fr_CA"]},
            titles={
                lang: prop[name]
                for lang, name in (("en", "title"), ("fr_CA", "x-title-fr_CA"))
                if name in prop
            },
        )
    return specs


def resolved(node: Mapping[str, Any]) -> Mapping[str, Any]:
    """``node`` with its ``$ref`` (``#/$defs/...``) followed, merged under its own keys."""
    seen = 0
    result = dict(node)
    while "$ref" in result and seen < 16:  # the schema has no cycles; bound it anyway
        name = str(result.pop("$ref")).removeprefix("#/$defs/")
        result = {**schema()["$defs"][name], **result}
        seen += 1
    return result


def key_type(key: str) -> str:
    """The JSON type of ``key``'s value: boolean, integer, string, array or object."""
    node = resolved(schema()["properties"][key_spec(key).name])
    return str(node["type"])


def item_type(key: str) -> str | None:
    """The JSON type of the items of an ``array`` key (None for other keys)."""
    node = resolved(schema()["properties"][key_spec(key).name])
    if node["type"] != "array":
        return None
    return str(resolved(node["items"])["type"])


def key_spec(key: str) -> KeySpec:
    """The schema entry of ``key``; PolicyError if there is no such key."""
    spec = key_specs().get(key)
    if spec is None:
        raise PolicyError("policy.error.unknown_key", key=key)
    return spec


def validation_detail(key: str, value: Any) -> str | None:
    """None if ``value`` is valid for ``key``, else a one-line summary of why not."""
    error = jsonschema.exceptions.best_match(_validator().iter_errors({key: value}))
    if error is None:
        return None
    inner = list(error.absolute_path)[1:]  # the problem already names the key
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in inner).lstrip(".")
    message = error.message
    if len(message) > _DETAIL_MAX:
        message = message[: _DETAIL_MAX - 1] + "…"
    return f"{path}: {message}" if path else message


def normalised(value: Any) -> Any:
    """JSON Schema counts 8.0 as an integer; hand callers an int."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
