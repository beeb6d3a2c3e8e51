"""Organisation policy: one schema, four sources, one effective value per key.

Precedence per key, highest first (DESIGN.md "Policy", the Chrome/Firefox model):

1. **managed** -- ``<root>/managed/*.json``, applied in name order (a later file
   overrides an earlier one); on Windows ``HKLM\\SOFTWARE\\Policies\\GroupDesk``, on macOS
   the forced managed preferences (:mod:`groupdesk.core.policy_sources`);
2. **user** -- ``settings.json`` in the user's config folder, only for keys whose
   schema entry says ``"x-user": true``, that managed policy does not lock, and
   within managed ceilings;
3. **recommended** -- ``<root>/recommended/*.json``, in name order; on Windows the
   ``Recommended`` subkey, on macOS the forced ``Recommended`` dictionary;
4. **default** -- the ``default`` of each key in ``resources/policy.schema.json``.

How a key merges is its ``x-merge``: ``value`` and ``list-replace`` (the highest
source wins; a managed value locks the key), ``ceiling`` (a managed value is the
maximum; below it the user, recommended or default value applies) and
``list-append`` (managed, user, recommended and default items, in that order).

Decisions, each made so that nothing is silently ignored and a mistake never
loosens the organisation's policy:

* A managed or recommended file, or its folder, that group or others can write,
  or that root does not own (POSIX), is reported and **not applied at all**:
  anyone could have written it. When the policy root is not the system default
  (``GROUPDESK_POLICY_ROOT`` or a ``root`` argument, i.e. tests and packaging
  checks), files owned by the current user are trusted too: whoever chose the
  root already chose the policy.
* A file that cannot be read or parsed, or is not a JSON object, is reported
  and not applied. Non-``.json`` entries in a policy folder are reported.
* Within a parsed file, each key stands alone: an unknown key or an invalid
  value is reported and skipped, the file's other keys still apply (a template
  for a newer version must not void the whole policy on older installs). A
  managed key whose value is invalid still **locks** the key (fail closed): the
  user cannot use an administrator's typo to escape it.
* Only managed values are ceilings. Recommended values are defaults the user may
  change either way; a recommended value above a managed ceiling is clamped and
  reported.
* In ``list-append`` keys an item whose ``id`` is already listed, or that equals
  one already listed, is dropped: an administrator replaces a built-in crisis
  resource by reusing its id.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from groupdesk.core.i18n import tr
from groupdesk.core.policy_files import (
    ENV_POLICY_ROOT,
    PROBLEM_CODES,
    SOURCE_KINDS,
    Layer,
    PolicyProblem,
    SourceRef,
    default_policy_root,
    default_user_file,
    read_layer,
    read_object,
    write_json_atomically,
)
from groupdesk.core.policy_schema import (
    MERGE_KINDS,
    KeySpec,
    PolicyError,
    key_spec,
    key_specs,
    normalised,
    schema,
    schema_version,
    validation_detail,
)
from groupdesk.core.policy_sources import PolicyReader, default_readers

__all__ = [
    "ENV_POLICY_ROOT",
    "MERGE_KINDS",
    "PROBLEM_CODES",
    "SOURCE_KINDS",
    "EffectivePolicy",
    "KeySpec",
    "PolicyError",
    "PolicyProblem",
    "Setting",
    "SourceRef",
    "clear_user_setting",
    "default_policy_root",
    "default_user_file",
    "effective_policy_json",
    "format_effective_policy",
    "key_spec",
    "key_specs",
    "load_effective_policy",
    "save_user_setting",
    "schema",
    "schema_version",
]

_DEFAULT = SourceRef("default")
_USER = SourceRef("user")


@dataclass(frozen=True)
class Setting:
    """The effective value of one key and where it came from."""

    key: str
    value: Any = field(hash=False)
    sources: tuple[SourceRef, ...]
    overridden: tuple[SourceRef, ...] = ()
    locked: bool = False
    ceiling: int | None = None
    user_settable: bool = False

    @property
    def managed(self) -> bool:
        """True when the organisation's managed policy decides or bounds this value."""
        return (
            self.locked
            or self.ceiling is not None
            or any(s.kind == "managed" for s in self.sources)
        )


