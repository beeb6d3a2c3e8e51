"""The encrypted local session log: one SQLCipher database, one writer, no Qt."""
