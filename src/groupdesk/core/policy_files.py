"""Reading policy and settings files: trust checks, JSON parsing, per-key validation.

Every problem met here becomes a :class:`PolicyProblem` (file, key, reason);
nothing raises and nothing is dropped without one.
"""

from __future__ import annotations

import difflib
import json
import os
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import platformdirs

from groupdesk.core.i18n import tr
from groupdesk.core.policy_schema import key_specs, normalised, schema_version, validation_detail

ENV_POLICY_ROOT = "GROUPDESK_POLICY_ROOT"
SYSTEM_POLICY_ROOT = Path("/etc/groupdesk/policies")
USER_SETTINGS_NAME = "settings.json"
SOURCE_KINDS = ("managed", "user", "recommended", "default")
PROBLEM_CODES = frozenset(
    {
        "unreadable",
        "root_override_ignored",
        "not_utf8",
        "malformed_json",
        "not_an_object",
        "duplicate_key",
        "duplicate_name",
        "unknown_key",
        "unknown_key_suggestion",
        "invalid_value",
        "not_a_folder",
        "ignored_entry",
        "insecure_permissions",
        "not_owned_by_root",
        "user_key_admin_only",
        "user_key_locked",
        "user_above_ceiling",
        "recommended_above_ceiling",
        # the Windows registry and macOS managed preferences (policy_sources.py)
        "wrong_registry_type",
        "registry_writable",
        "malformed_json_value",
        "ignored_value",
        "not_forced",
        "wrong_preference_type",
        "folder_not_read",
        "no_system_source",
    }
)


@dataclass(frozen=True)
class PolicyProblem:
    """Something wrong in a policy or settings file: where, which key, and why."""

    file: PurePath | None
    """A file, a folder, a registry key (``HKLM\\SOFTWARE\\Policies\\GroupDesk``) or a
    managed preferences domain: where an administrator looks to fix it."""
    key: str | None
    code: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.code not in PROBLEM_CODES:
            raise ValueError(f"unknown policy problem code {self.code!r}")

    def reason(self, lang: str | None = None) -> str:
        """Why, in ``lang`` (default: the current language)."""
        return tr(f"policy.problem.{self.code}", lang, **self.params)

    def describe(self, lang: str | None = None) -> str:
        """File, key and reason on one line."""
        reason = self.reason(lang)
        if self.key is not None:
            return tr("policy.where.file_key", lang, file=self.file, key=self.key, reason=reason)
        return tr("policy.where.file", lang, file=self.file, reason=reason)


@dataclass(frozen=True)
class SourceRef:
    """One source of a value: its kind and, for administrator files, the file."""

    kind: str
    file: PurePath | None = None

    def __post_init__(self) -> None:
        if self.kind not in SOURCE_KINDS:
            raise ValueError(f"unknown policy source {self.kind!r}")

    def __str__(self) -> str:
        return f"{self.kind}: {self.file}" if self.file is not None else self.kind

    def label(self, lang: str | None = None) -> str:
        """The source as a person reads it, in ``lang``."""
        return tr(f"policy.source.{self.kind}", lang, file=self.file)


# --------------------------------------------------------------------------- locations


def system_policy_is_deployed() -> bool:
    """Whether an administrator has deployed a managed policy on this machine."""
    try:
        return any((SYSTEM_POLICY_ROOT / "managed").glob("*.json"))
    except OSError:
        return True  # a folder we cannot list may well hold a policy: do not let it be bypassed


def root_override() -> Path | None:
    """``$GROUPDESK_POLICY_ROOT`` when it may apply: only on a machine without a managed
    policy, so that an ordinary user cannot escape the organisation's policy with a
    variable (tests and packaging use it on machines with none)."""
    env = os.environ.get(ENV_POLICY_ROOT)
    if not env or system_policy_is_deployed():
        return None
    return Path(env)


def default_policy_root() -> Path:
    """``$GROUPDESK_POLICY_ROOT`` if set and allowed, else ``/etc/groupdesk/policies``."""
    return root_override() or SYSTEM_POLICY_ROOT


def default_user_file() -> Path:
    """``settings.json`` in the per-user config folder (XDG on Linux)."""
    return platformdirs.user_config_path("GroupDesk", appauthor=False) / USER_SETTINGS_NAME


# --------------------------------------------------------------------------- reading


@dataclass
class Layer:
    """The valid keys of one file, and the keys it tried to set but could not."""

    ref: SourceRef
    file: PurePath
    values: dict[str, Any] = field(default_factory=dict)
    rejected: set[str] = field(default_factory=set)


def trusted_owners(root: Path | None) -> frozenset[int]:
    """Who may own policy files: root; also the current user when the root is not the
    system one (an argument or ``GROUPDESK_POLICY_ROOT``), since whoever chose that
    root already chose the policy."""
    if (root is not None or root_override() is not None) and hasattr(os, "geteuid"):
        return frozenset({0, os.geteuid()})
    return frozenset({0})


