"""A participant's connection drops during a crisis: how long until the facilitator's
crisis panel says so (issue 12: "a drop during a crisis is surfaced within 2 s").

    .venv/bin/python benchmarks/bench_crisis_drop.py [--runs 10] [--silent-runs 3]
        [--quick] [--no-silent]

The facilitator is the desktop app's ``LiveSession`` in this process (offscreen Qt on a
qasync loop, a real session log, the embedded server, real aiortc), with the crisis
panel open (``LiveCrisis.open``) on the one participant: a simulated participant
(``groupdesk.bots``, 160x90 video at 5 fps and speech-like audio) in a process of its
own, started afresh for every run. Timed: from the drop to the ``CrisisAlert``
"dropped" for that seat (what the panel's banner shows at once: "Ana's connection
dropped — call ..."). Beside it, the baseline measured in the same runs: the first
``PeerStateChanged`` away from "connected" that the facilitator's media mesh emits for
that member (the transport's own detection: a goodbye, ICE giving up, or the mesh's
receive watchdog), so the ratio panel / transport is what the app adds on top. In (b),
"back": from the end of the loss to the mesh's "connected" again. One machine, one
monotonic clock (``CLOCK_MONOTONIC`` is system-wide, so the participant's stamp and ours
compare).

(a) clean drop: the participant hangs up without leaving (``Bot.drop``: its media
connections and its socket close, each saying goodbye), stamped just before.

(b) silent network loss: the participant sits in a network namespace of its own,
reached through a veth pair (10.231.0.1 here, 10.231.0.2 there: addresses inside
namespaces this script makes, never on the host's network); at the stamp both ends of
the pair get a ``pfifo limit 0`` queue, so every packet either way vanishes without
an error or a goodbye (this machine's kernel has no netem and no tc filters; the
qdisc is what it has). Needs root (the script then re-runs itself in a private
network namespace via ``unshare --net``, as the tests run); else (b) is skipped and
says why, and (a) runs on loopback. Every wait is bounded (``--silent-timeout``).

Printed per case: each run's figures, then p50 / p95 / max of the panel and of the
transport, the ratio, and whether the panel's p95 and max are under 2 s. No assertion:
this is a report. ``--quick`` (the CI smoke test): 2 clean runs and 1 silent run with
a short timeout (it reports the loss as not seen in time if so).
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
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

TARGET_S = 2.0
HERE, THERE = "10.231.0.1", "10.231.0.2"  # the veth pair, inside our own namespaces
VETH_HERE, VETH_THERE = "gdcrisis0", "gdcrisis1"
IN_NETNS = "GROUPDESK_BENCH_CRISIS_NETNS"


# --------------------------------------------------------------------- the participant


async def participant_main(loopback: bool) -> None:
    """A bot that knocks with the invite read on stdin, reports its seat once its media
    is up, and on "drop" stamps the time and hangs up without leaving."""
    from groupdesk.bots import Bot, BotBehaviour
    from groupdesk.core.protocol import parse_invite_link
    from groupdesk.media.ice import follow_server

    if loopback:
        follow_server("127.0.0.1")
    invite = parse_invite_link(sys.stdin.readline().strip())
    behaviour = BotBehaviour(
        width=160, height=90, fps=5, receive_video=False, hand_raises_per_minute=0, chatter=True
    )
    bot = Bot("Ana", 0, behaviour)
    await bot.join(invite, timeout=60)
    await bot.wait_meshed(timeout=60)
    print(json.dumps({"member": bot.member_id}), flush=True)
    loop = asyncio.get_running_loop()
    command = await loop.run_in_executor(None, sys.stdin.readline)
    if command.strip() == "drop":
        print(json.dumps({"dropped_at": time.monotonic()}), flush=True)
        await bot.drop()
        await loop.run_in_executor(None, sys.stdin.readline)  # until told to end
    else:
        await bot.leave()


# --------------------------------------------------------------------- the network


def _until_own_namespace(ns: str) -> None:
    """Wait (5 s at most) until ``unshare`` has moved its process into a namespace."""
    deadline = time.monotonic() + 5
    while os.readlink(ns) == os.readlink("/proc/self/ns/net"):
        if time.monotonic() > deadline:
            raise RuntimeError("the participant's namespace did not appear")
        time.sleep(0.02)


async def forward(host: str, port: int) -> asyncio.Server:
    """Relay TCP from ``host:port`` to the embedded server on ``127.0.0.1:port``: the app
    serves on loopback only without TLS, and the participant is behind the veth."""

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except OSError:
            pass  # the other side went (reset, or timed out behind the cut): so does this
        finally:
            writer.close()

    async def relay(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", port)
        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

    return await asyncio.start_server(relay, host, port)


@dataclass
class Network:
    """Where the participant runs: loopback, or a namespace of its own behind a veth."""

    host: str = "127.0.0.1"
    holder: subprocess.Popen[bytes] | None = None
    why_not: str = ""
    """Why there is no separate namespace (so no silent loss), if there is none."""

    @classmethod
    def make(cls, want: bool) -> Network:
        if not want:
            return cls(why_not="not asked (--no-silent)")
        if os.environ.get(IN_NETNS) != "1":
            return cls(why_not="not root (no network namespace of our own to cut)")
        holder = subprocess.Popen(["unshare", "--net", "sleep", "3600"])
        net = cls(HERE, holder)
        ns = f"/proc/{holder.pid}/ns/net"
        try:
            _until_own_namespace(ns)
            for command in (
                f"ip link add {VETH_HERE} type veth peer name {VETH_THERE} netns {holder.pid}",
                f"ip addr add {HERE}/30 dev {VETH_HERE}",
                f"ip link set {VETH_HERE} up",
            ):
                subprocess.run(command.split(), check=True, capture_output=True)
            for command in (
                "ip link set lo up",
                f"ip addr add {THERE}/30 dev {VETH_THERE}",
                f"ip link set {VETH_THERE} up",
            ):
                subprocess.run(
                    ["nsenter", f"--net={ns}", *command.split()], check=True, capture_output=True
                )
        except (OSError, RuntimeError, subprocess.CalledProcessError) as error:
            net.close()
            detail = getattr(error, "stderr", b"") or b""
            return cls(why_not=f"no veth pair here: {error} {detail.decode().strip()}")
        return net

    @property
    def separate(self) -> bool:
        return self.holder is not None

    def prefix(self) -> list[str]:
        if self.holder is None:
            return []
        return ["nsenter", f"--net=/proc/{self.holder.pid}/ns/net"]

    def cut(self, on: bool) -> None:
        """Every packet either way vanishes (a queue of length 0 on both ends), or not."""
        assert self.holder is not None
        action = "replace" if on else "del"
        tail = ["root", "pfifo", "limit", "0"] if on else ["root"]
        subprocess.run(["tc", "qdisc", action, "dev", VETH_HERE, *tail], check=True)
        subprocess.run(
            [*self.prefix(), "tc", "qdisc", action, "dev", VETH_THERE, *tail], check=True
        )

    def close(self) -> None:
        if self.holder is not None:
            self.holder.terminate()  # its namespace, and the veth pair, go with it
            self.holder.wait(10)
            self.holder = None


# --------------------------------------------------------------------- the facilitator


@dataclass
class Run:
    panel_s: float | None
    transport_s: float | None
    transport_state: str
    note: str = ""
    back_s: float | None = None
    """(b) only: from the end of the loss to the mesh's "connected" again."""