@dataclass(frozen=True)
class EffectivePolicy:
    """The merged policy: one Setting per schema key, plus every problem met on the way."""

    settings: Mapping[str, Setting] = field(hash=False)
    problems: tuple[PolicyProblem, ...]
    root: Path | None
    """The policy folder read (None on Windows and macOS, which read no folder)."""
    user_file: Path
    sources: tuple[str, ...] = ()
    """Every administrator source read, folder or not (``HKLM\\SOFTWARE\\...``)."""

    def setting(self, key: str) -> Setting:
        """The full record of ``key``; PolicyError for an unknown key."""
        key_spec(key)
        return self.settings[key]

    def value(self, key: str) -> Any:
        """The effective value of ``key`` (a copy: callers may not change the policy)."""
        return copy.deepcopy(self.setting(key).value)

    def source(self, key: str) -> str:
        """Where the value came from: ``managed: <file>``, ``user``, ``recommended: <file>``,
        ``default``, joined by `` + `` for appended lists; ``(overrides ...)`` names the
        files of the same level that lost."""
        setting = self.setting(key)
        text = " + ".join(str(s) for s in setting.sources)
        if setting.overridden:
            text += " (overrides " + ", ".join(str(s.file) for s in setting.overridden) + ")"
        return text

    def locked(self, key: str) -> bool:
        """True when managed policy fixes the value (the user cannot change it)."""
        return self.setting(key).locked

    def ceiling(self, key: str) -> int | None:
        """The managed maximum of a ``ceiling`` key, or None."""
        return self.setting(key).ceiling

    def user_settable(self, key: str) -> bool:
        """True when the user may set ``key`` now (within ``ceiling(key)`` if any)."""
        return self.setting(key).user_settable

    def as_dict(self) -> dict[str, Any]:
        """Every effective value by key (copies)."""
        return {key: copy.deepcopy(s.value) for key, s in self.settings.items()}


# --------------------------------------------------------------------------- merging


def _winner(layers: list[Layer], key: str) -> tuple[Layer, tuple[SourceRef, ...]] | None:
    """The last layer that sets ``key`` and the earlier ones it overrides."""
    setting = [layer for layer in layers if key in layer.values]
    if not setting:
        return None
    return setting[-1], tuple(layer.ref for layer in setting[:-1])


def _append_unique(items: list[Any], new: list[Any]) -> bool:
    """Append the items of ``new`` not already in ``items`` (by ``id``, else by value)."""
    ids = {item.get("id") for item in items if isinstance(item, dict)} - {None}
    added = False
    for item in new:
        item_id = item.get("id") if isinstance(item, dict) else None
        if (item_id is not None and item_id in ids) or item in items:
            continue
        items.append(item)
        if item_id is not None:
            ids.add(item_id)
        added = True
    return added


def _accepted_user(
    spec: KeySpec, user: Layer | None, locks: bool, problems: list[PolicyProblem]
) -> list[Layer]:
    """The user's layer if its value for ``spec`` may apply (else the reason is reported)."""
    if user is None or spec.name not in user.values:
        return []
    if not spec.user:
        problems.append(PolicyProblem(user.file, spec.name, "user_key_admin_only"))
        return []
    if locks:
        problems.append(PolicyProblem(user.file, spec.name, "user_key_locked"))
        return []
    return [user]


def _appended(spec: KeySpec, layers: list[Layer], settable: bool) -> Setting:
    """A list-append key: every layer's items in order, then the defaults."""
    items: list[Any] = []
    sources: list[SourceRef] = []
    for layer in layers:
        if spec.name in layer.values and _append_unique(items, layer.values[spec.name]):
            sources.append(layer.ref)
    if _append_unique(items, copy.deepcopy(spec.default)) or not sources:
        sources.append(_DEFAULT)
    return Setting(spec.name, items, tuple(sources), user_settable=settable)


