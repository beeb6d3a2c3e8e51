"""Video frame assembly that never waits on a lost packet, and asks for a keyframe at once.

aiortc 1.16's ``JitterBuffer`` waits on a missing packet until its 512 slots overflow,
and only then sends a picture-loss indication (PLI): a browser's video froze for
35-70 s after one lost packet (aiortc issues #58 and #335). :class:`FrameRecovery`
decides instead, packet by packet, with an injected clock and no sockets:

- A frame is complete when its packets, from its first to its marked last one, are
  all in (RFC 7741: the marker bit ends a VP8 frame). It goes to the decoder at once.
- A hole is a loss once a *later* frame is complete and the hole has held that later
  frame back for the wait of a retransmission: one that has not come back by then is
  not waited for. The frames before that later frame are dropped. Packets merely out
  of order, or retransmitted in time, are no loss. The wait is 0 (none) unless given:
  ``retransmit_wait`` (and ``keyframe_wait`` for a keyframe) fix it, ``timing`` derives
  it from the round trip of the repairs (:class:`groupdesk.media.repair.RepairTiming`,
  which :class:`groupdesk.media.jitter.MarkerJitterBuffer` gives). A keyframe waits
  longer than an inter frame: without it nothing decodes, and another one is a round
  trip and a large frame away. Measured on an impaired network
  (benchmarks/bench_network.py, 100 ms each way): skipping at once turned each lost
  packet into a keyframe request, and at 5% loss a browser's video froze 4.7 s in 20 s
  where Chromium's receiver, which waits for retransmissions, froze 0 s; a fixed
  500 ms wait left 20 of 95 repairs too late at 12% loss (6.5 s frozen, Chromium 1.2 s).
- With ``playout`` (the receivers' buffer), decodable frames are held until their
  media time, on the earliest transit of the recent frames, plus a playout delay that
  adapts to the repairs, as Chromium's jitter buffer does. For each hole filled, the
  repaired frame's *lateness* (from when it was expected to when it was complete) is
  measured; the delay is what the recent ones needed (a high percentile over
  :data:`DELAY_WINDOW`, the slowest one spared) beyond :data:`TOLERATED_LATENESS` --
  a repair that late shows as a gap shorter than a freeze -- capped at a repair's
  round trip. Repairs at the first try (a round trip, 0.2 s here) need none, so light
  loss costs no latency; repairs at the second try (0.47 s) raise it (0.17 s), so the
  next ones show as short gaps, not freezes; it falls at :data:`DELAY_DECAY` once
  the repairs no longer need it (frames shown slightly sooner, none skipped). Video
  held longer than its sound breaks lip sync, which people reading faces need.
  Measured (bench_network, 100 ms each way): without a delay, 12% loss froze 6.0 s in
  gaps of 0.5-0.9 s with 3 losses only (5%: 1.7 s); a fixed delay of a round trip
  while holes appeared brought that to 3.5 s (5%: 0.6 s), but cost 2% loss a p95
  latency of 588 ms (Chromium 384 ms) where every repair came at the first try;
  adapted, 322 ms (Chromium 414 ms; 0% loss: 140 ms, Chromium 282 ms), 0 s frozen.
  Still, the first repair at the second try after a quiet spell froze the picture
  0.5-0.6 s (one at 2% and one at 5% loss in most 20 s runs, where Chromium froze
  none): while the link loses packets (:data:`LOSSY_REPAIRS` repairs in the window)
  the delay is at least what a repair at the second try needs (0.16 s on a 0.2 s
  round trip), as Chromium's adds a round trip once it has sent NACKs.
  A keyframe that ends a freeze goes out at once. Frames go out when a packet arrives
  (aiortc gives the buffer no timer): a held frame waits for the next packet.
- A hole that outlives its wait is not given up at once: a keyframe is asked for
  (PLI) and the frames stay held while the hole's packet is still asked for
  (:attr:`RepairTiming.give_up_after`); whichever comes first ends the freeze: the
  repair (the held frames go out, none is lost) or the keyframe (shown at once, the
  frames before it dropped). Measured (bench_network, 12% loss): 8-10 repairs in
  20 s came just after the wait and were thrown away, each picture frozen until the
  keyframe, itself a round trip and a large lossy frame away. A complete keyframe
  after a hole always ends the wait for it, with no further request.
- After a loss only a keyframe can be decoded (a VP8 inter frame after a missing one
  decodes to garbage or fails), so inter frames are dropped until a keyframe arrives,
  and a keyframe is requested (PLI) at once.
- Requests are rate-limited to one per ``pli_interval`` (500 ms): a keyframe answers a
  PLI after one round trip plus an encode (well under 500 ms on the links we serve),
  and each one costs several inter frames' worth of bitrate, so a burst of losses
  asking more often would only congest the link the losses came from.
- While packets arrive but nothing is decoded for ``stall`` (1 s) -- the keyframe
  or the PLI was lost too -- the request is repeated.

Sequence numbers are unwrapped to 64-bit counts, so 65535 -> 0 is the next packet.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from groupdesk.media.repair import MARGIN as REPAIR_MARGIN
from groupdesk.media.repair import RepairTiming

__all__ = ["Frame", "FrameRecovery", "Outcome", "Packet"]

PLI_INTERVAL = 0.5
"""Seconds: at most one keyframe request per interval (see the module docstring)."""

STALL = 1.0
"""Seconds without a decoded frame, packets still arriving, before asking again."""

TOLERATED_LATENESS = 0.3
"""Seconds a repaired frame may come after it was expected with no playout delay: the
gap it leaves, a frame interval (67 ms at 15 fps) longer, stays under the 0.5 s that
is a freeze, with room for the packet that lets it out."""

DELAY_WINDOW = 10.0
"""Seconds of recent repairs the playout delay is set from."""

DELAY_PERCENTILE = 0.95
"""The share of the recent repairs the playout delay covers, the slowest one always
spared: one repair at the second try in 10 s shows as one short freeze, which costs
less than holding every frame; two or more (5% loss: one repair in ten) set the delay.
The 5% spared at 12% loss are the third and later tries, which no delay under a round
trip would save."""

DELAY_DECAY = 0.1
"""Seconds of playout delay shed per second once the repairs no longer need it
(Chromium's jitter buffer changes its delay by at most 100 ms per second)."""

LOSSY_REPAIRS = 3
"""Repairs within :data:`DELAY_WINDOW` from which the link counts as losing packets,
and frames are held as long as a repair at the second try needs to show as no freeze
(Chromium's jitter buffer adds a round trip to its delay after 3 NACKs,
``kNackLimit``): one such repair, alone in a quiet window, otherwise froze the picture
0.5-0.6 s each time (bench_network, 2% and 5% loss)."""

TRANSIT_WINDOW = 3.0
"""Seconds of recent frames whose earliest transit sets when a frame is expected."""


@dataclass(frozen=True)
class Packet:
    """What the assembly needs of one depayloaded RTP packet."""

    sequence_number: int
    timestamp: int
    marker: bool
    frame_start: bool
    """The payload says it begins a frame (VP8: S bit set, partition 0)."""
    keyframe: bool
    """It begins a keyframe (VP8: frame start and the P bit of the frame tag clear)."""
    data: bytes


@dataclass(frozen=True)
class Frame:
    timestamp: int
    data: bytes
    keyframe: bool


@dataclass(frozen=True)
class Outcome:
    """What one packet's arrival released, and whether to send a PLI now."""

    frames: tuple[Frame, ...] = ()
    request_keyframe: bool = False


class FrameRecovery:
    """Assembles video frames, skips past losses to the next keyframe, asks for one."""

    def __init__(
        self,
        clock: Callable[[], float],
        capacity: int = 512,
        pli_interval: float = PLI_INTERVAL,
        stall: float = STALL,
        *,
        retransmit_wait: float = 0.0,
        keyframe_wait: float | None = None,
        timing: RepairTiming | None = None,
        playout: bool = False,
        clock_rate: int = 90000,
    ) -> None:
        self._clock = clock
        self._capacity = capacity
        self._pli_interval = pli_interval
        self._stall = stall
        self._retransmit_wait = retransmit_wait
        self._keyframe_wait = retransmit_wait if keyframe_wait is None else keyframe_wait
        self._timing = timing
        self._playout = playout and timing is not None
        self._clock_rate = clock_rate
        self._held_since: float | None = None  # a hole holds a complete later frame since
        # the hole outlived its wait (a keyframe asked for meanwhile), since
        self._racing, self._race_since = False, 0.0
        self._key_seen_at: float | None = None  # the last packet beginning a keyframe came
        self._last_timestamp: int | None = None  # of the last frame released
        self._packets: dict[int, Packet] = {}
        self._origin: int | None = None  # unwrapped number of the next packet wanted
        self._origin_is_start = False
        self._highest: int | None = None
        self._need_keyframe = True  # nothing decodes before the first keyframe
        self._asked = False  # a PLI went out since the keyframe became needed
        self._last_pli: float | None = None
        self._pending_since: float | None = None  # undecoded data held or awaited since
        self._needed_since: float | None = None  # a loss made a keyframe needed at
        self._filling = False  # the packet being added filled a hole
        self._lateness: deque[tuple[float, float]] = deque()  # (when, lateness) of repairs
        self._delay = 0.0  # the playout delay, seconds
        self._delay_at: float | None = None  # when it was last set
        self._transits: deque[tuple[float, float]] = deque()  # (arrival, arrival - media)
        self._scheduled: deque[tuple[float, Frame]] = deque()  # (due, frame), in order
        self._last_ts: int | None = None
        self._ts_ext = 0
        self.delayed_frames = 0
        """Frames held by the playout delay."""
        self.losses = 0
        self.dropped_frames = 0
        self.keyframe_requests = 0
        self.filled = 0
        """Packets that came behind a later one and were used: holes repaired in time."""
        self.late_packets = 0
        self.duplicates = 0
        """Packets that came again once their frame was decided: a second answer to a
        request sent twice (:mod:`groupdesk.media.nack`), not a repair too late."""
        self._had: dict[int, None] = {}  # the recent packets decided, oldest first
        """Packets that came after their frame was decided: repairs that came too late."""
        self.keyframes_abandoned = 0
        """Keyframes dropped, one of their packets missing, for a later frame."""
        self.races = 0
        """Holes that outlived their wait, a keyframe asked for while they were still
        waited for."""
        self.races_won = 0
        """Of these, holes repaired before the keyframe came: the pictures went on."""
        self.keyframe_waits: list[float] = []
        """Seconds from each loss to the keyframe that ended it."""

    def add(self, packet: Packet) -> Outcome:
        now = self._clock()
        want = False
        highest = self._highest
        ext = self._unwrap(packet.sequence_number)
        if self._origin is None:
            self._origin, self._origin_is_start = ext, packet.frame_start
        if ext < self._origin:
            # Late or duplicate: that frame was already decided. Since a hole no longer
            # holds the buffer back, a retransmission can come back well behind the
            # next packet wanted; only a packet a whole buffer behind it (more than a
            # sender keeps to retransmit) is a sender that restarted its numbering.
            if self._origin - ext <= self._capacity:
                if ext in self._had:
                    self.duplicates += 1
                else:
                    self.late_packets += 1
                return self._finish(now, want)
            want |= self._lose(now, restart=ext)
        elif ext - self._origin >= self._capacity:
            want |= self._lose(now, restart=ext - self._capacity + 1)
        self._filling = highest is not None and ext < highest and ext not in self._packets
        self.filled += self._filling
        self._packets[ext] = packet
        if packet.keyframe:
            self._key_seen_at = now
        if self._pending_since is None:
            self._pending_since = now
        want |= self._release(now)
        self._filling = False
        return self._finish(now, want)

    def _release(self, now: float) -> bool:
        """Schedule the frames now complete, in order, past the holes not worth waiting
        for; whether a keyframe is wanted."""
        want = False
        while self._packets:
            origin = self._origin
            assert origin is not None
            end = self._complete_from(origin, self._origin_is_start)
            if end is not None:
                want |= self._decide(now, origin, end)
                continue
            later = self._later_complete_frame()
            if later is None:
                break
            past = self._past_hole(now, origin, later)
            if past is None:
                break  # its retransmission may still come
            want |= past
        # A hole raced asks for a keyframe until a request goes out (one may have
        # gone out just before, and the rate limit held this one back).
        return want or (
            self._racing and (self._last_pli is None or self._last_pli < self._race_since)
        )

    def _decide(self, now: float, origin: int, end: int) -> bool:
        """Play or drop the complete frame from ``origin`` to ``end``; whether a
        keyframe is wanted."""
        raced = self._racing
        self.races_won += raced
        frame = self._pop(origin, end)
        if self._need_keyframe and not frame.keyframe:
            self.dropped_frames += 1
            return not self._asked
        # A repair that came after the keyframe was asked for sets no playout delay:
        # no delay under a round trip would have saved it.
        repaired = self._filling and not raced
        self._play(now, frame, at_once=self._need_keyframe, repaired=repaired)
        self._filling = False  # the frames after it only waited for it
        if self._needed_since is not None:
            self.keyframe_waits.append(now - self._needed_since)
            self._needed_since = None
        self._need_keyframe = False
        self._pending_since = now if self._packets else None
        return False

    def _past_hole(self, now: float, origin: int, later: int) -> bool | None:
        """The hole at ``origin`` holds the complete frame ``later``: None to wait on,
        else skip it (and whether a keyframe is wanted)."""
        if self._held_since is None:
            self._held_since = now
        key = self._later_complete_keyframe()
        if key is not None:
            # It decodes by itself: nothing before it is worth waiting for, and no
            # other keyframe is needed.
            self._lose(now, restart=key)
            self._asked = True
            return False
        if self._worth_waiting(later):
            waited = now - self._held_since
            if waited < self._wait(origin):
                return None
            if not self._need_keyframe and waited < self._race_wait():
                if not self._racing:  # ask for a keyframe; whichever comes first
                    self._racing, self._race_since = True, now
                    self.races += 1
                return None
        raced, since = self._racing, self._race_since
        self._lose(now, restart=later)
        if raced and self._key_seen_at is not None and self._key_seen_at >= since:
            self._asked = True  # the keyframe asked for is coming: not another one
            return False
        return True

    def _race_wait(self) -> float:
        """Seconds a hole in an inter frame is still waited for once a keyframe is asked
        for in its stead: as long as its packet is asked for."""
        return self._keyframe_wait if self._timing is None else self._timing.give_up_after

    def _later_complete_keyframe(self) -> int | None:
        origin = self._origin
        assert origin is not None
        for number in sorted(self._packets):
            packet = self._packets[number]
            if (
                number > origin
                and packet.keyframe
                and self._complete_from(number, known_start=True) is not None
            ):
                return number
        return None

    def _play(self, now: float, frame: Frame, *, at_once: bool, repaired: bool) -> None:
        """Schedule a decodable frame: its media time, on the earliest transit of the
        recent frames, plus the playout delay; ``at_once`` (a keyframe that ends a
        freeze) with the frames before it. ``repaired``: a retransmission completed it
        just now, and its lateness tells what delay the repairs need."""
        media = self._media_time(frame.timestamp)
        self._transits.append((now, now - media))
        while self._transits[0][0] < now - TRANSIT_WINDOW:
            self._transits.popleft()
        expected = media + min(t for _, t in self._transits)
        if repaired and not at_once:
            self._lateness.append((now, now - expected))
        due = expected + self._playout_delay(now)
        if at_once:
            self._scheduled = deque((min(d, now), f) for d, f in self._scheduled)
            due = now
        elif self._scheduled:
            due = max(due, self._scheduled[-1][0])
        if due > now:
            self.delayed_frames += 1
        self._scheduled.append((due, frame))

    def _playout_delay(self, now: float) -> float:
        """Seconds frames are held after their expected arrival: what the recent
        repairs needed to show as no freeze, risen at once, fallen slowly (see the
        module docstring)."""
        if not self._playout or self._timing is None:
            return 0.0
        while self._lateness and self._lateness[0][0] < now - DELAY_WINDOW:
            self._lateness.popleft()
        cap = self._timing.rtt + REPAIR_MARGIN
        target = 0.0
        if len(self._lateness) >= LOSSY_REPAIRS:
            # A repair at the second try: a round trip, a NACK interval, the pacing.
            second_try = self._timing.rtt + self._timing.nack_interval + REPAIR_MARGIN
            target = min(max(second_try - TOLERATED_LATENESS, 0.0), cap)
        if len(self._lateness) >= 2:
            ranked = sorted(lateness for _, lateness in self._lateness)
            rank = min(math.ceil(DELAY_PERCENTILE * len(ranked)), len(ranked) - 1)
            needed = ranked[rank - 1] - TOLERATED_LATENESS
            target = max(target, min(max(needed, 0.0), cap))
        if target < self._delay and self._delay_at is not None:
            target = max(target, self._delay - DELAY_DECAY * (now - self._delay_at))
        self._delay, self._delay_at = target, now
        return target

    @property
    def playout_delay(self) -> float:
        """Seconds the last frame scheduled was held past its expected arrival."""
        return self._delay

    def _media_time(self, timestamp: int) -> float:
        """Seconds of media time of an RTP timestamp, unwrapped (2**32 -> 0 goes on)."""
        if self._last_ts is None:
            self._ts_ext = timestamp
        else:
            delta = (timestamp - self._last_ts) % 2**32
            if delta >= 2**31:
                delta -= 2**32
            self._ts_ext += delta
        self._last_ts = timestamp
        return self._ts_ext / self._clock_rate

    def _finish(self, now: float, want: bool) -> Outcome:
        frames: list[Frame] = []
        while self._scheduled and self._scheduled[0][0] <= now:
            frames.append(self._scheduled.popleft()[1])
        stalled = (
            (self._need_keyframe or bool(self._packets))
            and self._pending_since is not None
            and now - max(self._pending_since, self._last_pli or self._pending_since) >= self._stall
        )
        request = (want or stalled) and (
            self._last_pli is None or now - self._last_pli >= self._pli_interval
        )
        if request:
            self._last_pli = now
            self._asked = True
            self.keyframe_requests += 1
        return Outcome(tuple(frames), request)

    def _unwrap(self, sequence_number: int) -> int:
        if self._highest is None:
            self._highest = sequence_number
            return sequence_number
        delta = (sequence_number - self._highest) & 0xFFFF
        if delta >= 0x8000:
            delta -= 0x10000
        ext = self._highest + delta
        self._highest = max(self._highest, ext)
        return ext

    def _lose(self, now: float, restart: int) -> bool:
        """Drop everything before ``restart``; from now on only a keyframe decodes."""
        if self._origin is not None and restart < self._origin:
            self._packets.clear()  # a restarted sender: nothing held is of its stream
        for number in [n for n in self._packets if n < restart]:
            self.keyframes_abandoned += self._packets.pop(number).keyframe
            self._decided(number)
        self._origin = restart
        self._origin_is_start = restart in self._packets and self._starts_frame(restart)
        self._held_since = None
        self._racing = False
        self.losses += 1
        if not self._need_keyframe:
            self._pending_since = now
            self._needed_since = now
        self._need_keyframe = True
        self._asked = False
        return True

    def _hole_wait(self) -> float:
        return self._retransmit_wait if self._timing is None else self._timing.hole_wait

    def _wait(self, origin: int) -> float:
        """Seconds the hole at ``origin`` may hold the frames after it: a keyframe's
        (or, while one is needed, a frame's whose first packet is missing: it may be
        the keyframe) longer than an inter frame's."""
        first = self._packets.get(origin)
        if (first is not None and first.keyframe) or (first is None and self._need_keyframe):
            return self._keyframe_wait if self._timing is None else self._timing.keyframe_wait
        return self._hole_wait()

    def _worth_waiting(self, later: int) -> bool:
        """Whether the frame held back may be decoded once its hole is filled, and is
        still worth showing.

        While the pictures flow: any frame, unless the complete frame after it is more
        than the wait ahead of the last frame shown (after an outage, the retransmitted
        frames of the outage would be shown seconds late). While a keyframe is needed
        (however long ago the last picture): not when a later keyframe is complete (skip
        to it), nor when the held frame is known to be an inter frame; a keyframe, or a
        frame whose first packet is the one missing, may be the keyframe asked for."""
        if not self._need_keyframe:
            if self._last_timestamp is None:
                return True
            ahead = (self._packets[later].timestamp - self._last_timestamp) % 2**32
            return ahead <= round(self._hole_wait() * self._clock_rate)
        origin = self._origin
        assert origin is not None
        if any(
            packet.keyframe and number > origin and self._complete_from(number, True) is not None
            for number, packet in self._packets.items()
        ):
            return False
        first = self._packets.get(origin)
        return first is None or first.keyframe

    def _starts_frame(self, number: int) -> bool:
        packet = self._packets.get(number)
        if packet is None:
            return False
        if packet.frame_start:
            return True
        before = self._packets.get(number - 1)
        return before is not None and (before.marker or before.timestamp != packet.timestamp)

    def _complete_from(self, start: int | None, known_start: bool) -> int | None:
        """The number of the last packet of the complete frame beginning at ``start``."""
        if start is None:
            return None
        first = self._packets.get(start)
        if first is None or not (known_start or self._starts_frame(start)):
            return None
        number = start
        while True:
            packet = self._packets[number]
            if packet.marker:
                return number
            following = self._packets.get(number + 1)
            if following is None:
                return None
            if following.timestamp != first.timestamp:
                return number  # the next frame began: this one ended without a marker
            number += 1

    def _later_complete_frame(self) -> int | None:
        origin = self._origin
        assert origin is not None
        for number in sorted(self._packets):
            if (
                number > origin
                and self._starts_frame(number)
                and self._complete_from(number, known_start=True) is not None
            ):
                return number
        return None

    def _decided(self, number: int) -> None:
        """Remember that packet ``number`` came and its frame was decided (the last
        :attr:`_capacity` of them), to tell a duplicate from a repair too late."""
        self._had[number] = None
        if len(self._had) > self._capacity:
            del self._had[next(iter(self._had))]

    def _pop(self, start: int, end: int) -> Frame:
        packets = [self._packets.pop(n) for n in range(start, end + 1)]
        for number in range(start, end + 1):
            self._decided(number)
        self._origin = end + 1
        self._origin_is_start = True
        self._held_since = None
        self._racing = False
        self._last_timestamp = packets[0].timestamp
        return Frame(
            timestamp=packets[0].timestamp,
            data=b"".join(p.data for p in packets),
            keyframe=packets[0].keyframe,
        )
