"""What is kept about a group's life, read for people: the facts of a session, note
templates, attendance over time, and documents to export. Pure: no Qt, no sqlite, no files."""
