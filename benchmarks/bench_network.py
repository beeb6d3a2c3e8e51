"""A browser's video on an impaired network: aiortc (the app, the bots) next to Chromium.

    .venv/bin/python benchmarks/bench_network.py [--quick] [--phase 20] [--repeat 3] [--outage 15]

One room on the real server (127.0.0.1): Chloé, a headless Chromium participant whose
camera draws the frame stamp (tests/web/stamped_camera.py, 640x360 at 15 fps), Ana, the
facilitator on aiortc (the project's Mesh), and Bea, a second Chromium participant. Ana
and Bea both receive Chloé's video: the same camera, each over its own connection
(mesh). Every UDP packet of the room crosses tests/net_impair.py (NFQUEUE): 0%, 2%, 5%
and 12% random loss with 100 ms delay each way, then a blackhole (the outage), then a
clear network.

The loss conditions are run ``--repeat`` times, in turn (0, 2, 5, 12%, then again), so
that a change in the machine's load falls on every condition alike; one freeze more or
less is half a second, so a single 20 s run says little. Each figure is the median
over the repeats, with the range of the frozen time (min-max) beside it; the ratio
aiortc/Chromium is of the frozen time summed over the repeats, per condition and in
all; the longest freeze is the longest of any repeat. The load average is printed
before and after (the machine may be shared).

Per receiver and condition: total frozen time (the sum of the intervals longer than
500 ms without a new frame shown), the longest of them, frames shown per second, the
glass-to-glass latency p95 (from the camera's drawing to the decoded frame: Ana's sink,
Bea's requestVideoFrameCallback; one clock), the sizes shown; after the outage, the
time from the network clearing to the first picture and to the first full-size
(640x360) one. Beside the p95, the p95 of the frames a screen would show ("scr p95": of
frames decoded less than a 60 Hz refresh apart, the last; Chromium's
requestVideoFrameCallback reports only those). Under each loss condition, how each
receiver repaired: the aiortc receiver's losses, keyframe requests, frames dropped and
held, keyframes abandoned, keyframe times (media/recovery.py), the packets it asked
for, got back (over RTX) and gave up, with their repair times (media/nack.py), the
bandwidth estimate it sends (REMB); the Chromium receiver's packets lost, NACKs and FEC
packets (getStats). Then the ratio
aiortc/Chromium of frozen time, and the goals: aiortc's frozen time no worse than
Chromium's, no freeze over 2 s at 5% loss.

It needs a private network namespace (only ``lo``): when this process sees other
interfaces it runs itself again under ``unshare --net``, so it never touches the
machine's firewall.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
for _path in (REPO / "src", REPO / "tests", REPO / "tests" / "web"):
    sys.path.insert(0, str(_path))

from net_impair import Impairment, NetImpair, NetImpairError, private_namespace  # noqa: E402

FULL = (640, 360)
FPS = 15
FREEZE_MS = 500
REFRESH_MS = 1000 / 60
LOSSES = (0.0, 0.02, 0.05, 0.12)
DELAY_MS = 100.0

# Keeps the page's peer connections at hand, to read how Chromium repairs losses.
_PC_SPY = """
(() => {
  const Original = window.RTCPeerConnection;
  window.__pcs = [];
  window.RTCPeerConnection = class extends Original {
    constructor(...args) {
      super(...args);
      window.__pcs.push(this);
    }
  };
})();
"""

_REPAIRS = """
async () => {
  const totals = { nackCount: 0, fecPacketsReceived: 0, packetsLost: 0, packetsReceived: 0 };
  for (const pc of window.__pcs || []) {
    if (pc.connectionState === "closed") continue;
    (await pc.getStats()).forEach((s) => {
      if (s.type === "inbound-rtp" && s.kind === "video") {
        for (const key of Object.keys(totals)) totals[key] += s[key] || 0;
      }
    });
  }
  return totals;
}
"""

Stamp = tuple[int, int, int, int, int]  # number, shown at (ms), glass-to-glass ms, w, h


def summarise(stamps: list[Stamp], t0: int, t1: int) -> dict[str, Any]:
    """The figures of the frames shown between wall-clock ms ``t0`` and ``t1``."""
    shown = [s for s in stamps if t0 <= s[1] <= t1]
    times = [t0, *(s[1] for s in shown), t1]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    frozen = [g for g in gaps if g > FREEZE_MS]
    latencies = sorted(s[2] for s in shown)
    # A screen shows the newest frame at each refresh: of frames decoded less than a
    # refresh apart (a burst released by a repaired hole) only the last is seen.
    seen = [
        a for a, b in itertools.pairwise([*shown, None]) if b is None or b[1] - a[1] > REFRESH_MS
    ]
    on_screen = sorted(s[2] for s in seen)
    return {
        "frozen_s": sum(frozen) / 1000,
        "max_freeze_s": max(gaps, default=0) / 1000,
        "fps": len(shown) / max(0.001, (t1 - t0) / 1000),
        "latency_p95_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
        if latencies
        else None,
        "latency_p95_on_screen_ms": on_screen[min(len(on_screen) - 1, int(len(on_screen) * 0.95))]
        if on_screen
        else None,
        "sizes": sorted({f"{s[3]}x{s[4]}" for s in shown}),
        "frames": len(shown),
    }


def recovery(stamps: list[Stamp], cleared: int) -> dict[str, float | None]:
    """Seconds from the network clearing to the first picture, and to the first full-size one."""
    after = [s for s in stamps if s[1] >= cleared]
    full = [s for s in after if (s[3], s[4]) == FULL]
    return {
        "first_picture_s": (after[0][1] - cleared) / 1000 if after else None,
        "full_size_s": (full[0][1] - cleared) / 1000 if full else None,
    }


async def _room(
    quick: bool, phase_s: float, repeat: int, outage_s: float, after_s: float, net: NetImpair
) -> dict[str, Any]:
    from browser_harness import (
        chromium,
        go_to_lobby,
        next_lobby_with_someone,
        next_of,
        server_and_facilitator,
        wait_step,
    )
    from stamped_camera import STAMPED_CAMERA, StampSink, read_tile_stamps, tile_stamps
    from test_join_session import ANA, BEA, CHLOE, AiortcMember

    from groupdesk.core.protocol import Admit, MemberJoined
    from groupdesk.media.ice import LOOPBACK_ADDRESSES, restrict_host_addresses

    restrict_host_addresses(LOOPBACK_ADDRESSES)
    ana = AiortcMember("Ana", 1)
    sink = StampSink()
    ana.decoded = sink
    state_dir = Path(tempfile.mkdtemp(prefix="bench-network-"))
    results: dict[str, Any] = {"conditions": [], "outage": None}
    try:
        async with (
            server_and_facilitator(state_dir, client=ana.client, member_ids=[ANA, CHLOE, BEA]) as (
                _server,
                fac,
                opened,
            ),
            chromium() as chloe,
            chromium() as bea,
        ):
            try:
                await chloe.add_init_script(script=STAMPED_CAMERA)
                await bea.add_init_script(script=_PC_SPY)
                for page, name, member in ((chloe, "Chloé", CHLOE), (bea, "Bea", BEA)):
                    await go_to_lobby(page, opened.invite, name=name)
                    await next_lobby_with_someone(fac)
                    await fac.send(Admit(member=member))
                    await next_of(fac, MemberJoined)
                    await wait_step(page, "session")
                await read_tile_stamps(bea, CHLOE)

                async def stamps() -> dict[str, list[Stamp]]:
                    return {
                        "aiortc": list(sink.stamps[CHLOE]),
                        "chromium": await tile_stamps(bea, CHLOE),
                    }

                await _wait(
                    lambda: _both_show(stamps), 60, "Ana and Bea showing Chloé's stamped video"
                )
                await asyncio.sleep(2 if quick else 8)  # the bandwidth estimates ramp up
                for loss in [loss for _ in range(repeat) for loss in LOSSES]:
                    net.set(Impairment(loss=loss, delay_ms=DELAY_MS))
                    before = _recovery_counts(ana, CHLOE)
                    bea_before = await bea.evaluate(_REPAIRS)
                    t0 = _now_ms()
                    await asyncio.sleep(phase_s)
                    t1 = _now_ms()
                    seen = await stamps()
                    after = _recovery_counts(ana, CHLOE)
                    bea_after = await bea.evaluate(_REPAIRS)
                    row = {"loss": loss, "delay_ms": DELAY_MS}
                    row["aiortc_recovery"] = _counts_between(before, after)
                    row["chromium_repairs"] = {k: bea_after[k] - bea_before[k] for k in bea_after}
                    for receiver, got in seen.items():
                        row[receiver] = summarise(got, t0, t1)
                    results["conditions"].append(row)
                net.set(Impairment(delay_ms=DELAY_MS))
                await asyncio.sleep(2 if quick else 5)
                t0 = _now_ms()
                net.outage(outage_s)
                await asyncio.sleep(outage_s)
                cleared = _now_ms()
                await asyncio.sleep(after_s)
                t1 = _now_ms()
                seen = await stamps()
                results["outage"] = {
                    "seconds": outage_s,
                    **{
                        receiver: {**summarise(got, t0, t1), **recovery(got, cleared)}
                        for receiver, got in seen.items()
                    },
                }
                results["impairment"] = net.stats()
            finally:
                await ana.close()
    finally:
        shutil.rmtree(state_dir, ignore_errors=True)
    return results


_RECOVERY_COUNTS = (
    "losses",
    "keyframe_requests",
    "dropped_frames",
    "delayed_frames",
    "filled",
    "late_packets",
    "duplicates",
    "keyframes_abandoned",
    "races",
    "races_won",
)
_NACK_COUNTS = ("nacks_sent", "echoes", "asked", "recovered", "given_up")


def _recovery_counts(ana: Any, member: str) -> dict[str, Any]:
    """How Ana's video receiver from ``member`` repaired so far, summed over its receivers
    (a restart makes new ones): the losses, keyframe requests, frames dropped, holes
    filled and repairs too late of its buffer (media/recovery.py); the NACKs sent and the
    packets asked for, recovered and given up (media/nack.py); the packets that came over
    RTX; the seconds from each loss to the keyframe that ended it and from each packet
    found missing to its arrival; the bandwidth estimate it sends (REMB, kbit/s)."""
    counts: dict[str, Any] = dict.fromkeys((*_RECOVERY_COUNTS, *_NACK_COUNTS, "rtx_received"), 0)
    counts["keyframe_waits"] = []
    counts["recovery_times"] = []
    counts["remb_kbps"] = None
    mesh = ana.link.mesh
    peer = mesh.peers.get(member) if mesh is not None else None
    if peer is None:
        return counts
    for receiver in peer.pc.getReceivers():
        if receiver.track.kind != "video":
            continue
        buffer = getattr(receiver, "_RTCRtpReceiver__jitter_buffer", None)
        recovery = getattr(buffer, "recovery", None)
        if recovery is not None:
            for key in _RECOVERY_COUNTS:
                counts[key] += getattr(recovery, key, 0)
            counts["keyframe_waits"] += recovery.keyframe_waits
        nack = getattr(receiver, "_RTCRtpReceiver__nack_generator", None)
        if nack is not None and hasattr(nack, "nacks_sent"):
            for key in _NACK_COUNTS:
                counts[key] += getattr(nack, key, 0)
            counts["recovery_times"] += nack.recovery_times
        streams = getattr(receiver, "_RTCRtpReceiver__remote_streams", {})
        for ssrc in getattr(receiver, "_RTCRtpReceiver__rtx_ssrc", {}):
            if ssrc in streams:
                counts["rtx_received"] += streams[ssrc].packets_received
        estimator = getattr(receiver, "_RTCRtpReceiver__remote_bitrate_estimator", None)
        if estimator is not None:
            counts["remb_kbps"] = estimator.rate_control.current_bitrate // 1000
    return counts


def _counts_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What happened between two readings of :func:`_recovery_counts`."""
    row: dict[str, Any] = {}
    for key, value in after.items():
        if isinstance(value, list):
            row[key] = value[len(before.get(key, [])) :]
        elif isinstance(value, int) and key != "remb_kbps":
            row[key] = value - before.get(key, 0)
        else:
            row[key] = value
    return row


