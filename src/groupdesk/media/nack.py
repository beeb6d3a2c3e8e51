"""aiortc's NACK generator, asking again for a packet still missing.

aiortc 1.16's ``NackGenerator`` (``aiortc/rtcrtpreceiver.py``) asks for a missing
packet only when a *new* gap appears: a retransmission that is lost too is asked for
again only with the next loss, by chance. On the impaired test network (100 ms each
way, benchmarks/bench_network.py) holes then outlived the receiver's wait for them and
each one cost a keyframe and a frozen second, where Chromium's receiver, which asks
again every round trip, froze none. :class:`RepeatingNackGenerator` asks again for
each packet still missing once per round trip, as Chromium's ``NackRequester`` does
(a sender answers a packet at most once per round trip: asking sooner is ignored),
until nothing waits for it any more. The round trip and that limit come from
:class:`groupdesk.media.repair.RepairTiming`, which the generator feeds with the time
each repaired packet took, and which the receiver's video buffer shares.

aiortc builds its generator from the module global
``aiortc.rtcrtpreceiver.NackGenerator``; :func:`install` rebinds it once
(``groupdesk.media.jitter.install`` calls it), and ``tests/media/test_nack_repeat.py``
fails if a new aiortc no longer builds it through that name.

aiortc's generator also forgets a missing packet once it is 128 packets
(``aiortc.rtp.RTP_HISTORY_SIZE``) behind the newest (``NackGenerator.truncate``). At
about 100 packets a second, and faster while a keyframe's burst comes, that ended the
repair of a keyframe's hole after one or two tries while the video buffer still waited
for it (:attr:`RepairTiming.keyframe_wait`, six tries): measured on the impaired
network, holes given up that way cost a keyframe each. :class:`RepeatingNackGenerator`
keeps a packet until nothing waits for it (``max_age``), up to :data:`MAX_TRACKED`
packets behind the newest, as Chromium's ``NackRequester`` (1000 packets);
``tests/media/test_nack_window.py`` fails if aiortc stops truncating through
``truncate``.

A try fails when the NACK is lost as well as when its answer is: at 12% loss one in
five tries (1 - 0.88**2), and a repair at the third try (0.7 s on a 0.2 s round trip)
is a freeze whatever the playout delay. Each request is therefore sent twice: once,
and again with the first packet that arrives :data:`ECHO_AFTER` later. A sender
answers a packet at most once per round trip (Chromium's ``RtpPacketHistory``), so
when both NACKs come the second is ignored; when the first is lost the second asks.
That makes a try fail one time in eight at 12% loss (1 - 0.88 * (1 - 0.12**2)), one
in twenty at 5%, and costs one small RTCP packet per request.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import aiortc.rtcrtpreceiver
from aiortc.rtcrtpreceiver import NackGenerator
from aiortc.rtp import RtpPacket

from groupdesk.media.repair import RepairTiming

__all__ = ["ECHO_AFTER", "MAX_TRACKED", "RepeatingNackGenerator", "install"]

ECHO_AFTER = 0.02
"""Seconds after a request before it is sent again once (see the module docstring):
apart, so that a burst of loss does not take both, and well within the round trip in
which a sender ignores a second request for a packet."""

MAX_TRACKED = 1000
"""Packets behind the newest a missing one is still asked for (Chromium's
``kMaxNackPackets``): past it, the oldest are given up, whatever their age."""


class RepeatingNackGenerator(NackGenerator):
    """Marks missing packets like aiortc's, and asks again for each one still missing
    once per round trip (:class:`RepairTiming`), until it is given up.

    After :meth:`add`, ``missing`` holds the packets to ask for *now* (aiortc sends a
    NACK of ``missing`` when :meth:`add` says so): the new holes and those whose last
    request is a round trip old. :attr:`wanted` holds every packet still asked for.
    ``interval`` and ``max_age`` fix the figures :attr:`timing` would derive."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        interval: float | None = None,
        max_age: float | None = None,
        timing: RepairTiming | None = None,
        echo_after: float | None = ECHO_AFTER,
    ) -> None:
        super().__init__()
        self._echo_after = echo_after
        self._clock = clock
        self._interval = interval
        self._max_age = max_age
        self.timing = timing if timing is not None else RepairTiming()
        """Where repair times go and the interval comes from; the receiver's video
        buffer shares it (:func:`groupdesk.media.jitter.install`)."""
        self._asked: dict[int, _Asked] = {}
        self.nacks_sent = 0
        self.echoes = 0
        """Requests sent a second time (:data:`ECHO_AFTER`)."""
        self.asked = 0
        """Packets found missing and asked for."""
        self.recovered = 0
        """Packets asked for that came (a retransmission, or merely late)."""
        self.given_up = 0
        """Packets no longer asked for: missing for longer than the longest wait."""
        self.recovery_times: list[float] = []
        """Seconds from each recovered packet first asked for to its arrival."""

    def truncate(self) -> None:
        """Forget the missing packets more than :data:`MAX_TRACKED` behind the newest
        (aiortc's, which :meth:`add` calls, forgets them 128 behind): how long a packet
        is asked for is :meth:`add`'s decision, from its age."""
        if self.max_seq is None:
            return
        self.missing = {n for n in self.missing if (self.max_seq - n) % 65536 <= MAX_TRACKED}

    @property
    def wanted(self) -> set[int]:
        """The sequence numbers still asked for."""
        return set(self._asked)

    def add(self, packet: RtpPacket) -> bool:
        """Mark ``packet`` received; whether to send a NACK (of ``missing``) now."""
        now = self._clock()
        self.missing = set(self._asked)
        super().add(packet)  # new holes in, this packet out, the oldest truncated
        asked = self._asked.pop(packet.sequence_number, None)
        if asked is not None:
            self.recovered += 1
            self.recovery_times.append(now - asked.first)
            self.timing.repaired(now - asked.first)
        for number in [n for n in self._asked if n not in self.missing]:
            del self._asked[number]  # truncated: too far behind the newest
            self.given_up += 1
        interval = self._interval if self._interval is not None else self.timing.nack_interval
        max_age = self._max_age if self._max_age is not None else self.timing.give_up_after
        due: set[int] = set()
        echo_after = self._echo_after
        for number in self.missing:
            asked = self._asked.get(number)
            if asked is None:
                self._asked[number] = _Asked(first=now, last=now, echo=echo_after is not None)
                self.asked += 1
                due.add(number)
            elif now - asked.first > max_age:
                del self._asked[number]
                self.given_up += 1
            elif now - asked.last >= interval:
                asked.last, asked.echo = now, echo_after is not None
                due.add(number)
            elif asked.echo and echo_after is not None and now - asked.last >= echo_after:
                asked.echo = False
                self.echoes += 1
                due.add(number)
        self.missing = due
        if due:
            self.nacks_sent += 1
        return bool(due)


@dataclass
class _Asked:
    first: float
    last: float
    echo: bool
    """The last request is to be sent once more."""


def install() -> None:
    """Make aiortc's video receivers build :class:`RepeatingNackGenerator` (idempotent)."""
    aiortc.rtcrtpreceiver.NackGenerator = RepeatingNackGenerator  # type: ignore[misc]
