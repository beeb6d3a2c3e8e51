"""The user's own interface choices, kept as user settings of the organisation policy.

The policy layer is the one home of user settings (DESIGN.md "Policy"): a
language an administrator locks wins over the Language menu, and the choice
lands in the same ``settings.json`` that ``--print-effective-policy`` reports.
"""

from __future__ import annotations

from pathlib import Path

from groupdesk.core import policy
from groupdesk.core.i18n import LANGUAGES
from groupdesk.core.policy_values import load_policy


class UserSettings:
    """Read and write the interface choices of the person using this computer.

    Paths are resolved on each call, so tests with their own ``XDG_CONFIG_HOME``
    never see each other's choices.
    """

    def __init__(self, user_file: Path | None = None) -> None:
        self.user_file = user_file

    def language(self) -> str | None:
        """The language chosen (by the person, or locked by the organisation), if any."""
        value = load_policy(user_file=self.user_file).language
        return value if value in LANGUAGES else None

    def language_locked(self) -> bool:
        """Whether the organisation has fixed the language."""
        return policy.load_effective_policy(user_file=self.user_file).locked("language")

    def set_language(self, lang: str) -> None:
        """Remember ``lang`` for the next start (raises PolicyError when it is locked)."""
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}")
        policy.save_user_setting("language", lang, user_file=self.user_file)

    def auto_lock_minutes(self) -> int:
        """Minutes without input before the log locks (the person's, within the ceiling)."""
        return load_policy(user_file=self.user_file).auto_lock_minutes

    def auto_lock_ceiling(self) -> int | None:
        """The most minutes the organisation allows, if it set a ceiling."""
        return policy.load_effective_policy(user_file=self.user_file).ceiling("auto_lock_minutes")

    def set_auto_lock_minutes(self, minutes: int) -> None:
        """Remember the person's delay (PolicyError above the organisation's ceiling)."""
        policy.save_user_setting("auto_lock_minutes", minutes, user_file=self.user_file)

    def set_exclude_screen_capture(self, excluded: bool) -> None:
        """Remember whether to hide the window from screen capture (PolicyError when the
        organisation decides it)."""
        policy.save_user_setting("exclude_screen_capture", excluded, user_file=self.user_file)