@dataclass
class Case:
    name: str
    runs: list[Run] = field(default_factory=list)


class Facilitator:
    """The desktop's live session, its room open on the embedded server."""

    def __init__(self, host: str, data_dir: Path) -> None:
        from groupdesk.ui.live_session import LiveSession

        self.host = host
        self.data_dir = data_dir
        self.live = LiveSession()
        self.log: Any = None
        self.relay: asyncio.Server | None = None

    async def open(self) -> None:
        from groupdesk.core.policy_values import load_policy
        from groupdesk.media.sources import SwitchableSpeechSource, TestPatternSource
        from groupdesk.sessionlog import KeyStore, SessionLog
        from groupdesk.ui import live_entry

        if self.host != "127.0.0.1":
            # The app keeps ICE on loopback when its server is there; its participant is
            # behind the veth here, so every interface (lo and the veth) is offered.
            live_entry.follow_server = lambda _host: None
        key = KeyStore(self.data_dir).create(passphrase="benchmark passphrase").key
        self.log = log = await SessionLog.open(self.data_dir, key)
        group = await log.create_group("Proches aidants")
        member = await log.add_member(group.id, "Ana")
        start = datetime.now(UTC)
        session = await log.create_session(
            group.id,
            start,
            start + timedelta(hours=2),
            facilitators=["Julie Tremblay"],
            expected_member_ids=[member.id],
        )
        opened = await self.live.open_room(
            log,
            session.id,
            sources=lambda: (
                TestPatternSource("Julie Tremblay", 160, 90, fps=5),
                SwitchableSpeechSource(),
            ),
            policy=load_policy(),
        )
        if not opened:
            raise RuntimeError(f"the room did not open: {self.live.problem}")
        server = self.live.server
        if self.host != "127.0.0.1" and server is not None:
            self.relay = await forward(self.host, server.port)

    async def close(self) -> None:
        await self.live.crisis.close_all()
        await self.live.close()
        if self.relay is not None:
            self.relay.close()
        if self.log is not None:
            await self.log.close()

    async def one_run(self, net: Network, silent: bool, timeout: float) -> Run:
        from groupdesk.core.session.crisis import CrisisAlert
        from groupdesk.core.session.room_state import PeerState
        from groupdesk.media.events import MediaEvent, PeerStateChanged

        live = self.live
        args = [*net.prefix(), sys.executable, __file__, "--participant"]
        if not net.separate:
            args.append("--loopback")
        proc = await asyncio.create_subprocess_exec(
            *args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
        )
        assert proc.stdin is not None
        assert proc.stdout is not None
        try:
            invite = live.invite.replace("127.0.0.1", net.host) if net.separate else live.invite
            proc.stdin.write(invite.encode() + b"\n")
            await proc.stdin.drain()
            await until(lambda: bool(live.room.lobby.admissible()), 60, "the knock")
            await live.admit_all()
            line = await asyncio.wait_for(proc.stdout.readline(), 90)
            seat = json.loads(line)["member"]
            await until(
                lambda: seat in live.members and live.members[seat].state is PeerState.CONNECTED,
                60,
                "the media link",
            )
            if not live.crisis.open(seat):
                raise RuntimeError("the crisis panel did not open")
            panel_at: list[float] = []
            transport: list[tuple[float, str]] = []
            back_at: list[float] = []
            restored_at: list[float] = []

            def alerted(alert: CrisisAlert) -> None:
                if alert.seat == seat and alert.kind == "dropped" and not panel_at:
                    panel_at.append(time.monotonic())

            def media(event: MediaEvent) -> None:
                if not isinstance(event, PeerStateChanged) or event.member_id != seat:
                    return
                if event.state is not PeerState.CONNECTED and not transport:
                    transport.append((time.monotonic(), event.state.value))
                elif event.state is PeerState.CONNECTED and restored_at and not back_at:
                    back_at.append(time.monotonic())

            live.crisis.alerted.connect(alerted)
            mesh = live.mesh
            assert mesh is not None
            unsubscribe = mesh.events.subscribe(media)
            await asyncio.sleep(1.0)  # media flowing both ways for a moment
            try:
                if silent:
                    dropped_at = time.monotonic()
                    net.cut(True)
                else:
                    proc.stdin.write(b"drop\n")
                    await proc.stdin.drain()
                    line = await asyncio.wait_for(proc.stdout.readline(), 30)
                    dropped_at = json.loads(line)["dropped_at"]
                with contextlib.suppress(TimeoutError):  # reported as not seen
                    await until(lambda: bool(panel_at and transport), timeout, "the drop")
                if silent:
                    restored_at.append(time.monotonic())
                    net.cut(False)
                    with contextlib.suppress(TimeoutError):  # reported as not seen
                        await until(lambda: bool(back_at), 15.0, "the return")
            finally:
                unsubscribe()
                live.crisis.alerted.disconnect(alerted)
                if silent and not restored_at:
                    net.cut(False)
            await live.crisis.close(seat)
            await live.remove(seat)  # free the seat for the next run
            return Run(
                panel_at[0] - dropped_at if panel_at else None,
                transport[0][0] - dropped_at if transport else None,
                transport[0][1] if transport else "-",
                "" if panel_at else f"not seen within {timeout:.0f} s",
                back_at[0] - restored_at[0] if back_at and restored_at else None,
            )
        finally:
            if proc.returncode is None:
                proc.stdin.write(b"end\n")
                try:
                    await asyncio.wait_for(proc.wait(), 10)
                except TimeoutError:
                    proc.kill()
                    await proc.wait()