def trusted(path: Path, trusted_uids: frozenset[int], problems: list[PolicyProblem]) -> bool:
    """A policy file or folder nobody but its administrator could have written (POSIX)."""
    if os.name != "posix":
        # Windows reads no policy folder (policy_sources.default_readers): only a root
        # chosen by the caller or GROUPDESK_POLICY_ROOT, refused whenever the registry
        # holds a policy, gets here; whoever chose it chose the policy
        return True
    try:
        st = path.stat()
    except OSError as error:
        problems.append(PolicyProblem(path, None, "unreadable", {"detail": error.strerror}))
        return False
    ok = True
    if st.st_mode & 0o022:
        mode = stat.filemode(st.st_mode)
        problems.append(PolicyProblem(path, None, "insecure_permissions", {"mode": mode}))
        ok = False
    if st.st_uid not in trusted_uids:
        problems.append(PolicyProblem(path, None, "not_owned_by_root", {"owner": st.st_uid}))
        ok = False
    return ok


def read_object(path: Path, problems: list[PolicyProblem]) -> dict[str, Any] | None:
    """The JSON object in ``path``, or None after reporting why not."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.append(PolicyProblem(path, None, "unreadable", {"detail": error.strerror}))
        return None
    try:
        text = raw.decode("utf-8-sig")  # Notepad writes a BOM
    except UnicodeDecodeError:
        problems.append(PolicyProblem(path, None, "not_utf8"))
        return None
    duplicates: list[list[str]] = []  # one list per object; the outermost object comes last

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        duplicates.append([])
        for name, value in items:
            if name in seen:
                duplicates[-1].append(name)
            seen[name] = value
        return seen

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as error:
        params = {"line": error.lineno, "column": error.colno, "detail": error.msg}
        problems.append(PolicyProblem(path, None, "malformed_json", params))
        return None
    if not isinstance(data, dict):
        problems.append(PolicyProblem(path, None, "not_an_object"))
        return None
    # a repeated top-level key is ambiguous: report it and apply neither value
    for name in sorted(set(duplicates[-1])):
        problems.append(PolicyProblem(path, name, "duplicate_key", {"name": name}))
        del data[name]
    for name in sorted({name for names in duplicates[:-1] for name in names}):
        problems.append(PolicyProblem(path, None, "duplicate_name", {"name": name}))
    return data


def read_layer(path: Path, ref: SourceRef, problems: list[PolicyProblem]) -> Layer | None:
    """The valid keys of one file; everything else is reported."""
    data = read_object(path, problems)
    if data is None:
        return None
    return layer_of(data, ref, path, problems)


def layer_of(
    data: Mapping[str, Any], ref: SourceRef, path: PurePath, problems: list[PolicyProblem]
) -> Layer:
    """The valid keys of one object of policy keys (a file's, a registry key's, a managed
    preferences domain's); unknown keys and invalid values are reported."""
    layer = Layer(ref, path)
    for key, value in data.items():
        if key not in key_specs():
            version = schema_version()
            close = difflib.get_close_matches(key, list(key_specs()), n=1)
            if close:
                params = {"suggestion": close[0]}
                problems.append(PolicyProblem(path, key, "unknown_key_suggestion", params))
            else:
                problems.append(PolicyProblem(path, key, "unknown_key", {"version": version}))
            continue
        detail = validation_detail(key, value)
        if detail is not None:
            problems.append(PolicyProblem(path, key, "invalid_value", {"detail": detail}))
            layer.rejected.add(key)
            continue
        layer.values[key] = normalised(value)
    return layer


def usable_folder(
    folder: Path, trusted_uids: frozenset[int], problems: list[PolicyProblem]
) -> bool:
    """True for a trusted folder; False, silently, when it does not exist (no policy);
    False with a problem when it is not a folder, cannot be examined or is untrusted."""
    try:
        st = folder.stat()
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as error:
        problems.append(PolicyProblem(folder, None, "unreadable", {"detail": error.strerror}))
        return False
    if not stat.S_ISDIR(st.st_mode):
        problems.append(PolicyProblem(folder, None, "not_a_folder"))
        return False
    return trusted(folder, trusted_uids, problems)


def read_folder(
    root: Path, kind: str, trusted_uids: frozenset[int], problems: list[PolicyProblem]
) -> list[Layer]:
    """The layers of ``<root>/<kind>/*.json`` in name order (a missing folder is no policy)."""
    folder = root / kind
    if not usable_folder(folder, trusted_uids, problems):
        return []
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as error:  # e.g. a folder only root may list
        problems.append(PolicyProblem(folder, None, "unreadable", {"detail": error.strerror}))
        return []
    layers = []
    for entry in entries:
        if entry.suffix != ".json" or not entry.is_file():
            problems.append(PolicyProblem(entry, None, "ignored_entry"))
            continue
        if not trusted(entry, trusted_uids, problems):
            continue
        layer = read_layer(entry, SourceRef(kind, entry), problems)
        if layer is not None:
            layers.append(layer)
    return layers


def write_json_atomically(path: Path, data: Mapping[str, Any]) -> None:
    """Write ``data`` as JSON: a crash leaves the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=2, sort_keys=True)
            out.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