def _merge_key(
    spec: KeySpec,
    managed: list[Layer],
    user: Layer | None,
    recommended: list[Layer],
    problems: list[PolicyProblem],
) -> Setting:
    """The effective Setting of one key from the layers of every level."""
    key = spec.name
    top = _winner(managed, key)
    # fail closed: a managed key with a bad value still locks (list-append never locks)
    rejected = top is None and any(key in layer.rejected for layer in managed)
    locks = spec.merge in ("value", "list-replace") and top is not None
    locks = locks or (spec.merge != "list-append" and rejected)
    users = _accepted_user(spec, user, locks, problems)
    settable = spec.user and not locks

    if spec.merge == "list-append":
        return _appended(spec, [*managed, *users, *recommended], settable)
    if top is not None and spec.merge != "ceiling":
        return Setting(key, top[0].values[key], (top[0].ref,), top[1], locked=True)

    # below managed: the user, then recommended, then the default
    below = _winner(users, key) or _winner(recommended, key)
    if below is not None:
        value, ref, overridden = below[0].values[key], below[0].ref, below[1]
    else:
        value, ref, overridden = copy.deepcopy(spec.default), _DEFAULT, ()
    if spec.merge != "ceiling" or top is None:
        return Setting(key, value, (ref,), overridden, locked=locks, user_settable=settable)

    ceiling = int(top[0].values[key])
    if value > ceiling:
        if below is not None:  # the default is no one's mistake
            params = {"value": value, "ceiling": ceiling}
            problems.append(PolicyProblem(below[0].file, key, f"{ref.kind}_above_ceiling", params))
        value, ref, overridden = ceiling, top[0].ref, top[1]
    return Setting(key, value, (ref,), overridden, ceiling=ceiling, user_settable=settable)


def load_effective_policy(
    root: Path | None = None,
    user_file: Path | None = None,
    *,
    readers: Sequence[PolicyReader] | None = None,
) -> EffectivePolicy:
    """Read managed, user and recommended settings and merge them over the defaults.

    ``readers`` default to this OS's sources (:func:`policy_sources.default_readers`:
    the folder ``root``, else ``/etc/groupdesk/policies`` on Linux, the registry on
    Windows, managed preferences on macOS); a later reader's layers override an earlier
    one's. ``user_file`` defaults to :func:`default_user_file`. Never raises for a bad
    file or value: problems are in ``.problems``.
    """
    problems: list[PolicyProblem] = []
    if readers is None:
        readers, root = default_readers(root, problems)
    user_file = default_user_file() if user_file is None else user_file

    managed: list[Layer] = []
    recommended: list[Layer] = []
    for reader in readers:
        layers = reader.read(problems)
        managed.extend(layers.managed)
        recommended.extend(layers.recommended)
    user = read_layer(user_file, _USER, problems) if user_file.exists() else None

    settings = {
        name: _merge_key(spec, managed, user, recommended, problems)
        for name, spec in key_specs().items()
    }
    names = tuple(reader.name for reader in readers)
    return EffectivePolicy(settings, tuple(problems), root, user_file, names)


# --------------------------------------------------------------------------- user settings


def _user_data_for_update(user_file: Path) -> dict[str, Any]:
    """The user's settings as stored, refusing to overwrite a file we cannot read."""
    if not user_file.exists():
        return {}
    problems: list[PolicyProblem] = []
    data = read_object(user_file, problems)
    if data is None or problems:
        reason = problems[0].reason() if problems else ""
        raise PolicyError("policy.error.user_file_broken", file=user_file, reason=reason)
    return data


def _write_user_data(user_file: Path, data: dict[str, Any]) -> None:
    try:
        write_json_atomically(user_file, data)
    except OSError as error:
        raise PolicyError(
            "policy.error.write_failed", file=user_file, detail=error.strerror
        ) from error


