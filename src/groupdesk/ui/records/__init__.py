"""Screens and exports of the records: notes after the session, history, PDF."""
