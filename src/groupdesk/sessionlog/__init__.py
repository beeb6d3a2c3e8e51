"""The encrypted local session log: one SQLCipher database, one writer, no Qt.

The public surface, for the UI and the command line::

    keystore = KeyStore(data_dir)
    key = keystore.create().key if keystore.state() == "new" else keystore.unlock()
    log = await SessionLog.open(data_dir, key)
"""

from groupdesk.sessionlog.asynclog import SessionLog
from groupdesk.sessionlog.backup import RestoreReport, restore_backup
from groupdesk.sessionlog.db import SessionCounts, Store, VerifyReport
from groupdesk.sessionlog.errors import (
    BackupFailed,
    DatabaseDamaged,
    InvalidRecoveryKey,
    KeyNotFound,
    KeyringBackendChanged,
    LogAlreadyExists,
    LogLocked,
    NoLogYet,
    NotFound,
    PassphraseRequired,
    SchemaTooNew,
    SessionLogError,
    WrongKey,
    WrongPassphrase,
)
from groupdesk.sessionlog.keys import KeyStore, NewKey, keyring_available
from groupdesk.sessionlog.migrations import LATEST as SCHEMA_VERSION
from groupdesk.sessionlog.paths import db_path, default_data_dir
from groupdesk.sessionlog.recovery import decode_recovery_key, encode_recovery_key
from groupdesk.sessionlog.retention import DEFAULT_RETENTION_YEARS, PurgePreview, PurgeReport

__all__ = [
    "DEFAULT_RETENTION_YEARS",
    "SCHEMA_VERSION",
    "BackupFailed",
    "DatabaseDamaged",
    "InvalidRecoveryKey",
    "KeyNotFound",
    "KeyStore",
    "KeyringBackendChanged",
    "LogAlreadyExists",
    "LogLocked",
    "NewKey",
    "NoLogYet",
    "NotFound",
    "PassphraseRequired",
    "PurgePreview",
    "PurgeReport",
    "RestoreReport",
    "SchemaTooNew",
    "SessionCounts",
    "SessionLog",
    "SessionLogError",
    "Store",
    "VerifyReport",
    "WrongKey",
    "WrongPassphrase",
    "db_path",
    "decode_recovery_key",
    "default_data_dir",
    "encode_recovery_key",
    "keyring_available",
    "restore_backup",
]
