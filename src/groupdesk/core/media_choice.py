"""How a room's media travel, from the organisation's ``media_mode`` and the group size.

A mesh asks every member to upload one stream per other member: at 360p (about
300-600 kbit/s each) a member of a group of 5 already uploads more than the 1 Mbit/s a
limited data plan or a phone can give. So ``auto`` sends a room through the media
server (SFU) when its planned size reaches the policy's ``sfu_from_members``; smaller
groups keep the mesh and its end-to-end encryption. The size is what the facilitator's
app declares when it opens the room (the session's expected members and facilitators);
without one (an older app), ``auto`` keeps the mesh.
"""

from __future__ import annotations

from groupdesk.core.policy_values import MediaMode as PolicyMediaMode
from groupdesk.core.protocol import MediaMode

SFU_FROM_MEMBERS = 5
"""The default of policy ``sfu_from_members``."""


def room_media(mode: PolicyMediaMode, planned: int | None, sfu_from: int) -> MediaMode:
    """The media of a room about to open: ``sfu`` or ``mesh`` (before asking Janus,
    which may still make it a mesh when it cannot serve the room)."""
    if mode == "auto":
        return "sfu" if planned is not None and planned >= sfu_from else "mesh"
    return mode
