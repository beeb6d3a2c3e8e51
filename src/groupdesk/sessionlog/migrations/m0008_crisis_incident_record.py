"""Version 8: the crisis panel's incident record.

A crisis incident keeps who it was about (the member, or a guest by the name they
declared, and their seat), each protocol step as an object -- its id, its text as shown,
when it was ticked, the observation beside it -- the resources used and referred to
(their policy ids) and the outcome. Observations and outcome are personal data: they
live only in this encrypted file; the journal keeps ids and times. The steps of earlier
rows (plain step names) become step objects without a time.
"""

VERSION = 8

STATEMENTS = (
    "ALTER TABLE crisis_incidents ADD COLUMN seat TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE crisis_incidents ADD COLUMN guest_name TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE crisis_incidents ADD COLUMN resources_used TEXT NOT NULL DEFAULT '[]'",
    "ALTER TABLE crisis_incidents ADD COLUMN outcome TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE crisis_incidents ADD COLUMN referral TEXT NOT NULL DEFAULT '[]'",
    """UPDATE crisis_incidents SET steps = (
        SELECT json_group_array(json_object('step', CAST(value AS TEXT)))
        FROM json_each(crisis_incidents.steps)
    )""",
)
