"""Access to the session log: locking it when the person steps away, and unlocking it."""
