r"""Administrator templates generated from the policy JSON Schema (one source for all).

``python -m groupdesk.policy_templates --write .`` (re)writes, under the checkout:

* ``installers/policy/windows/groupdesk.admx`` with ``en-US`` and ``fr-CA`` ``.adml``:
  every key twice, in a mandatory category (``HKLM\SOFTWARE\Policies\GroupDesk``) and a
  recommended one (``...\GroupDesk\Recommended``), stored as the reader expects
  (:mod:`groupdesk.core.policy_sources`): booleans and numbers as ``REG_DWORD``, strings as
  ``REG_SZ``, objects as ``REG_SZ`` JSON, lists as numbered values under a subkey;
* ``installers/policy/macos/groupdesk.mobileconfig``, an example configuration profile,
  and ``installers/policy/macos/groupdesk.jamf.json``, a Jamf Pro custom schema;
* ``installers/policy/linux/{managed,recommended}/10-organisation.json``, example files
  for ``/etc/groupdesk/policies``;
* ``docs/policy-reference.md`` (English) and ``docs/policy-reference.fr_CA.md`` (French):
  every key, its type, default, limits, how it merges and who may set it.

``--check .`` exits 1 and names every file that is missing or differs (the tests run it).
Output is deterministic: sorted nothing, the schema's order everywhere, fixed UUIDs.
"""

from __future__ import annotations

import argparse
import json
import plistlib
import sys
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from groupdesk.core.i18n import tr
from groupdesk.core.policy_schema import KeySpec, key_specs, resolved, schema, schema_version
from groupdesk.core.policy_sources import (
    MACOS_DOMAIN,
    RECOMMENDED,
    REGISTRY_FORMS,
    REGISTRY_KEY,
)

ADMX_NS = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"
ADMX = "installers/policy/windows/groupdesk.admx"
ADML = {"en": "installers/policy/windows/en-US/groupdesk.adml",
        "fr_CA": "installers/policy/windows/fr-CA/groupdesk.adml"}  # fmt: skip
MOBILECONFIG = "installers/policy/macos/groupdesk.mobileconfig"
JAMF = "installers/policy/macos/groupdesk.jamf.json"
LINUX_MANAGED = "installers/policy/linux/managed/10-organisation.json"
LINUX_RECOMMENDED = "installers/policy/linux/recommended/10-organisation.json"
REFERENCE = {"en": "docs/policy-reference.md", "fr_CA": "docs/policy-reference.fr_CA.md"}
LANGS = ("en", "fr_CA")
_SUPPORTED = "SUPPORTED_GROUPDESK"
_CATEGORIES = {"managed": "groupdesk", "recommended": "groupdesk_recommended"}
_TEXT_MAX = 1_000_000  # JSON texts (group rules, consent) run long
_SHORT = 120
_UUID_ROOT = uuid.UUID("6f1c7d3e-4b7a-4d8e-9a51-3c2f0b9e1d42")

EXAMPLE_ITEMS: Mapping[str, Any] = {
    "ice_servers": {"urls": ["turns:turn.example.org:443"], "username": "groupdesk",
                    "credential": "replace-me"},
    "facilitator_checklist": {"id": "quiet_room", "text": {
        "en": "I am in a closed, quiet room", "fr_CA": "Je suis dans une pièce fermée et calme"}},
    "participant_checklist": {"id": "alone", "kind": "tick", "required": True, "text": {
        "en": "I am alone in the room", "fr_CA": "Je suis seul ou seule dans la pièce"}},
    "participant_extra": {"id": "headphones", "text": {
        "en": "I am wearing headphones", "fr_CA": "Je porte des écouteurs"}},
    "crisis_resources": {"id": "org_on_call", "name": {
        "en": "Our on-call clinician", "fr_CA": "Notre intervenant de garde"},
        "phone": "1 800 555-0100", "region": "CA-QC", "languages": ["en", "fr_CA"]},
    "crisis_protocol": {"id": "call_supervisor", "text": {
        "en": "Call the clinical supervisor", "fr_CA": "Appeler la superviseure clinique"}},
    "note_templates": {"id": "short_note", "name": {"en": "Short note", "fr_CA": "Note brève"},
        "applies_to": ["group"], "sections": [{"id": "summary", "heading": {
            "en": "Summary", "fr_CA": "Résumé"}, "facts": True}]},
}  # fmt: skip
"""One example item of each list key (templates and the reference show it)."""

