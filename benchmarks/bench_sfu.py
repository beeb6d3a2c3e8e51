"""Mesh against SFU (Janus) in the same run: what each member uploads and downloads.

    .venv/bin/python benchmarks/bench_sfu.py [--sizes 4,6,8,12] [--seconds 10] [--quick]

For each group size, two calls through the real signalling server: a mesh (every
member sends to every other) and an SFU room (every member publishes once to Debian's
Janus, which forwards each stream to the others). Every member is its own process
with a 640x360, 15 fps test pattern (with grain, so it costs the encoder what a camera
would; a mesh lowers it as the group grows, as the app does) and speech-like audio.
Printed per size and mode, over the members:

- upload and download: kbit/s of UDP payload (RTP, RTCP, DTLS and STUN) each member's
  ICE sockets sent and received over the window (mean and max over members);
- CPU: % of one core per member process (mean and max);
- latency: glass-to-glass p95 (frame stamp drawn at capture to the decoded frame), ms;
- fps: decoded frames per second per remote member (mean);
- join: seconds from admission until video from every other member is decoded
  (median and worst).

And the ratio SFU / mesh of the mean upload; issue 16's goal: SFU upload at most
1 Mbit/s per member at 360p.

It needs Janus (``apt install janus``) and a private network namespace: when this
process sees other interfaces it runs itself again under ``unshare --net``. Janus
gathers on no loopback interface, so the benchmark adds one of its own in that
namespace, as the tests do (tests/janus_harness.py: 127.0.0.2 for Janus, 127.0.0.3
for the members). One machine runs every
member: read the figures with the core count printed. No assertion: this is a report.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
for _path in (REPO / "src", REPO / "tests"):  # tests/janus_harness.py: Janus as the tests run it
    sys.path.insert(0, str(_path))

import aioice.ice  # noqa: E402

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
from groupdesk.media import ice  # noqa: E402
from groupdesk.media.call import MediaCall  # noqa: E402
from groupdesk.media.link import MeshLink, make_call  # noqa: E402
from groupdesk.media.sources import (  # noqa: E402
    SpeechLikeAudioSource,
    TestPatternSource,
    read_frame_stamp,
)
from groupdesk.signaling.client import SignalingClient  # noqa: E402

WIDTH, HEIGHT, FPS = 640, 360, 15
GOAL_KBPS = 1000.0
READY_SECONDS = 60.0
"""How long a member waits for everyone's video before the window starts anyway."""


# --------------------------------------------------------------------- one member

_BYTES = {"up": 0, "down": 0}


def _count_udp() -> None:
    """Benchmark-only instrumentation: every byte aioice's sockets send and receive."""
    send, receive = aioice.ice.StunProtocol.send_data, aioice.ice.StunProtocol.datagram_received

    async def send_data(self: Any, data: bytes, addr: tuple[str, int]) -> None:
        _BYTES["up"] += len(data)
        await send(self, data, addr)

    def send_stun(self: Any, message: Any, addr: tuple[str, int]) -> None:
        data = bytes(message)
        _BYTES["up"] += len(data)
        self.transport.sendto(data, addr)

    def datagram_received(self: Any, data: bytes | str, addr: tuple[Any, ...]) -> None:
        _BYTES["down"] += len(data)
        receive(self, data, addr)

    aioice.ice.StunProtocol.send_data = send_data  # type: ignore[method-assign]
    aioice.ice.StunProtocol.send_stun = send_stun  # type: ignore[method-assign]
    aioice.ice.StunProtocol.datagram_received = datagram_received  # type: ignore[method-assign]


class Meter:
    """The member's sink: first video per member, frames and stamps in the window."""

    def __init__(self) -> None:
        self.window: tuple[float, float] | None = None
        self.first_video: dict[str, float] = {}
        self.frames: dict[str, int] = {}
        self.latencies: list[int] = []

    def video_frame(self, member_id: str, frame: Any) -> None:
        self.first_video.setdefault(member_id, time.monotonic())
        now = time.time()
        if self.window is not None and self.window[0] <= now < self.window[1]:
            self.frames[member_id] = self.frames.get(member_id, 0) + 1
            stamp = read_frame_stamp(frame)
            if stamp is not None:
                self.latencies.append(stamp.age_ms())

    def audio_frame(self, member_id: str, frame: Any) -> None:
        pass