def _p(values: list[float], q: float) -> float | None:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else None


async def _both_show(stamps: Callable[[], Awaitable[dict[str, list[Stamp]]]]) -> bool:
    return all(len(v) >= 15 for v in (await stamps()).values())


async def _wait(check: Callable[[], Awaitable[bool]], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.5)


def _loadavg() -> str:
    """The machine's load averages (1, 5, 15 min), or why they are unknown."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError as error:
        return f"unknown ({error.strerror})"


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _merge_counts(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The aiortc receiver's repair counts (or Chromium's) of several runs, added up."""
    merged: dict[str, Any] = {}
    for row in rows:
        for key, value in row.items():
            if isinstance(value, list):
                merged[key] = merged.get(key, []) + value
            elif isinstance(value, int) and key != "remb_kbps":
                merged[key] = merged.get(key, 0) + value
            else:
                merged[key] = value
    return merged


def by_condition(conditions: list[dict[str, Any]]) -> dict[float, dict[str, Any]]:
    """Each loss condition's runs, summed up per receiver: the median and range of the
    frozen time, its sum, the longest freeze of any run, the medians of fps and p95s."""
    summary: dict[float, dict[str, Any]] = {}
    for loss in dict.fromkeys(row["loss"] for row in conditions):
        runs = [row for row in conditions if row["loss"] == loss]
        entry: dict[str, Any] = {"loss": loss, "delay_ms": runs[0]["delay_ms"], "runs": len(runs)}
        for receiver in ("aiortc", "chromium"):
            figures = [row[receiver] for row in runs]
            frozen = [f["frozen_s"] for f in figures]
            entry[receiver] = {
                "frozen_median_s": _median(frozen),
                "frozen_min_s": min(frozen),
                "frozen_max_s": max(frozen),
                "frozen_sum_s": sum(frozen),
                "max_freeze_s": max(f["max_freeze_s"] for f in figures),
                "fps": _median([f["fps"] for f in figures]),
                "latency_p95_ms": _median(
                    [f["latency_p95_ms"] for f in figures if f["latency_p95_ms"] is not None]
                ),
                "latency_p95_on_screen_ms": _median(
                    [
                        f["latency_p95_on_screen_ms"]
                        for f in figures
                        if f["latency_p95_on_screen_ms"] is not None
                    ]
                ),
                "sizes": sorted({size for f in figures for size in f["sizes"]}),
            }
        entry["aiortc_recovery"] = _merge_counts([row["aiortc_recovery"] for row in runs])
        entry["chromium_repairs"] = _merge_counts([row["chromium_repairs"] for row in runs])
        summary[loss] = entry
    return summary


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else ("1.00" if not a else "inf")