async def until(check: Any, timeout: float, what: str) -> None:
    """Wait until ``check()`` holds (every 10 ms), or TimeoutError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


# --------------------------------------------------------------------- the report


def quantiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95, ordered[-1]


def report(case: Case) -> None:
    print()
    print(case.name)
    print(f"{'run':>4} {'panel s':>9} {'transport s':>12}  transport said")
    for index, run in enumerate(case.runs, 1):
        panel = f"{run.panel_s:9.3f}" if run.panel_s is not None else f"{'-':>9}"
        transport = f"{run.transport_s:12.3f}" if run.transport_s is not None else f"{'-':>12}"
        print(f"{index:>4} {panel} {transport}  {run.transport_state} {run.note}".rstrip())
    panels = [r.panel_s for r in case.runs if r.panel_s is not None]
    transports = [r.transport_s for r in case.runs if r.transport_s is not None]
    missed = len(case.runs) - len(panels)
    if not panels:
        print(f"panel: not seen in any of {len(case.runs)} runs; under {TARGET_S:.0f} s: no")
        return
    p50, p95, top = quantiles(panels)
    under = "yes" if top < TARGET_S and not missed else "no"
    print(
        f"panel: p50 {p50:.3f} s  p95 {p95:.3f} s  max {top:.3f} s"
        f"  ({len(panels)} runs, {missed} not seen)  under {TARGET_S:.0f} s: {under}"
    )
    if transports:
        t50, t95, tmax = quantiles(transports)
        ratio = p50 / t50 if t50 > 0 else float("nan")
        added = [
            r.panel_s - r.transport_s
            for r in case.runs
            if r.panel_s is not None and r.transport_s is not None
        ]
        print(
            f"transport (baseline): p50 {t50:.3f} s  p95 {t95:.3f} s  max {tmax:.3f} s;"
            f"  panel / transport at p50: {ratio:.2f}"
        )
        if added:
            print(f"what the app adds (panel - transport, per run): max {1000 * max(added):.1f} ms")
    backs = [r.back_s for r in case.runs if r.back_s is not None]
    if backs:
        b50, b95, bmax = quantiles(backs)
        print(
            f"back (loss over -> connected): p50 {b50:.3f} s  p95 {b95:.3f} s  max {bmax:.3f} s"
            f"  ({len(backs)} runs)"
        )


SILENT_NOTE = """\
what detects a silent loss: the mesh's receive watchdog (groupdesk.media.watchdog).
Every member sends audio all the time (silence frames too when muted: 50 packets a
second, no DTX), so a connected peer from which no audio (nor video) has arrived for
1 s is reported "reconnecting", checked every 0.1 s, and the panel says "dropped"; it
is "connected" again once media has flowed 0.3 s. Without it, only aioice's ICE consent
freshness notices (RFC 7675: a check every ~5 s, 6 misses, so about 30 s): the server
relays no "connection lost" (its WebSocket heartbeat, 20 s, only closes the socket, and
the seat is freed after the grace period, 60 s, as MemberLeft). A peer that never sent
audio (a page without a microphone) is left to ICE."""


async def driver(args: argparse.Namespace) -> None:
    net = Network.make(not args.no_silent)
    separate = net.separate
    print(f"bench_crisis_drop: cores {os.cpu_count()}, load {os.getloadavg()[0]:.1f}")
    where = f"its own namespace via a veth ({net.host})" if net.separate else "loopback"
    print(f"participant: a bot in its own process, on {where}")
    cases = [Case("(a) clean drop: the participant hangs up without leaving")]
    silent = Case("(b) silent network loss: every packet either way vanishes")
    try:
        with tempfile.TemporaryDirectory(prefix="bench-crisis-") as folder:
            fac = Facilitator(net.host, Path(folder) / "log")
            await fac.open()
            try:
                for _ in range(args.runs):
                    cases[0].runs.append(await fac.one_run(net, False, 15.0))
                if net.separate:
                    cases.append(silent)
                    for _ in range(args.silent_runs):
                        silent.runs.append(await fac.one_run(net, True, args.silent_timeout))
            finally:
                await fac.close()
    finally:
        net.close()
    for case in cases:
        report(case)
    if not separate:
        print()
        print(f"(b) silent network loss: skipped: {net.why_not}")
    print()
    print(SILENT_NOTE)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="clean drops timed")
    parser.add_argument("--silent-runs", type=int, default=3, help="silent losses timed")
    parser.add_argument(
        "--silent-timeout", type=float, default=60.0, help="how long to wait for a silent loss"
    )
    parser.add_argument("--quick", action="store_true", help="2 clean runs, 1 silent, 10 s")
    parser.add_argument("--no-silent", action="store_true", help="skip the silent loss")
    parser.add_argument("--participant", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--loopback", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.participant:
        asyncio.run(participant_main(args.loopback))
        return
    if args.quick:
        args.runs, args.silent_runs, args.silent_timeout = 2, 1, 10.0
    if args.runs < 1 or args.silent_runs < 0 or args.silent_timeout <= 0:
        parser.error("--runs >= 1, --silent-runs >= 0, --silent-timeout > 0")
    wants_netns = not args.no_silent and os.environ.get(IN_NETNS) != "1"
    if wants_netns and os.geteuid() == 0 and shutil.which("unshare") and shutil.which("tc"):
        # Our own network namespace: the veth pair and its queues touch nothing else.
        env = {**os.environ, IN_NETNS: "1"}
        command = [sys.executable, __file__, *sys.argv[1:]]
        result = subprocess.run(
            ["unshare", "--net", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *command],
            env=env,
            check=False,
        )
        sys.exit(result.returncode)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(driver(args))


if __name__ == "__main__":
    main()