async def member_main(args: argparse.Namespace) -> dict[str, Any]:
    _count_udp()
    from janus_harness import MEMBERS_ADDRESS  # where Janus can answer (see there)

    ice.restrict_host_addresses((MEMBERS_ADDRESS,) if args.mode == "sfu" else ("127.0.0.1",))
    meter = Meter()
    client = SignalingClient()
    admitted_at: list[float] = []

    def make(admitted: Admitted) -> MediaCall:
        admitted_at.append(time.monotonic())
        return make_call(
            admitted,
            client,
            video=TestPatternSource(args.name, WIDTH, HEIGHT, FPS, grain=8),
            audio=SpeechLikeAudioSource(seed=args.index),
            sink=meter,
        )

    link = MeshLink(client, make)
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
    call = await asyncio.wait_for(link.ready(), READY_SECONDS)
    others = args.size - 1
    # Ready when video from every other member is decoded (or after READY_SECONDS):
    # the driver then gives everyone the same start, however slowly processes came up.
    waited = time.monotonic() + READY_SECONDS
    while len(meter.first_video) < others and time.monotonic() < waited:
        await asyncio.sleep(0.05)
    join_s = (
        max(meter.first_video.values()) - admitted_at[0]
        if len(meter.first_video) >= others
        else None
    )
    print(json.dumps({"ready": args.index}), flush=True)
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    start = float(line)
    meter.window = (start, start + args.seconds)
    await asyncio.sleep(max(0.0, start - time.time()))
    cpu0, wall0 = time.process_time(), time.monotonic()
    up0, down0 = _BYTES["up"], _BYTES["down"]
    await asyncio.sleep(args.seconds)
    elapsed = time.monotonic() - wall0
    result = {
        "index": args.index,
        "media": call.media,
        "join_s": join_s,
        "cpu": (time.process_time() - cpu0) / elapsed,
        "up_kbps": (_BYTES["up"] - up0) * 8 / elapsed / 1000,
        "down_kbps": (_BYTES["down"] - down0) * 8 / elapsed / 1000,
        "fps": [v / args.seconds for v in meter.frames.values()],
        "latencies": meter.latencies,
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
    mode: str, size: int, seconds: float, credential: str, url: str
) -> dict[str, Any]:
    env = dict(os.environ, BENCH_CREDENTIAL=credential)
    common = [sys.executable, __file__, "--member", "--mode", mode, "--size", str(size)]
    common += ["--seconds", str(seconds)]
    pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "env": env}
    first = await asyncio.create_subprocess_exec(
        *common, "--index", "0", "--name", "Member 0", "--url", url, **pipes
    )
    assert first.stdout is not None
    invite = json.loads(await asyncio.wait_for(first.stdout.readline(), 60))["invite"]
    procs = [first]
    for index in range(1, size):
        member = [*common, "--index", str(index), "--name", f"Member {index}", "--invite", invite]
        procs.append(await asyncio.create_subprocess_exec(*member, **pipes))
    for proc in procs:  # everyone connected (or gave up waiting)
        assert proc.stdout is not None
        while b'"ready"' not in await asyncio.wait_for(proc.stdout.readline(), READY_SECONDS + 90):
            pass
    start = time.time() + 1.0
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(f"{start}\n".encode())
        await proc.stdin.drain()
    results = []
    for proc in procs:
        assert proc.stdout is not None
        out = await asyncio.wait_for(proc.stdout.read(), seconds + 90)
        await proc.wait()
        lines = [line for line in out.decode().splitlines() if line.startswith('{"index"')]
        if lines:
            results.append(json.loads(lines[-1]))
    return summarise(mode, size, results)


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def summarise(mode: str, size: int, results: list[dict[str, Any]]) -> dict[str, Any]:
    latencies = sorted(x for r in results for x in r["latencies"])
    joins = sorted(r["join_s"] for r in results if r["join_s"] is not None)
    return {
        "mode": mode,
        "size": size,
        "members": len(results),
        "media": sorted({r["media"] for r in results}),
        "up_mean": _mean([r["up_kbps"] for r in results]),
        "up_max": max((r["up_kbps"] for r in results), default=None),
        "down_mean": _mean([r["down_kbps"] for r in results]),
        "down_max": max((r["down_kbps"] for r in results), default=None),
        "cpu_mean": _mean([r["cpu"] * 100 for r in results]),
        "cpu_max": max((r["cpu"] * 100 for r in results), default=None),
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] if latencies else None,
        "fps": _mean([f for r in results for f in r["fps"]]),
        "join_median": statistics.median(joins) if joins else None,
        "join_worst": joins[-1] if joins else None,
        "joined": len(joins),
    }