EXAMPLE_OBJECTS: Mapping[str, Any] = {
    "organisation_guidelines": {
        "en": "Hold remote groups from a closed room.",
        "fr_CA": "Animez les groupes à distance depuis une pièce fermée.",
        "links": [{"url": "https://intranet.example.org/remote-groups",
                   "title": {"en": "Remote groups", "fr_CA": "Groupes à distance"}}],
    },
    "organisation_name": {"en": "Example health centre", "fr_CA": "CISSS de l'Exemple"},
    "group_rules": {"en": "Group rules: …", "fr_CA": "Règles du groupe : …"},
    "remote_consent": {"version": "2", "text": {"en": "Taking part remotely: …",
                                                "fr_CA": "Participer à distance : …"}},
}  # fmt: skip
"""An example of each object key whose default is too long to show."""

EXAMPLE_MANAGED: Mapping[str, Any] = {
    "server_url": "wss://groupdesk.example.org",
    "retention_years": 7,
    "auto_lock_minutes": 10,
    "max_group_size": 8,
    "break_reminder_minutes": 50,
    "update_check": False,
    "organisation_name": EXAMPLE_OBJECTS["organisation_name"],
    "organisation_guidelines": EXAMPLE_OBJECTS["organisation_guidelines"],
    "ice_servers": [EXAMPLE_ITEMS["ice_servers"]],
    "participant_extra": [EXAMPLE_ITEMS["participant_extra"]],
}
"""The example's mandatory values (every file format holds the same)."""
EXAMPLE_RECOMMENDED: Mapping[str, Any] = {
    "language": "fr_CA",
    "turn_seconds": 180,
    "lobby_preview": True,
    "crisis_resources": [EXAMPLE_ITEMS["crisis_resources"]],
}
"""The example's recommended values."""


# --------------------------------------------------------------------------- helpers


def _prop(spec: KeySpec) -> Mapping[str, Any]:
    return resolved(schema()["properties"][spec.name])


def _example(spec: KeySpec) -> Any:
    """A short example value of an object key, or one item of a list key."""
    if spec.name in EXAMPLE_ITEMS:
        return EXAMPLE_ITEMS[spec.name]
    if spec.name in EXAMPLE_OBJECTS:
        return EXAMPLE_OBJECTS[spec.name]
    return spec.default


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _default_text(spec: KeySpec, lang: str) -> str:
    default = spec.default
    if default in ("", [], None):
        return tr("policy.template.default_empty", lang)
    if isinstance(default, bool):
        return "true" if default else "false"
    text = default if isinstance(default, str) else _json(default)
    return text if len(text) <= _SHORT else tr("policy.template.default_long", lang)


def _type_text(spec: KeySpec, lang: str) -> str:
    prop = _prop(spec)
    kind = prop["type"]
    default = _default_text(spec, lang)
    if kind == "boolean":
        return tr("policy.template.type_boolean", lang, default=default)
    if kind == "integer":
        return tr(
            "policy.template.type_integer",
            lang,
            minimum=prop["minimum"],
            maximum=prop["maximum"],
            default=default,
        )
    if kind == "string" and "enum" in prop:
        values = ", ".join(prop["enum"])
        return tr("policy.template.type_enum", lang, values=values, default=default)
    if kind == "string":
        return tr("policy.template.type_string", lang, default=default)
    return tr(f"policy.template.type_{kind}", lang, example=_json(_example(spec)))


def _usage(spec: KeySpec, lang: str, level: str) -> list[str]:
    """How the key merges and who may set it, for the level's explanation."""
    who = tr(f"policy.template.{'user_may' if spec.user else 'admin_only'}", lang)
    if level == "recommended":
        return [tr("policy.template.recommended", lang), who]
    merge = tr(f"policy.template.merge_{spec.merge}", lang)
    return [merge] if level == "managed" else [merge, who]


def _registry_where(spec: KeySpec, level: str) -> str:
    key = "HKLM\\" + REGISTRY_KEY + (f"\\{RECOMMENDED}" if level == "recommended" else "")
    return f"{key}\\{spec.name}"


def _explain(spec: KeySpec, lang: str, level: str) -> str:
    form = REGISTRY_FORMS[_prop(spec)["type"]]
    parts = [
        spec.description(lang),
        _type_text(spec, lang),
        " ".join(_usage(spec, lang, level)),
        tr("policy.template.registry", lang, where=_registry_where(spec, level), form=form),
    ]
    return "\n\n".join(parts)


