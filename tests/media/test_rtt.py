"""Round-trip times from RTCP reports are never negative: a figure or None."""

from __future__ import annotations

import asyncio
from typing import Any, cast

from aiortc import RTCRtpSender
from aiortc.rtp import RtcpPacket, RtcpReceiverInfo, RtcpRrPacket, RtcpSenderInfo, RtcpSrPacket

from groupdesk.media.rtt import RttEstimator, compact_ntp, watch_rtt

SSRC = 0x1A2B3C4D
NTP = 0xEA1F_3C80_8F5C_28F6  # a real NTP time (2024), 64 bits
LSR = compact_ntp(NTP)


def _sr(ntp: int) -> RtcpSrPacket:
    info = RtcpSenderInfo(ntp_timestamp=ntp, rtp_timestamp=90_000, packet_count=10, octet_count=9)
    return RtcpSrPacket(ssrc=SSRC, sender_info=info)


def _rr(lsr: int, dlsr_s: float) -> RtcpRrPacket:
    report = RtcpReceiverInfo(
        ssrc=SSRC,
        fraction_lost=31,  # 12 %
        packets_lost=12,
        highest_sequence=100,
        jitter=40,
        lsr=lsr,
        dlsr=int(dlsr_s * 65536),
    )
    return RtcpRrPacket(ssrc=0x99, reports=[report])


def _wire(packet: Any) -> Any:
    """The packet as the other side parses it off the wire."""
    (parsed,) = RtcpPacket.parse(bytes(packet))
    return parsed


def test_a_receiver_report_gives_the_round_trip() -> None:
    estimator = RttEstimator()
    estimator.report_sent(LSR, at=100.000)
    rr = _wire(_rr(LSR, dlsr_s=0.200))
    assert LSR == 0x3C80_8F5C
    rtt = estimator.report_received(rr.reports[0].lsr, rr.reports[0].dlsr, at=100.250)
    assert rtt is not None
    assert abs(rtt - 0.050) < 0.001
    assert estimator.rtt_s == rtt


def test_a_stream_that_sends_nothing_gives_no_figure_not_a_negative_one() -> None:
    # Video paused: no RTP between two sender reports, so both carry the same LSR. The
    # receiver answers about the first (the second is lost or still on its way); aiortc
    # matched it to the second: 100.35 - 101.2 - 0.15 = -1.0 s.
    estimator = RttEstimator()
    estimator.report_sent(LSR, at=100.0)
    estimator.report_sent(LSR, at=101.2)
    assert estimator.report_received(LSR, int(0.15 * 65536), at=101.35) is None
    assert estimator.rtt_s is None
    assert estimator.rejected == 1


def test_older_reports_are_still_matched_to_when_they_left() -> None:
    estimator = RttEstimator()
    estimator.report_sent(LSR, at=100.0)
    estimator.report_sent(LSR + 65536, at=101.0)  # one second later, RTP in between
    # The answer is about the first report (the second was lost): still right.
    rtt = estimator.report_received(LSR, int(1.1 * 65536), at=101.18)
    assert rtt is not None
    assert abs(rtt - 0.08) < 0.001


def test_unknown_or_absent_reports_and_fast_receiver_clocks_give_none() -> None:
    estimator = RttEstimator()
    estimator.report_sent(LSR, at=100.0)
    assert estimator.report_received(0, 0, at=100.1) is None  # no SR received yet
    assert estimator.report_received(LSR + 1, 0, at=100.1) is None  # never sent
    assert estimator.report_received(LSR, int(0.5 * 65536), at=100.1) is None  # -0.4 s
    assert estimator.rtt_s is None


class _Sender:
    """What watch_rtt wraps on an aiortc RTCRtpSender."""

    def __init__(self) -> None:
        self._ssrc = SSRC
        self.sent: list[Any] = []
        self.handled: list[Any] = []

    async def _send_rtcp(self, packets: list[Any]) -> None:
        self.sent.extend(packets)

    async def _handle_rtcp_packet(self, packet: Any) -> None:
        self.handled.append(packet)


def test_the_sender_s_reports_are_watched_on_their_way_and_still_go_through() -> None:
    sender = _Sender()
    now = [10.0]
    estimator = watch_rtt(cast(RTCRtpSender, sender), clock=lambda: now[0])

    async def exchange() -> None:
        await sender._send_rtcp([_sr(NTP)])
        now[0] = 10.3
        await sender._handle_rtcp_packet(_wire(_rr(LSR, dlsr_s=0.25)))

    asyncio.run(exchange())
    assert len(sender.sent) == 1
    assert len(sender.handled) == 1
    assert estimator.rtt_s is not None
    assert abs(estimator.rtt_s - 0.05) < 0.001
