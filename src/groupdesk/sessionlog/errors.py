"""What can go wrong with the session log, each with its own stable code and message."""

from __future__ import annotations

from groupdesk.core.errors import GroupDeskError

# The class names below are the public API the UI codes against; they read as
# conditions ("WrongKey", "SchemaTooNew") rather than "...Error".


class SessionLogError(GroupDeskError):
    """Base of every session-log error."""

    key = "sessionlog.error"


class PassphraseRequired(SessionLogError):  # noqa: N818 -- names agreed with the UI
    """No usable keyring and no passphrase given (nor GROUPDESK_PASSPHRASE)."""

    key = "sessionlog.passphrase_required"


class WrongPassphrase(SessionLogError):  # noqa: N818 -- names agreed with the UI
    """The passphrase does not unwrap the key."""

    key = "sessionlog.wrong_passphrase"


class KeyNotFound(SessionLogError):  # noqa: N818 -- names agreed with the UI
    """The keyring has no key for this log, or keystore.json is missing."""

    key = "sessionlog.key_not_found"


class KeystoreDamaged(KeyNotFound):
    """keystore.json is there but damaged: each fault has its own ``sessionlog.keystore.*`` code.

    A kind of KeyNotFound: the key cannot be found from it, and the recovery key helps.
    """

    key = "sessionlog.keystore.damaged"


class KeyringBackendChanged(SessionLogError):  # noqa: N818 -- names agreed with the UI
    """The key was stored in another keyring than the one in use now."""

    key = "sessionlog.keyring_backend_changed"


class InvalidRecoveryKey(SessionLogError):  # noqa: N818 -- names agreed with the UI
    """The recovery key is mistyped (bad characters, length or checksum)."""

    key = "sessionlog.invalid_recovery_key"


class WrongKey(SessionLogError):  # noqa: N818 -- names agreed with the UI
    """The key does not decrypt this database."""

    key = "sessionlog.wrong_key"


class ForeignLog(WrongKey):
    """The database and keystore.json belong to different installations (or keys).

    Told apart from a damaged first page by the database's salt recorded in keystore.json.
    """

    key = "sessionlog.foreign_log"


class DatabaseDamaged(SessionLogError):  # noqa: N818 -- names agreed with the UI
    """The file is damaged: a page fails its HMAC, it is truncated, or quick_check fails."""

    key = "sessionlog.damaged"


class SchemaTooNew(SessionLogError):  # noqa: N818 -- names agreed with the UI
    """The database was written by a newer GroupDesk."""

    key = "sessionlog.schema_too_new"


class NoLogYet(SessionLogError):  # noqa: N818 -- names agreed with the UI
    """There is no session log in this folder yet."""

    key = "sessionlog.no_log_yet"


class LogAlreadyExists(SessionLogError):  # noqa: N818 -- names agreed with the UI
    """Refusing to create a new key where a log or key already exists."""

    key = "sessionlog.already_exists"


class NotFound(SessionLogError):  # noqa: N818 -- names agreed with the UI
    """A group, member, session or note with this id does not exist."""

    key = "sessionlog.not_found"


class BackupFailed(SessionLogError):  # noqa: N818 -- names agreed with the UI
    """A backup or restore could not be done; nothing was replaced."""

    key = "sessionlog.backup_failed"


class NoteSigned(SessionLogError):  # noqa: N818 -- named like the other conditions
    """The note is signed: its text is fixed; what comes after is an addendum."""

    key = "sessionlog.note_signed"


class NoteNotSigned(SessionLogError):  # noqa: N818 -- named like the other conditions
    """An addendum is for a signed note; an unsigned one is simply edited."""

    key = "sessionlog.note_not_signed"


class NotIndividual(SessionLogError):  # noqa: N818 -- named like the other conditions
    """A one-to-one session is with exactly one member of the group."""

    key = "sessionlog.individual_one_member"


class LogLocked(SessionLogError):  # noqa: N818 -- names agreed with the UI
    """The log was closed (locked, or the app is quitting): unlock it to use it again."""

    key = "sessionlog.locked"
