"""Version 6: members' consents to the remote modality.

Each row is one consent: to which version of the organisation's text
(``remote_consent``), when it was given and how (on the page, in person, by
phone). Rows are only added: a new version of the text means a new consent, and
the history says who agreed to what. ``members.consent`` stays the member's
status; recording a consent sets it to ``given``.
"""

VERSION = 6

STATEMENTS = (
    """CREATE TABLE consents (
        id INTEGER PRIMARY KEY,
        member_id INTEGER NOT NULL REFERENCES members(id),
        version TEXT NOT NULL CHECK (length(trim(version)) > 0),
        given_at TEXT NOT NULL,
        method TEXT NOT NULL CHECK (method IN ('page', 'in_person', 'phone')),
        recorded_at TEXT NOT NULL
    )""",
    "CREATE INDEX consents_member ON consents(member_id, given_at)",
)