def _policy_name(spec: KeySpec, level: str) -> str:
    return spec.name if level == "managed" else f"{spec.name}_recommended"


def _xml(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = text
    return element


# --------------------------------------------------------------------------- ADMX / ADML


def _revision() -> str:
    return f"{schema_version()}.0"


def render_admx() -> str:
    """The ADMX: each key as a mandatory and a recommended machine policy."""
    root = ET.Element(
        "policyDefinitions", {"revision": _revision(), "schemaVersion": "1.0", "xmlns": ADMX_NS}
    )
    namespaces = _sub(root, "policyNamespaces")
    _sub(namespaces, "target", prefix="groupdesk", namespace="GroupDesk.Policies.GroupDesk")
    _sub(root, "resources", minRequiredRevision=_revision())
    definitions = _sub(_sub(root, "supportedOn"), "definitions")
    _sub(definitions, "definition", name=_SUPPORTED, displayName=f"$(string.{_SUPPORTED})")
    categories = _sub(root, "categories")
    for name in _CATEGORIES.values():
        _sub(categories, "category", name=name, displayName=f"$(string.{name})")
    policies = _sub(root, "policies")
    for level in ("managed", "recommended"):
        for spec in key_specs().values():
            _admx_policy(policies, spec, level)
    return _xml(root)


def _admx_policy(policies: ET.Element, spec: KeySpec, level: str) -> None:
    name = _policy_name(spec, level)
    key = REGISTRY_KEY + (f"\\{RECOMMENDED}" if level == "recommended" else "")
    prop = _prop(spec)
    kind = prop["type"]
    attrs = {
        "name": name,
        "class": "Machine",
        "displayName": f"$(string.{name})",
        "explainText": f"$(string.{name}_Explain)",
    }
    if kind != "boolean":
        attrs["presentation"] = f"$(presentation.{name})"
    attrs["key"] = key
    if kind == "boolean":
        attrs["valueName"] = spec.name
    policy = _sub(policies, "policy", **attrs)
    _sub(policy, "parentCategory", ref=_CATEGORIES[level])
    _sub(policy, "supportedOn", ref=_SUPPORTED)
    if kind == "boolean":
        _sub(_sub(policy, "enabledValue"), "decimal", value="1")
        _sub(_sub(policy, "disabledValue"), "decimal", value="0")
        return
    elements = _sub(policy, "elements")
    if kind == "integer":
        _sub(
            elements,
            "decimal",
            id=name,
            valueName=spec.name,
            required="true",
            minValue=str(prop["minimum"]),
            maxValue=str(prop["maximum"]),
        )
    elif kind == "string" and "enum" in prop:
        choice = _sub(elements, "enum", id=name, valueName=spec.name, required="true")
        for value in prop["enum"]:
            item = _sub(choice, "item", displayName=f"$(string.{spec.name}__{value})")
            _sub(_sub(item, "value"), "string", value)
    elif kind == "array":
        _sub(elements, "list", id=name, key=f"{key}\\{spec.name}", valuePrefix="")
    else:  # a string, or an object as JSON text
        limit = str(prop.get("maxLength", 1023) if kind == "string" else _TEXT_MAX)
        _sub(elements, "text", id=name, valueName=spec.name, required="true", maxLength=limit)


def render_adml(lang: str) -> str:
    """The ADML of ``lang`` (``en`` or ``fr_CA``): names, explanations, presentations."""
    root = ET.Element(
        "policyDefinitionResources",
        {"revision": _revision(), "schemaVersion": "1.0", "xmlns": ADMX_NS},
    )
    version = schema_version()
    _sub(root, "displayName", "GroupDesk")
    _sub(root, "description", tr("policy.template.description", lang, version=version))
    resources = _sub(root, "resources")
    strings = _sub(resources, "stringTable")
    presentations = _sub(resources, "presentationTable")

    def string(sid: str, text: str) -> None:
        _sub(strings, "string", text, id=sid)

    string(_SUPPORTED, tr("policy.template.supported", lang, version=version))
    string(_CATEGORIES["managed"], tr("policy.template.category", lang))
    string(_CATEGORIES["recommended"], tr("policy.template.category_recommended", lang))
    for spec in key_specs().values():
        prop = _prop(spec)
        for value in prop.get("enum", ()):
            string(f"{spec.name}__{value}", str(value))
    for level in ("managed", "recommended"):
        for spec in key_specs().values():
            name = _policy_name(spec, level)
            title = spec.title(lang)
            if level == "recommended":
                title = tr("policy.template.recommended_title", lang, title=title)
            string(name, title)
            string(f"{name}_Explain", _explain(spec, lang, level))
            _adml_presentation(presentations, spec, name, lang)
    return _xml(root)


def _adml_presentation(parent: ET.Element, spec: KeySpec, name: str, lang: str) -> None:
    prop = _prop(spec)
    kind = prop["type"]
    if kind == "boolean":
        return
    presentation = _sub(parent, "presentation", id=name)
    label = spec.title(lang)
    if kind == "integer":
        _sub(presentation, "decimalTextBox", label, refId=name, defaultValue=str(spec.default))
    elif kind == "string" and "enum" in prop:
        default = str(prop["enum"].index(spec.default))
        _sub(presentation, "dropdownList", label, refId=name, noSort="true", defaultItem=default)
    elif kind == "array":
        _sub(presentation, "listBox", label, refId=name)
    else:
        box = _sub(presentation, "textBox", refId=name)
        _sub(box, "label", label)
        if isinstance(spec.default, str) and spec.default:
            _sub(box, "defaultValue", spec.default)


# --------------------------------------------------------------------------- macOS


def _stable_uuid(name: str) -> str:
    return str(uuid.uuid5(_UUID_ROOT, name)).upper()


def render_mobileconfig() -> str:
    """An example configuration profile: forced keys, and a forced ``Recommended``."""
    payload: dict[str, Any] = {
        "PayloadType": MACOS_DOMAIN,
        "PayloadIdentifier": f"{MACOS_DOMAIN}.policy",
        "PayloadUUID": _stable_uuid("payload"),
        "PayloadVersion": 1,
        "PayloadDisplayName": "GroupDesk",
        **EXAMPLE_MANAGED,
        RECOMMENDED: dict(EXAMPLE_RECOMMENDED),
    }
    profile = {
        "PayloadContent": [payload],
        "PayloadDescription": " / ".join(
            tr("policy.template.example_description", lang) for lang in LANGS
        ),
        "PayloadDisplayName": tr("policy.template.example_title", "en"),
        "PayloadIdentifier": f"{MACOS_DOMAIN}.profile",
        "PayloadScope": "System",
        "PayloadType": "Configuration",
        "PayloadUUID": _stable_uuid("profile"),
        "PayloadVersion": 1,
    }
    return plistlib.dumps(profile, fmt=plistlib.FMT_XML, sort_keys=False).decode("utf-8")


_JAMF_KEEP = ("type", "enum", "minimum", "maximum", "pattern", "maxLength", "minItems",
              "maxItems", "uniqueItems", "required", "minProperties")  # fmt: skip


def _jamf_node(node: Mapping[str, Any]) -> dict[str, Any]:
    """A schema node without ``$ref``/``oneOf``/``anyOf`` (Jamf's editor has neither)."""
    node = resolved(node)
    if "oneOf" in node:  # ice urls: one or several; the list form covers both
        arrays = [n for n in map(resolved, node["oneOf"]) if n.get("type") == "array"]
        node = {**(arrays[0] if arrays else resolved(node["oneOf"][0]))}
    out = {k: node[k] for k in _JAMF_KEEP if k in node}
    if "enum" in node and "type" not in node:
        out["type"] = "string"
    if "properties" in node:
        out["properties"] = {k: _jamf_node(v) for k, v in node["properties"].items()}
    if "items" in node:
        out["items"] = _jamf_node(node["items"])
    return out


def _jamf_property(spec: KeySpec, lang: str = "en") -> dict[str, Any]:
    node = _jamf_node(schema()["properties"][spec.name])
    return {
        "title": spec.title(lang),
        "description": spec.description(lang),
        **node,
        "default": spec.default if len(_json(spec.default)) <= _SHORT else None,
    }


def render_jamf() -> str:
    """A Jamf Pro custom schema (Application & Custom Settings, domain MACOS_DOMAIN)."""
    properties = {name: _jamf_property(spec) for name, spec in key_specs().items()}
    for prop in properties.values():
        if prop["default"] is None:
            del prop["default"]
    recommended = {
        "title": tr("policy.template.category_recommended", "en"),
        "description": tr("policy.template.recommended", "en"),
        "type": "object",
        "properties": {
            name: {k: v for k, v in prop.items() if k != "default"}
            for name, prop in properties.items()
        },
    }
    document = {
        "title": f"GroupDesk ({MACOS_DOMAIN})",
        "description": tr("policy.template.description", "en", version=schema_version()),
        "properties": {**properties, RECOMMENDED: recommended},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- Linux, docs


def render_linux(level: str) -> str:
    """An example policy file for ``/etc/groupdesk/policies/<level>/``."""
    data = EXAMPLE_MANAGED if level == "managed" else EXAMPLE_RECOMMENDED
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_reference(lang: str) -> str:
    """The reference page of every key, in ``lang``."""

    def t(key: str, **params: Any) -> str:
        return tr(f"policy.reference.{key}", lang, **params)

    version = schema_version()
    lines = [
        f"# {t('title')}",
        "",
        t("generated", version=version),
        "",
        f"## {t('sources')}",
        "",
        t("sources_text", registry="HKLM\\" + REGISTRY_KEY, domain=MACOS_DOMAIN),
        "",
        f"## {t('registry_types')}",
        "",
        f"| {t('json_type')} | {t('registry_type')} |",
        "|---|---|",
        *(f"| {kind} | {_md_cell(form)} |" for kind, form in REGISTRY_FORMS.items()),
        "",
        f"## {t('keys')}",
        "",
        f"| {t('key')} | {t('type')} | {t('default')} | {t('merge')} | {t('user')} |",
        "|---|---|---|---|---|",
    ]
    for spec in key_specs().values():
        prop = _prop(spec)
        kind = prop["type"]
        if "minimum" in prop:
            kind += f" ({prop['minimum']}..{prop['maximum']})"
        user = t("yes") if spec.user else t("no")
        lines.append(
            f"| [`{spec.name}`](#{spec.name}) | {kind} | {_md_cell(_default_text(spec, lang))} "
            f"| {spec.merge} | {user} |"
        )
    for spec in key_specs().values():
        lines += [
            "",
            f"### {spec.name}",
            "",
            f"**{spec.title(lang)}**",
            "",
            spec.description(lang),
            "",
            f"- {_type_text(spec, lang)}",
            *(f"- {line}" for line in _usage(spec, lang, "reference")),
            f"- {t('registry_line', where=_registry_where(spec, 'managed'))}"
            f" `{REGISTRY_FORMS[_prop(spec)['type']]}`",
        ]
        other = "en" if lang != "en" else "fr_CA"
        lines += ["", f"> {spec.title(other)} — {spec.description(other)}"]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- files


def render_all() -> dict[str, str]:
    """Every template by its path under the checkout."""
    files = {ADMX: render_admx()}
    files.update({ADML[lang]: render_adml(lang) for lang in LANGS})
    files[MOBILECONFIG] = render_mobileconfig()
    files[JAMF] = render_jamf()
    files[LINUX_MANAGED] = render_linux("managed")
    files[LINUX_RECOMMENDED] = render_linux("recommended")
    files.update({REFERENCE[lang]: render_reference(lang) for lang in LANGS})
    return files


def stale(root: Path) -> list[str]:
    """The templates under ``root`` that are missing or differ from the schema's."""
    out = []
    for path, text in render_all().items():
        target = root / path
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            out.append(path)
    return out


def write(root: Path) -> list[str]:
    """Write every template under ``root``; the paths written."""
    written = []
    for path, text in render_all().items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8", newline="\n")
            written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m groupdesk.policy_templates --write|--check [ROOT]``."""
    parser = argparse.ArgumentParser(
        prog="python -m groupdesk.policy_templates", description=tr("policy.templates.help")
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help=tr("policy.templates.help.write"))
    mode.add_argument("--check", action="store_true", help=tr("policy.templates.help.check"))
    parser.add_argument("root", nargs="?", type=Path, default=Path(), metavar="ROOT")
    args = parser.parse_args(argv)
    if args.write:
        for path in write(args.root):
            print(path)
        return 0
    outdated = stale(args.root)
    for path in outdated:
        print(tr("policy.templates.stale", path=path))
    return 1 if outdated else 0


if __name__ == "__main__":
    sys.exit(main())