def report(results: dict[str, Any], phase_s: float) -> None:
    summary = by_condition(results["conditions"])
    runs = max((entry["runs"] for entry in summary.values()), default=0)
    load = results.get("loadavg", {})
    print(
        "bench_network: Chloé's Chromium camera (640x360, 15 fps) received by aiortc "
        f"(Ana, Mesh) and by Chromium (Bea, the page); {phase_s:g} s per condition, "
        f"{runs} run(s) of each, in turn"
    )
    print(
        f"load average (1 5 15 min): {load.get('before', '?')} before, "
        f"{load.get('after', '?')} after"
    )
    print(
        "frozen s: median over the runs (min-max); max s: the longest freeze of any run; "
        "fps, p95: medians; ratio: aiortc/chromium frozen time, summed over the runs"
    )
    header = (
        f"{'condition':<16}{'receiver':<10}{'frozen s':>9}{'range':>11}{'max s':>7}{'fps':>6}"
        f"{'p95 ms':>8}{'scr p95':>8}{'ratio':>7}  sizes"
    )
    print(header)
    frozen_total = {"aiortc": 0.0, "chromium": 0.0}
    at_5: float | None = None
    for entry in summary.values():
        label = f"{entry['loss'] * 100:g}% +{entry['delay_ms']:g}ms"
        sums = {receiver: entry[receiver]["frozen_sum_s"] for receiver in ("aiortc", "chromium")}
        for receiver in ("aiortc", "chromium"):
            f = entry[receiver]
            frozen_total[receiver] += f["frozen_sum_s"]
            spread = f"{f['frozen_min_s']:.1f}-{f['frozen_max_s']:.1f}"
            ratio = _ratio(sums["aiortc"], sums["chromium"]) if receiver == "aiortc" else ""
            print(
                f"{label:<16}{receiver:<10}{f['frozen_median_s']:>9.1f}{spread:>11}"
                f"{f['max_freeze_s']:>7.1f}{f['fps']:>6.1f}{_fmt(f['latency_p95_ms'], 0):>8}"
                f"{_fmt(f['latency_p95_on_screen_ms'], 0):>8}{ratio:>7}  {','.join(f['sizes'])}"
            )
        r = entry["aiortc_recovery"]
        print(
            f"{'':<26}aiortc receiver: {r['losses']} losses, "
            f"{r['keyframe_requests']} keyframe requests, {r['dropped_frames']} frames dropped, "
            f"{r['keyframes_abandoned']} keyframes abandoned, {r['delayed_frames']} held by "
            f"the playout delay; {r['races']} holes past their wait ({r['races_won']} repaired "
            f"before the keyframe asked for); keyframe after a loss "
            f"p50 {_fmt(_p(r['keyframe_waits'], 0.5), 2)} s max "
            f"{_fmt(max(r['keyframe_waits'], default=None), 2)} s"
        )
        print(
            f"{'':<26}aiortc repairs: {r['asked']} packets asked for in {r['nacks_sent']} "
            f"NACKs ({r['echoes']} second copies), {r['recovered']} came "
            f"({r['rtx_received']} over RTX; p50 "
            f"{_fmt(_p(r['recovery_times'], 0.5), 2)} s, p95 "
            f"{_fmt(_p(r['recovery_times'], 0.95), 2)} s), {r['given_up']} given up; "
            f"{r['filled']} holes filled in time, {r['late_packets']} too late, "
            f"{r['duplicates']} duplicates; "
            f"REMB {r['remb_kbps']} kbit/s"
        )
        c = entry["chromium_repairs"]
        print(
            f"{'':<26}chromium receiver (all its video): {c['packetsLost']} lost of "
            f"{c['packetsReceived'] + c['packetsLost']}, {c['nackCount']} NACKs, "
            f"{c['fecPacketsReceived']} FEC packets"
        )
        if entry["loss"] == 0.05:
            at_5 = entry["aiortc"]["max_freeze_s"]
    outage = results["outage"]
    label = f"outage {outage['seconds']:g} s"
    for receiver in ("aiortc", "chromium"):
        f = outage[receiver]
        print(
            f"{label:<16}{receiver:<10}{f['frozen_s']:>9.1f}{'':>11}{f['max_freeze_s']:>7.1f}"
            f"{f['fps']:>6.1f}{_fmt(f['latency_p95_ms'], 0):>8}"
            f"{_fmt(f['latency_p95_on_screen_ms'], 0):>8}{'':>7}  {','.join(f['sizes'])}"
        )
    for receiver in ("aiortc", "chromium"):
        f = outage[receiver]
        print(
            f"after the outage, {receiver}: first picture {_fmt(f['first_picture_s'])} s, "
            f"full size (640x360) {_fmt(f['full_size_s'])} s after the network cleared"
        )
    print(
        f"aiortc / chromium frozen time (loss conditions, all runs): "
        f"{frozen_total['aiortc']:.1f} s / {frozen_total['chromium']:.1f} s = "
        f"{_ratio(frozen_total['aiortc'], frozen_total['chromium'])}"
    )
    no_worse = frozen_total["aiortc"] <= frozen_total["chromium"] + 0.5
    print(
        "goal: aiortc frozen time no worse than Chromium's: "
        f"{'met' if no_worse else 'NOT met'}; no freeze over 2 s at 5% loss: "
        f"{'met' if at_5 is not None and at_5 <= 2.0 else 'NOT met'}"
        f" (longest at 5%: {_fmt(at_5)} s)"
    )
    print(f"impairment: {json.dumps(results.get('impairment', {}))}")


