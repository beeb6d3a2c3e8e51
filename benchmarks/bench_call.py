"""A call of N members on loopback: join time, glass-to-glass latency, fps, CPU, fan-out on/off.

    .venv/bin/python benchmarks/bench_call.py [--sizes 2,4,6,8] [--seconds 10] [--smoke]
        [--quick] [--skip-chromium]

Every member is its own process (so CPU is measured per member), with a test
pattern (640x360, 15 fps, with sensor-like grain so that it costs the encoder
about what a camera would; scaled by the ladder: 640x360 up to 3 members,
480x270 up to 6, 320x180 beyond) and speech-like audio. They meet through the
real signalling server (in this process, 127.0.0.1): member 0 is the
facilitator who opens the room and admits everyone.

For each N, two runs: fan-out on (encode once) and off (aiortc encodes per
peer). Printed per run:

- join: seconds from admission until video from every other member is decoded
  (median and worst over members)
- latency: glass-to-glass, from the frame stamp drawn at capture to the decoded
  frame (median and p95 over all frames received in the window, ms)
- fps: decoded frames per second per remote member (mean, min)
- CPU: per member, % of one core over the window (mean over the members who
  receive video)
- sender CPU: member 0's process CPU. It receives no video (audio-only
  receiving), but in the "sender" experiment it still receives and decodes
  the N-1 others' audio, which fan-out cannot cut (aiortc hands every audio
  packet to a decoder thread per peer; on 2 cores at N = 6 receiving added 8-16
  points of a core), and the run without fan-out competes for the cores with
  N-1 busy receivers, so its figure is held down. The "sendonly" experiment
  gives the others no audio track, so member 0's CPU is sending alone: that is
  the figure the fan-out's goal (halve the sender's CPU at N = 6) is about.
  Both include rendering the test pattern, the same with fan-out on or off.

Experiments (``--experiment``): "mesh" (everyone sends video), "sender" (one
presenter, everyone sends audio), "sendonly" (one presenter, no one else sends
anything); "both" is mesh and sender, "all" adds sendonly. ``--profile DIR``
samples member 0 with py-spy over each window (``.venv/bin/pip install py-spy``):
collapsed stacks of the Python time holding the GIL, one file per run.

The peer baseline, in the same run (right after the 2-member full mesh): two
headless Chromium peers (Debian's chromium, benchmarks/chromium_baseline.py) send
each other the same frame-stamped pattern at the same size and fps, VP8, on
127.0.0.1; their median / p90 latency and received fps are printed beside the
aiortc 2-member figures, with the ratio aiortc / Chromium. ``--skip-chromium``
leaves it out; without /usr/bin/chromium (or Playwright) it is skipped with a note.

Every member offers only 127.0.0.1 candidates (``media.ice``, as the app does when
the signalling server is on this machine's loopback).

One machine runs every member: at N = 8, 8 processes decode 7 streams each, on
however many cores there are; read the figures with the core count printed.
No assertion: this is a report.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import av  # noqa: E402
from aiortc.codecs.vpx import Vp8Encoder  # noqa: E402

from groupdesk.core.protocol import (  # noqa: E402
    Admit,
    Admitted,
    FacilitatorHello,
    Lobby,
    OpenRoom,
    ParticipantHello,
    RoomOpened,
    parse_invite_link,
)
from groupdesk.media.events import MediaEvent, PeerStats  # noqa: E402
from groupdesk.media.fanout import VideoFanout  # noqa: E402
from groupdesk.media.ice import LOOPBACK_ADDRESSES, restrict_host_addresses  # noqa: E402
from groupdesk.media.link import MeshLink, ice_servers  # noqa: E402
from groupdesk.media.mesh import Mesh  # noqa: E402
from groupdesk.media.sources import (  # noqa: E402
    SpeechLikeAudioSource,
    TestPatternSource,
    read_frame_stamp,
)
from groupdesk.signaling.client import SignalingClient  # noqa: E402

# The test pattern before the ladder scales it (640x360 up to 3 members): the Chromium
# baseline sends the same.
WIDTH, HEIGHT, FPS = 640, 360, 15

# --------------------------------------------------------------------- one member

_ENCODE_CPU = [0.0]


def _timed(fn: Any) -> Any:
    """Count the CPU time of a VP8 encode call (one encoder thread: the calling thread's)."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            _ENCODE_CPU[0] += time.thread_time() - started

    return wrapper


def _count_encoding() -> None:
    """Benchmark-only instrumentation of both encode paths (ours, and aiortc's per peer)."""
    VideoFanout._encode = _timed(VideoFanout._encode)  # type: ignore[method-assign]
    Vp8Encoder.encode = _timed(Vp8Encoder.encode)  # type: ignore[method-assign]


class Meter:
    """The member's sink: counts frames per sender and reads each frame's stamp."""

    def __init__(self) -> None:
        self.window: tuple[float, float] | None = None
        self.first_video: dict[str, float] = {}
        self.frames: dict[str, int] = {}
        self.latencies: list[int] = []
        self.audio: dict[str, int] = {}

    def _in_window(self) -> bool:
        now = time.time()
        return self.window is not None and self.window[0] <= now < self.window[1]

    def video_frame(self, member_id: str, frame: av.VideoFrame) -> None:
        self.first_video.setdefault(member_id, time.monotonic())
        if self._in_window():
            self.frames[member_id] = self.frames.get(member_id, 0) + 1
            stamp = read_frame_stamp(frame)
            if stamp is not None:
                self.latencies.append(stamp.age_ms())

    def audio_frame(self, member_id: str, frame: av.AudioFrame) -> None:
        if self._in_window():
            self.audio[member_id] = self.audio.get(member_id, 0) + 1


async def member_main(args: argparse.Namespace) -> dict[str, Any]:
    _count_encoding()
    restrict_host_addresses(LOOPBACK_ADDRESSES)  # the server is on loopback: so is the media
    meter = Meter()
    client = SignalingClient()
    events: list[MediaEvent] = []
    admitted_at: list[float] = []

    def make_mesh(admitted: Admitted) -> Mesh:
        admitted_at.append(time.monotonic())
        mesh = Mesh(
            admitted.member,
            client,
            ice_servers=ice_servers(admitted),
            video=TestPatternSource(args.name, WIDTH, HEIGHT, FPS, grain=args.grain),
            audio=(
                None
                if args.experiment == "sendonly" and args.index != 0
                else SpeechLikeAudioSource(seed=args.index)
            ),
            sink=meter,
            encode_once=args.fanout == "on",
            stats_interval=2.0,
            adapt_to_bandwidth=False,  # the ladder by group size only: comparable runs
        )
        mesh.events.subscribe(events.append)
        return mesh

    link = MeshLink(client, make_mesh)
    admitter: asyncio.Task[None] | None = None
    if args.index == 0:
        await client.connect(args.url)
        await client.send(FacilitatorHello(name="bench", credential=os.environ["BENCH_CREDENTIAL"]))
        await client.send(OpenRoom())
        while True:
            message = await client.receive(30)
            if isinstance(message, RoomOpened):
                print(json.dumps({"invite": message.invite}), flush=True)
                break

        async def admit_everyone() -> None:
            admitted: set[str] = set()
            async for message in client.messages():
                if isinstance(message, Lobby):
                    for entry in message.waiting:
                        if entry.member not in admitted:
                            admitted.add(entry.member)
                            await client.send(Admit(member=entry.member))

        admitter = asyncio.get_running_loop().create_task(admit_everyone())
    else:
        invite = parse_invite_link(args.invite)
        await client.connect(invite.websocket_url)
        await client.send(
            ParticipantHello(room=invite.room, secret=invite.secret, display_name=args.name)
        )
    mesh = await asyncio.wait_for(link.ready(), 60)
    if args.index == 0:
        await mesh.set_receive_video(False)  # member 0 measures what sending costs
    elif args.experiment in ("sender", "sendonly"):
        mesh.set_send_video(False)  # one presenter: only member 0's video is encoded

    # Wait for everyone's video (or give up at the start of the window).
    others = args.size - 1
    expected = 1 if args.experiment in ("sender", "sendonly") else others
    while time.time() < args.start:
        if args.index != 0 and len(meter.first_video) >= expected:
            break
        await asyncio.sleep(0.05)
    join_s = (
        max(meter.first_video.values()) - admitted_at[0]
        if len(meter.first_video) >= expected and args.index != 0
        else None
    )
    meter.window = (args.start, args.start + args.seconds)
    await asyncio.sleep(max(0.0, args.start - time.time()))
    fanout = mesh.fanout
    profile = fanout.profile if fanout else None  # at the start: members leave at the end
    cpu0, wall0, encode0 = time.process_time(), time.monotonic(), _ENCODE_CPU[0]
    await asyncio.sleep(args.seconds)
    elapsed = time.monotonic() - wall0
    cpu = (time.process_time() - cpu0) / elapsed
    encode_cpu = (_ENCODE_CPU[0] - encode0) / elapsed
    stats = [e for e in events if isinstance(e, PeerStats)]
    result = {
        "index": args.index,
        "member": mesh.local_id,
        "join_s": join_s,
        "cpu": cpu,
        "encode_cpu": encode_cpu,
        "fps": {k: v / args.seconds for k, v in meter.frames.items()},
        "audio_fps": {k: v / args.seconds for k, v in meter.audio.items()},
        "latencies": meter.latencies,
        "peers": len(mesh.peers),
        "profile": [profile.width, profile.height] if profile else None,
        "frames_encoded": fanout.frames_encoded if fanout else 0,
        "encoder_threads": fanout.threads if fanout else 0,
        "rtt_ms": [s.rtt_s * 1000 for s in stats if s.rtt_s is not None][-others:],
    }
    if admitter is not None:
        admitter.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await admitter
    await link.stop()
    await client.close()
    return result


# --------------------------------------------------------------------- the driver


async def run_call(
    experiment: str,
    size: int,
    fanout: str,
    seconds: float,
    credential: str,
    url: str,
    grain: int,
    profile: str = "",
) -> dict[str, Any]:
    env = dict(os.environ, BENCH_CREDENTIAL=credential)
    start = time.time() + 8 + 1.5 * size  # time to start processes and connect everyone
    common = [sys.executable, __file__, "--member", "--experiment", experiment]
    common += ["--grain", str(grain)]
    common += ["--size", str(size), "--fanout", fanout]
    common += ["--start", str(start), "--seconds", str(seconds)]
    facilitator = await asyncio.create_subprocess_exec(
        *common, "--index", "0", "--name", "Member 0", "--url", url,
        stdout=subprocess.PIPE, env=env,
    )  # fmt: skip
    assert facilitator.stdout is not None
    invite = json.loads(await asyncio.wait_for(facilitator.stdout.readline(), 30))["invite"]
    procs = [facilitator]
    for index in range(1, size):
        procs.append(
            await asyncio.create_subprocess_exec(
                *common,
                "--index",
                str(index),
                "--name",
                f"Member {index}",
                "--invite",
                invite,
                stdout=subprocess.PIPE,
                env=env,
            )
        )
    spy = None
    if profile:  # py-spy samples member 0 (the sender) over the window
        await asyncio.sleep(max(0.0, start - time.time()))
        out_path = Path(profile) / f"{experiment}-{size}-{fanout}.txt"
        spy = await asyncio.create_subprocess_exec(
            str(Path(sys.executable).with_name("py-spy")), "record", "--pid",
            str(facilitator.pid), "--duration", str(int(seconds)), "--rate", "200",
            "--format", "raw", "--output", str(out_path), "--nonblocking", "--gil",
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    results = []
    for proc in procs:
        assert proc.stdout is not None
        out = await asyncio.wait_for(proc.stdout.read(), start - time.time() + seconds + 60)
        await proc.wait()
        lines = [line for line in out.decode().splitlines() if line.startswith('{"index"')]
        if lines:
            results.append(json.loads(lines[-1]))
    if spy is not None:
        await spy.wait()
    return summarise(experiment, size, fanout, results)


def summarise(
    experiment: str, size: int, fanout: str, results: list[dict[str, Any]]
) -> dict[str, Any]:
    receivers = [r for r in results if r["index"] != 0]
    sender = next((r for r in results if r["index"] == 0), None)
    joins = [r["join_s"] for r in receivers if r["join_s"] is not None]
    latencies = sorted(x for r in receivers for x in r["latencies"])
    fps = [v for r in receivers for v in r["fps"].values()]
    expected = 1 if experiment in ("sender", "sendonly") else size - 1
    missing = sum(max(0, expected - len(r["fps"])) for r in receivers)
    return {
        "experiment": experiment,
        "size": size,
        "fanout": fanout,
        "members_reporting": len(results),
        "join_median_s": statistics.median(joins) if joins else None,
        "join_max_s": max(joins) if joins else None,
        "joined": f"{len(joins)}/{len(receivers)}",
        "latency_median_ms": latencies[len(latencies) // 2] if latencies else None,
        "latency_p90_ms": latencies[int(len(latencies) * 0.9)] if latencies else None,
        "latency_p95_ms": latencies[int(len(latencies) * 0.95)] if latencies else None,
        "fps_mean": statistics.mean(fps) if fps else 0.0,
        "fps_min": min(fps) if fps else 0.0,
        "streams_missing": missing,
        "fps_by_receiver": {
            r["index"]: {k[-6:]: round(v, 1) for k, v in r["fps"].items()} for r in receivers
        },
        "cpu_receiver_mean_pct": (
            100 * statistics.mean(r["cpu"] for r in receivers) if receivers else None
        ),
        "cpu_sender_pct": 100 * sender["cpu"] if sender else None,
        "encode_cpu_sender_pct": 100 * sender["encode_cpu"] if sender else None,
        "profile": sender["profile"] if sender else None,
        "encoder_threads": sender["encoder_threads"] if sender else None,
    }


async def run_chromium(args: argparse.Namespace) -> dict[str, Any] | str:
    """The Chromium peer baseline (its figures), or why there are none."""
    import chromium_baseline

    reason = chromium_baseline.unavailable()
    if reason:
        return f"skipped, {reason}"
    try:
        result = await chromium_baseline.measure(
            args.seconds, width=WIDTH, height=HEIGHT, fps=FPS, grain=args.grain
        )
    except Exception as error:  # a report, not a test: say so and go on
        return f"failed: {type(error).__name__}: {error}"
    return result


async def driver(args: argparse.Namespace) -> None:
    from groupdesk.server.app import start_server
    from groupdesk.server.credentials import CredentialStore

    sizes = [int(s) for s in args.sizes.split(",")]
    experiments = {
        "both": ["mesh", "sender"],
        "all": ["mesh", "sender", "sendonly"],
    }.get(args.experiment, [args.experiment])
    fanouts = ("on",) if args.quick else ("on", "off")
    chromium: dict[str, Any] | str | None = None  # not run yet
    if args.skip_chromium:
        chromium = "skipped (--skip-chromium)"
    with tempfile.TemporaryDirectory() as state:
        store = CredentialStore(Path(state))
        credential = store.add("bench")
        server = await start_server("127.0.0.1", 0, credentials=store)
        cpus, window = os.cpu_count(), args.seconds
        print(
            f"bench_call: {cpus} CPUs, {window:.0f} s windows, grain {args.grain}, "
            f"server {server.ws_url}"
        )
        rows = []
        try:
            for experiment in experiments:
                for size in sizes:
                    for fanout in fanouts:
                        row = await run_call(
                            experiment,
                            size,
                            fanout,
                            args.seconds,
                            credential,
                            server.ws_url,
                            args.grain,
                            args.profile,
                        )
                        rows.append(row)
                        print(json.dumps(row), flush=True)
                    if chromium is None and (experiment, size) == ("mesh", 2):
                        chromium = await run_chromium(args)  # next to aiortc's 2 members
                        print(json.dumps({"chromium": chromium}), flush=True)
        finally:
            await server.stop()
    if chromium is None:  # no 2-member full mesh in this run: the baseline alone
        chromium = await run_chromium(args)
        print(json.dumps({"chromium": chromium}), flush=True)
    for experiment in experiments:
        print()
        print(
            {
                "mesh": "full mesh: everyone sends video",
                "sender": "one presenter: only member 0 sends video; everyone sends audio "
                "(sender CPU includes receiving N-1 audio streams)",
                "sendonly": "one presenter, the others silent (no audio track): sender CPU "
                "is sending alone",
            }[experiment]
        )
        print(
            f"{'N':>2} {'fan-out':>7} {'join s':>11} {'latency ms':>12} {'fps':>11} "
            f"{'CPU/member':>10} {'sender CPU':>10} {'encoding':>8} {'profile':>9}"
        )
        for row in (r for r in rows if r["experiment"] == experiment):
            join = f"{_f(row['join_median_s'])}/{_f(row['join_max_s'])}"
            latency = f"{_f(row['latency_median_ms'], 0)}/{_f(row['latency_p95_ms'], 0)}"
            fps = f"{row['fps_mean']:.1f}/{row['fps_min']:.1f}"
            profile = "x".join(map(str, row["profile"])) if row["profile"] else "-"
            print(
                f"{row['size']:>2} {row['fanout']:>7} {join:>11} {latency:>12} {fps:>11} "
                f"{_f(row['cpu_receiver_mean_pct'], 0):>9}% {_f(row['cpu_sender_pct'], 0):>9}% "
                f"{_f(row['encode_cpu_sender_pct'], 0):>7}% {profile:>9}"
            )
        for size in sizes:
            pair = [
                r
                for mode in ("on", "off")
                for r in rows
                if (r["experiment"], r["size"], r["fanout"]) == (experiment, size, mode)
            ]
            if len(pair) < 2:
                continue
            on, off = pair
            if on["cpu_sender_pct"] and off["cpu_sender_pct"] and off["encode_cpu_sender_pct"]:
                print(
                    f"N={size}: with fan-out / without: sender CPU "
                    f"{on['cpu_sender_pct'] / off['cpu_sender_pct']:.2f}, encoding CPU "
                    f"{on['encode_cpu_sender_pct'] / off['encode_cpu_sender_pct']:.2f}"
                )
    print_baseline([r for r in rows if (r["experiment"], r["size"]) == ("mesh", 2)], chromium)


def print_baseline(aiortc: list[dict[str, Any]], chromium: dict[str, Any] | str) -> None:
    """aiortc's 2-member figures beside Chromium's, measured in this run."""
    print()
    print(f"peer baseline: 2 members, {WIDTH}x{HEIGHT} at {FPS} fps, VP8, 127.0.0.1")
    if isinstance(chromium, str):
        print(f"chromium: {chromium}")
        if not aiortc:
            return
    print(f"{'peer':<22} {'latency ms':>12} {'fps':>11} {'CPU/member':>10} {'received':>9}")
    print(f"{'':<22} {'median/p90':>12} {'mean/min':>11}")
    for row in aiortc:
        latency = f"{_f(row['latency_median_ms'], 0)}/{_f(row['latency_p90_ms'], 0)}"
        profile = "x".join(map(str, row["profile"])) if row["profile"] else "-"
        print(
            f"{'aiortc, fan-out ' + row['fanout']:<22} {latency:>12} "
            f"{row['fps_mean']:>5.1f}/{row['fps_min']:<5.1f} "
            f"{_f(row['cpu_receiver_mean_pct'], 0):>9}% {profile:>9}"
        )
    if isinstance(chromium, str):
        return
    latency = f"{_f(chromium['latency_median_ms'], 0)}/{_f(chromium['latency_p90_ms'], 0)}"
    received = ",".join(chromium["received_sizes"]) or "-"
    print(
        f"{'chromium':<22} {latency:>12} "
        f"{chromium['fps_mean']:>5.1f}/{chromium['fps_min']:<5.1f} "
        f"{_f(chromium['cpu_per_peer_pct'], 0):>9}% {received:>9}"
    )
    received, to_decoded = chromium["received_latency_median_ms"], chromium["receive_to_decoded_ms"]
    at_decoded = received + to_decoded if received is not None and to_decoded else None
    print(
        f"chromium, where it goes: {_f(received, 0)} ms median at the frame's last packet, "
        f"then a mean {_f(to_decoded, 0)} ms to decoded (jitter buffer "
        f"{_f(chromium['jitter_buffer_ms'], 0)} ms): about {_f(at_decoded, 0)} ms when "
        "decoded, the rest until it is read"
    )
    for row in aiortc:
        ratios = [
            f"{what} {row[key] / chromium[key]:.2f}"
            for what, key in (("median", "latency_median_ms"), ("p90", "latency_p90_ms"))
            if row[key] is not None and chromium[key]
        ]
        if at_decoded and row["latency_median_ms"] is not None:
            ratios.append(
                "median against Chromium's about-decoded "
                f"{row['latency_median_ms'] / at_decoded:.2f}"
            )
        print(
            f"aiortc / chromium (fan-out {row['fanout']}): latency {', '.join(ratios) or '-'}"
            + (
                f", fps {row['fps_mean'] / chromium['fps_mean']:.2f}"
                if chromium["fps_mean"]
                else ""
            )
        )
    pairs = ", ".join(
        "->".join(address or "(peer-reflexive)" for address in pair)
        for pair in chromium["selected_pairs"]
        if pair
    )
    print(
        f"chromium: {chromium['version'] or 'version unknown'}; candidates exchanged: "
        f"{', '.join(chromium['candidates_offered'])}; selected pairs (local->remote): {pairs}; "
        "latency read at requestVideoFrameCallback (decoded and handed to the compositor); "
        "CPU: all Chromium processes / 2"
    )


def _f(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="2,4,6,8")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--experiment", choices=["mesh", "sender", "sendonly", "both", "all"], default="both"
    )
    parser.add_argument(
        "--grain", type=int, default=10, help="sensor-like grain in the test pattern, 0-20"
    )
    parser.add_argument("--smoke", action="store_true", help="N = 2 only, 3 s windows")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="the shortest run that prints every kind of row (CI): N = 2, full mesh, "
        "fan-out on, 2 s windows",
    )
    parser.add_argument(
        "--profile",
        default="",
        metavar="DIR",
        help="sample member 0 with py-spy over each window (collapsed stacks in DIR)",
    )
    parser.add_argument(
        "--skip-chromium", action="store_true", help="leave out the Chromium peer baseline"
    )
    # one member (internal)
    parser.add_argument("--member", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--index", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=2, help=argparse.SUPPRESS)
    parser.add_argument("--name", default="", help=argparse.SUPPRESS)
    parser.add_argument("--url", default="", help=argparse.SUPPRESS)
    parser.add_argument("--invite", default="", help=argparse.SUPPRESS)
    parser.add_argument("--fanout", default="on", help=argparse.SUPPRESS)
    parser.add_argument("--start", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.member:
        print(json.dumps(asyncio.run(member_main(args))), flush=True)
        return
    if args.smoke:
        args.sizes, args.seconds = "2", 3.0
    if args.quick:
        args.sizes, args.seconds, args.experiment = "2", 2.0, "mesh"
    asyncio.run(driver(args))


if __name__ == "__main__":
    main()