def save_user_setting(
    key: str, value: Any, user_file: Path | None = None, root: Path | None = None
) -> EffectivePolicy:
    """Store the user's own ``value`` for ``key`` and return the new effective policy.

    PolicyError if the key is unknown, admin-only or locked by managed policy, if
    the value is invalid or above the managed ceiling, or if the settings file
    cannot be read back or written.
    """
    spec = key_spec(key)
    if not spec.user:
        raise PolicyError("policy.error.admin_only", key=key)
    user_file = default_user_file() if user_file is None else user_file
    effective = load_effective_policy(root, user_file)
    if effective.locked(key):
        raise PolicyError("policy.error.locked", key=key, source=effective.source(key))
    detail = validation_detail(key, value)
    if detail is not None:
        raise PolicyError("policy.error.invalid", key=key, detail=detail)
    value = normalised(value)
    ceiling = effective.ceiling(key)
    if ceiling is not None and value > ceiling:
        raise PolicyError("policy.error.above_ceiling", key=key, ceiling=ceiling)
    data = _user_data_for_update(user_file)
    data[key] = value
    _write_user_data(user_file, data)
    return load_effective_policy(root, user_file)


def clear_user_setting(
    key: str, user_file: Path | None = None, root: Path | None = None
) -> EffectivePolicy:
    """Forget the user's own value for ``key`` (back to recommended or default)."""
    key_spec(key)
    user_file = default_user_file() if user_file is None else user_file
    data = _user_data_for_update(user_file)
    if data.pop(key, None) is not None:
        _write_user_data(user_file, data)
    return load_effective_policy(root, user_file)


# --------------------------------------------------------------------------- printing


def _source_label(setting: Setting, lang: str | None) -> str:
    text = " + ".join(s.label(lang) for s in setting.sources)
    if setting.overridden:
        files = ", ".join(str(s.file) for s in setting.overridden)
        text = tr("policy.source.overrides", lang, source=text, files=files)
    return text


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def format_effective_policy(effective: EffectivePolicy, lang: str | None = None) -> str:
    """The merged policy as text for people: key, value, source; then the problems.

    ``lang`` defaults to the current language.
    """
    lines = [tr("policy.print.title", lang, version=schema_version())]
    if effective.root is not None:
        lines.append(tr("policy.print.root", lang, path=effective.root))
    folder = None if effective.root is None else str(effective.root)
    lines.extend(
        tr("policy.print.source", lang, source=name) for name in effective.sources if name != folder
    )
    lines += [tr("policy.print.user_file", lang, path=effective.user_file), ""]
    width = max(len(key) for key in effective.settings)
    for key, setting in effective.settings.items():
        notes = [_source_label(setting, lang)]
        if setting.locked:
            notes.append(tr("policy.print.locked", lang))
        if setting.ceiling is not None:
            notes.append(tr("policy.print.ceiling", lang, ceiling=setting.ceiling))
        if isinstance(setting.value, list):
            shown = tr("policy.print.items", lang, count=len(setting.value))
        else:
            shown = _json(setting.value)
        lines.append(f"{key:<{width}}  {shown}  [{'; '.join(notes)}]")
        if isinstance(setting.value, list):
            lines.extend(f"{'':<{width}}  - {_json(item)}" for item in setting.value)
    lines.append("")
    if effective.problems:
        lines.append(tr("policy.print.problems", lang, count=len(effective.problems)))
        lines.extend(f"  - {problem.describe(lang)}" for problem in effective.problems)
    else:
        lines.append(tr("policy.print.no_problems", lang))
    return "\n".join(lines)


def effective_policy_json(effective: EffectivePolicy) -> str:
    """The merged policy as JSON for scripts and administrator tooling."""
    document = {
        "schema_version": schema_version(),
        "root": None if effective.root is None else str(effective.root),
        "sources": list(effective.sources),
        "user_file": str(effective.user_file),
        "settings": {
            key: {
                "value": setting.value,
                "source": effective.source(key),
                "locked": setting.locked,
                "ceiling": setting.ceiling,
                "user_settable": setting.user_settable,
            }
            for key, setting in effective.settings.items()
        },
        "problems": [
            {
                "file": None if p.file is None else str(p.file),
                "key": p.key,
                "code": p.code,
                "reason": p.reason(),
            }
            for p in effective.problems
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