def _in_private_namespace(argv: list[str]) -> int | None:
    """Run this benchmark again under ``unshare --net`` (its exit code), or None if we
    are in a private namespace already."""
    if private_namespace():
        return None
    if shutil.which("unshare") is None:
        print("bench_network: skipped, needs unshare (util-linux) for a private network")
        return 0
    script = 'ip link set lo up && exec "$0" "$@"'
    command = ["unshare", "--net", "sh", "-c", script, sys.executable, __file__, *argv]
    return subprocess.run(command, check=False).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a CI smoke run (about a minute)")
    parser.add_argument("--phase", type=float, default=None, help="seconds per loss condition")
    parser.add_argument(
        "--repeat", type=int, default=None, help="runs of each loss condition (median, range)"
    )
    parser.add_argument("--outage", type=float, default=None, help="seconds of outage")
    args = parser.parse_args()
    code = _in_private_namespace(sys.argv[1:])
    if code is not None:
        return code
    sys.path.insert(0, str(REPO / "benchmarks"))
    import chromium_baseline

    missing = chromium_baseline.unavailable()
    if missing:
        print(f"bench_network: skipped, {missing}")
        return 0
    phase_s = args.phase or (2.0 if args.quick else 20.0)
    repeat = max(1, args.repeat or (2 if args.quick else 3))
    outage_s = args.outage or (3.0 if args.quick else 15.0)
    after_s = 6.0 if args.quick else 20.0
    lifetime = repeat * len(LOSSES) * phase_s + outage_s + after_s + 300  # setting up included
    load_before = _loadavg()
    try:
        with NetImpair(seed=14, lifetime=lifetime) as net:
            coro = _room(args.quick, phase_s, repeat, outage_s, after_s, net)
            results = asyncio.run(asyncio.wait_for(coro, lifetime))
    except NetImpairError as error:
        print(f"bench_network: skipped, {error}")
        return 0
    results["loadavg"] = {"before": load_before, "after": _loadavg()}
    report(results, phase_s)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
