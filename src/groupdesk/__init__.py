"""GroupDesk: remote group sessions for practitioners and the people they serve."""

__version__ = "0.1.0"