async def driver(args: argparse.Namespace) -> None:
    from groupdesk.server.app import ServerConfig, start_server
    from groupdesk.server.credentials import CredentialStore
    from groupdesk.server.rooms import RoomRules
    from janus_harness import running_janus, sfu_config

    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"bench_sfu: {os.cpu_count()} cores, {WIDTH}x{HEIGHT} at {FPS} fps, {args.seconds:g} s")
    print(f"load average at the start: {os.getloadavg()[0]:.1f}")
    rows: list[dict[str, Any]] = []
    async with running_janus() as janus:
        store = CredentialStore(None, cost=2**10)
        credential = store.add("bench")
        for size in sizes:
            rules = RoomRules(max_members=max(size, 2))
            for mode in ("mesh", "sfu"):
                sfu = sfu_config(janus) if mode == "sfu" else None
                config = ServerConfig(rules=rules, sfu=sfu)
                server = await start_server("127.0.0.1", 0, config=config, credentials=store)
                try:
                    row = await run_call(mode, size, args.seconds, credential, server.ws_url)
                finally:
                    await server.stop()
                rows.append(row)
                _print_row(row)
    _print_summary(rows)


def _f(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _print_row(r: dict[str, Any]) -> None:
    print(
        f"{r['size']:>2} members {r['mode']:<4} ({'/'.join(r['media'])}, {r['members']} reported):"
        f" up {_f(r['up_mean'])} (max {_f(r['up_max'])}) kbit/s,"
        f" down {_f(r['down_mean'])} (max {_f(r['down_max'])}) kbit/s,"
        f" CPU {_f(r['cpu_mean'])}% (max {_f(r['cpu_max'])}%),"
        f" p95 {_f(r['p95_ms'])} ms, {_f(r['fps'], 1)} fps,"
        f" join {_f(r['join_median'], 1)}/{_f(r['join_worst'], 1)} s"
        f" ({r['joined']}/{r['members']} saw everyone)",
        flush=True,
    )


def _print_summary(rows: list[dict[str, Any]]) -> None:
    print("SFU / mesh, mean upload per member:")
    met = True
    for size in sorted({r["size"] for r in rows}):
        mesh = next((r for r in rows if r["size"] == size and r["mode"] == "mesh"), None)
        sfu = next((r for r in rows if r["size"] == size and r["mode"] == "sfu"), None)
        if mesh is None or sfu is None or not mesh["up_mean"] or sfu["up_mean"] is None:
            print(f"  {size:>2} members: -")
            met = False
            continue
        ratio = sfu["up_mean"] / mesh["up_mean"]
        met = met and sfu["up_max"] is not None and sfu["up_max"] <= GOAL_KBPS
        print(
            f"  {size:>2} members: {ratio:.2f} (SFU {sfu['up_mean']:.0f},"
            f" mesh {mesh['up_mean']:.0f} kbit/s);"
            f" SFU down / mesh down {_ratio(sfu['down_mean'], mesh['down_mean'])}"
        )
    verdict = "met" if met else "NOT met"
    print(f"goal: SFU upload at most {GOAL_KBPS:.0f} kbit/s for every member: {verdict}")


def _ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or not b else f"{a / b:.2f}"


def _in_private_namespace(argv: list[str]) -> int | None:
    """Run again under ``unshare --net`` (its exit code), or None if already private."""
    from groupdesk.server.coturn import only_loopback_network

    if only_loopback_network():
        return None
    if shutil.which("unshare") is None:
        print("bench_sfu: skipped, needs unshare (util-linux) for a private network")
        return 0
    script = 'ip link set lo up && exec "$0" "$@"'
    command = ["unshare", "--net", "sh", "-c", script, sys.executable, __file__, *argv]
    return subprocess.run(command, check=False).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="4,6,8,12")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--quick", action="store_true", help="a CI smoke run: 3 members, 3 s")
    parser.add_argument("--member", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="mesh", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=2, help=argparse.SUPPRESS)
    parser.add_argument("--index", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--name", default="Member", help=argparse.SUPPRESS)
    parser.add_argument("--url", default="", help=argparse.SUPPRESS)
    parser.add_argument("--invite", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.member:
        print(json.dumps(asyncio.run(member_main(args))), flush=True)
        return 0
    code = _in_private_namespace(sys.argv[1:])
    if code is not None:
        return code
    from groupdesk.server import janus

    if shutil.which("janus") is None or janus.find_library_dir() is None:
        print("bench_sfu: skipped, needs Janus (apt install janus)")
        return 0
    if args.quick:
        args.sizes, args.seconds = "3", 3.0
    asyncio.run(asyncio.wait_for(driver(args), 3600))
    return 0


if __name__ == "__main__":
    sys.exit(main())
