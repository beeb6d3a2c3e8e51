"""Speaking turns through the real mesh: talk time against a scripted truth, and how fast
the turn state reaches everyone.

    .venv/bin/python benchmarks/bench_turns.py [--talk-bots 4] [--members 8]
        [--actions 50] [--seed 1] [--skip-talk] [--skip-propagation]

The real signalling server runs in this process on 127.0.0.1, with a facilitator
harness: a signalling client and a media mesh (as the tests use them) around the core's
``TurnDesk``, fed as the desktop's live session feeds it (members' seats, hands, passes,
mute states, and the mesh's ``VoiceActivity`` events), its broadcasts sent to the room.
The bots (``groupdesk.bots``) are audio only: no camera, no video received. No
assertion: this is a report.

(a) Talk time. ``--talk-bots`` bots play seeded speech scripts (bursts of 2-5 s over
about 15 s; every other bot is muted during part of a burst, and one burst of the last
bot is muted whole). The truth is what each bot's microphone sent unmuted
(``bot.spoken_seconds()``). Per member: the truth, the talk time the manager measured,
the error in %, and the same measure with a meter that takes the voice detector's
events at their word (no allowance for its attack and hangover), to show that bias.
The issue's target: within 5% per member.

(b) Propagation at ``--members`` members: the facilitator and members - 1 bots, each bot
in a process of its own, as each member has its own computer (``--in-process``: all in
this one, whose event loop then carries every member's audio). ``--actions`` times the
facilitator gives the floor to a bot, ends the turn, lowers a hand, or a bot's hand goes
up (applied by the harness as if the bot had sent it, so that every action starts at the
facilitator); the desk broadcasts the new state, and the time until every bot holds it
(``bot.turn_log``, stamped on arrival; one machine, one clock) is measured. Printed:
p50 / p95 / max of the time until every member has it, of each single delivery, and how
late this process's event loop wakes (the load every message waits behind).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from groupdesk.bots import Bot, BotBehaviour, BotSwarm, SpeechScript, run_bots  # noqa: E402
from groupdesk.core.protocol import (  # noqa: E402
    Admit,
    Admitted,
    ClientApp,
    FacilitatorHello,
    Lobby,
    MemberJoined,
    MemberLeft,
    OpenRoom,
    RaiseHand,
    RequestMute,
    RoomOpened,
    ServerApp,
    ServerMessage,
    TurnState,
    parse_invite_link,
)
from groupdesk.core.session import turn_events as te  # noqa: E402
from groupdesk.core.session.turn_desk import AskMute, Broadcast, DeskOutput, TurnDesk  # noqa: E402
from groupdesk.core.session.turns import TurnManager, TurnSettings  # noqa: E402
from groupdesk.media.events import MediaEvent, VoiceActivity  # noqa: E402
from groupdesk.media.ice import follow_server  # noqa: E402
from groupdesk.media.levels import VadConfig  # noqa: E402
from groupdesk.media.link import MeshLink, ice_servers  # noqa: E402
from groupdesk.media.mesh import Mesh  # noqa: E402
from groupdesk.media.sources import SwitchableSpeechSource  # noqa: E402
from groupdesk.server.app import start_server  # noqa: E402
from groupdesk.server.credentials import CredentialStore  # noqa: E402
from groupdesk.signaling.client import SignalingClient  # noqa: E402

VAD = VadConfig()
SETTINGS = TurnSettings(voice_attack_seconds=VAD.attack_s, voice_hangover_seconds=VAD.hangover_s)
"""The desk's settings: its talk-time meter knows the mesh's detector delays."""
BOTS = BotBehaviour(
    send_video=False,
    receive_video=False,
    hand_raises_per_minute=0,
    speak_seconds=(1.0, 3.0),
    pass_probability=0.0,
)


async def until(check: object, timeout: float, what: str) -> None:
    """Wait until ``check()`` holds (every 10 ms), or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


class Facilitator:
    """The facilitator's side: signalling, an audio-only silent mesh, and the core's
    ``TurnDesk`` fed by the room and the mesh as the desktop's live session feeds it; a
    second desk, fed the same, whose meter takes the detector at its word."""

    def __init__(self) -> None:
        self.client = SignalingClient()
        self.messages: list[ServerMessage] = []
        self.member_id = ""
        self.desk: TurnDesk | None = None
        self.naive: TurnDesk | None = None
        self.voice: dict[str, bool] = {}
        self.tasks: set[asyncio.Task[TurnState | None]] = set()
        self.link = MeshLink(self.client, self._make_mesh)
        self.client.on_message(self._on_message)

    @property
    def turns(self) -> TurnManager:
        assert self.desk is not None
        return self.desk.manager

    def _make_mesh(self, admitted: Admitted) -> Mesh:
        mesh = Mesh(
            admitted.member,
            self.client,
            ice_servers=ice_servers(admitted),
            audio=SwitchableSpeechSource(),  # silent
            vad=VAD,
            stats_interval=None,
        )
        mesh.events.subscribe(self._on_media)
        return mesh

    def _on_media(self, event: MediaEvent) -> None:
        desk, naive = self.desk, self.naive
        if not isinstance(event, VoiceActivity) or desk is None or naive is None:
            return
        if event.member_id != self.member_id:
            self.voice[event.member_id] = event.speaking
            naive.voice(event.member_id, event.speaking, event.at)
            outputs = desk.voice(event.member_id, event.speaking, event.at)
            if outputs:
                task = asyncio.get_running_loop().create_task(self.do(outputs))
                self.tasks.add(task)
                task.add_done_callback(self.tasks.discard)

    async def _on_message(self, message: ServerMessage) -> None:
        self.messages.append(message)
        if isinstance(message, Admitted) and self.desk is None:
            self.member_id = message.member
            self.desk = TurnDesk(message.member, SETTINGS)
            self.naive = TurnDesk(message.member, TurnSettings())
            for info in message.members:
                self.naive.joined(info.member, info.role)
                await self.do(self.desk.joined(info.member, info.role))
        desk, naive = self.desk, self.naive
        if desk is None or naive is None:
            return
        if isinstance(message, MemberJoined):
            info = message.member
            naive.joined(info.member, info.role)
            await self.do([*desk.joined(info.member, info.role), *desk.resend()])
        elif isinstance(message, MemberLeft):
            naive.left(message.member)
            await self.do(desk.left(message.member))
        elif isinstance(message, ServerApp):
            naive.received(message.sender, message.event)
            await self.do(desk.received(message.sender, message.event))

    async def do(self, outputs: list[DeskOutput]) -> TurnState | None:
        """Send the broadcasts and mute requests the desk asks for; returns the state sent."""
        sent = None
        for output in outputs:
            if isinstance(output, Broadcast):
                sent = output.state
                await self.client.send(ClientApp(event=output.state))
            elif isinstance(output, AskMute):
                for member in output.members:
                    await self.client.send(RequestMute(member=member))
        return sent

    async def open(self, ws_url: str, credential: str) -> str:
        await self.client.connect(ws_url)
        await self.client.send(FacilitatorHello(name="bench", credential=credential))
        await self.client.send(OpenRoom())
        await until(lambda: self.desk is not None, 30, "the room")
        return next(m.invite for m in self.messages if isinstance(m, RoomOpened))

    async def admit(self, count: int) -> None:
        def lobby() -> list[str]:
            lobbies = [m for m in self.messages if isinstance(m, Lobby)]
            return [w.member for w in lobbies[-1].waiting] if lobbies else []

        await until(lambda: len(lobby()) >= count, 60, f"{count} in the lobby")
        for member in lobby():
            await self.client.send(Admit(member=member))

    def hears_audio(self, bots: list[Bot]) -> bool:
        mesh = self.link.mesh
        if mesh is None:
            return False
        peers = mesh.peers
        return all(
            b.member_id in peers and peers[b.member_id].received.audio_frames >= 50 for b in bots
        )

    async def as_member(self, member: str, event: RaiseHand) -> TurnState | None:
        """Apply ``event`` as if ``member`` had sent it (so that the action starts here)."""
        assert self.desk is not None
        assert self.naive is not None
        self.naive.received(member, event)
        return await self.do(self.desk.received(member, event))

    async def act(self, command: te.Command) -> TurnState | None:
        """The facilitator's command; returns the state broadcast (None: nothing changed)."""
        assert self.desk is not None
        assert self.naive is not None
        self.naive.command(command)
        return await self.do(self.desk.command(command))

    async def close(self) -> None:
        await self.link.stop()
        await self.client.close()


async def seat(fac: Facilitator, invite: str, count: int, seed: int) -> BotSwarm:
    swarm = await run_bots(invite, count, behaviour=replace(BOTS, seed=seed))
    await fac.admit(count)
    await swarm.wait_admitted(timeout=120)
    await until(lambda: fac.hears_audio(swarm.bots), 60, "audio from every bot")
    return swarm


# --------------------------------------------------------------------- (a) talk time


def scripts(count: int, seed: int) -> list[SpeechScript]:
    """Seeded scripts over about 15 s: bursts of 2-5 s with pauses of 1-3 s; every other
    bot muted during part of a burst, and the last bot's last burst muted whole."""
    rng = random.Random(seed)
    out = []
    for index in range(count):
        bursts: list[tuple[float, float]] = []
        t = rng.uniform(0.0, 1.5)
        while t < 12.0:
            length = rng.uniform(2.0, 5.0)
            bursts.append((round(t, 2), round(length, 2)))
            t += length + rng.uniform(1.0, 3.0)
        muted: list[tuple[float, float]] = []
        if index % 2 == 1:
            start, length = bursts[0]
            muted.append((round(start + length / 3, 2), round(length / 3, 2)))
        if index == count - 1 and len(bursts) > 1:
            start, length = bursts[-1]
            muted.append((max(0.0, start - 0.5), length + 1.0))
        out.append(SpeechScript(tuple(bursts), tuple(muted)))
    return out


async def talk_time(fac: Facilitator, swarm: BotSwarm, seed: int) -> None:
    plan = scripts(len(swarm.bots), seed)
    start = time.monotonic() + 0.5
    await asyncio.gather(*(b.play_script(s, start) for b, s in zip(swarm.bots, plan, strict=True)))
    ids = [b.member_id or "" for b in swarm.bots]
    await until(lambda: not any(fac.voice.get(m) for m in ids), 10, "silence")
    print()
    print(f"(a) talk time, {len(swarm.bots)} bots, detector {VAD}")
    print(
        f"{'member':<10} {'script s':>8} {'truth s':>8} {'measured s':>10} {'error %':>8}"
        f" {'no allowance s':>14} {'error %':>8}  muted"
    )
    errors, naive_errors = [], []
    for bot, script, member in zip(swarm.bots, plan, ids, strict=True):
        truth = bot.spoken_seconds()
        measured = fac.turns.talk_seconds(member)
        assert fac.naive is not None
        naive = fac.naive.manager.talk_seconds(member)
        error = 100 * (measured - truth) / truth if truth else float("nan")
        naive_error = 100 * (naive - truth) / truth if truth else float("nan")
        errors.append(abs(error))
        naive_errors.append(abs(naive_error))
        muted = ", ".join(f"{s:.1f}+{d:.1f}" for s, d in script.muted) or "-"
        print(
            f"{bot.name:<10} {script.truth():>8.2f} {truth:>8.2f} {measured:>10.2f}"
            f" {error:>+8.1f} {naive:>14.2f} {naive_error:>+8.1f}  {muted}"
        )
    print(
        f"worst |error|: {max(errors):.1f}% (without the allowance: {max(naive_errors):.1f}%);"
        " target 5%"
    )


# --------------------------------------------------------------------- (b) propagation


class Member:
    """A bot whose turn states (``repr`` of each, and when it came) can be read."""

    member_id: str = ""

    def arrived(self, key: str, since: float) -> float | None:
        """When the state ``key`` came, if it came at or after ``since``."""
        for state, at in reversed(self.log()):
            if at < since:
                return None
            if state == key:
                return at
        return None

    def log(self) -> list[tuple[str, float]]:
        raise NotImplementedError


class InProcess(Member):
    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.member_id = bot.member_id or ""

    def log(self) -> list[tuple[str, float]]:
        return [(repr(r.state), r.received_at) for r in self.bot.turn_log]


class OwnProcess(Member):
    """A bot in a process of its own (this file with ``--bot``), reporting on stdout."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.states: list[tuple[str, float]] = []
        self.reader = asyncio.ensure_future(self._read())
        self.ready = asyncio.get_running_loop().create_future()

    @classmethod
    async def start(cls, invite: str, index: int, seed: int) -> OwnProcess:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            "--bot",
            str(index),
            "--seed",
            str(seed),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        assert process.stdin is not None
        process.stdin.write(invite.encode() + b"\n")
        await process.stdin.drain()
        return cls(process)

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for raw in self.process.stdout:
            line = json.loads(raw)
            if "member" in line:
                self.member_id = line["member"]
                self.ready.set_result(None)
            else:
                self.states.append((line["state"], line["at"]))

    def log(self) -> list[tuple[str, float]]:
        return self.states

    async def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()  # the bot leaves
        try:
            await asyncio.wait_for(self.process.wait(), 15)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        self.reader.cancel()


async def bot_main(index: int, seed: int) -> None:
    """One bot of the propagation run: joins, says its id, reports each turn state."""
    invite = parse_invite_link(sys.stdin.readline().strip())
    follow_server(urlsplit(invite.base_url).hostname or "")  # loopback candidates, as run_bots
    names = ["Ana", "Benoît", "Chloé", "Dominic", "Élise", "Fatou", "Gabriel", "Hélène"]
    bot = Bot(names[index % len(names)], index, replace(BOTS, seed=seed))
    reported = 0

    def report(_message: ServerMessage) -> None:  # called after the bot's own handler
        nonlocal reported
        for received in list(bot.turn_log)[reported:]:
            line = {"state": repr(received.state), "at": received.received_at}
            print(json.dumps(line), flush=True)
        reported = len(bot.turn_log)

    bot.client.on_message(report)
    await bot.join(invite, timeout=60)
    await bot.wait_meshed(timeout=120)
    print(json.dumps({"member": bot.member_id}), flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # until the driver closes it
    await bot.leave()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def loop_lag(lags: list[float]) -> None:
    """How late the event loop wakes a 5 ms sleep: the load every message waits behind,
    since the server, the facilitator and every bot share this one loop."""
    while True:
        asked = time.monotonic()
        await asyncio.sleep(0.005)
        lags.append(time.monotonic() - asked - 0.005)


async def propagation(
    fac: Facilitator, bots: list[Member], actions: int, seed: int, where: str
) -> None:
    rng = random.Random(seed)
    lags: list[float] = []
    probe = asyncio.ensure_future(loop_lag(lags))
    everyone: list[float] = []
    each: list[float] = []
    kinds: dict[str, int] = {}
    unchanged = 0
    for n in range(actions):
        speaker = fac.turns.speaker
        choice = rng.random()
        sent_at = time.monotonic()
        if speaker is not None and choice < 0.3:
            kind = "end turn"
            state = await fac.act(te.EndTurn(fac.member_id))
        elif choice < 0.6:
            kind = "give floor"
            member = rng.choice(bots).member_id
            state = await fac.act(te.GiveFloor(fac.member_id, member))
        else:  # the queue changes: the facilitator lowers a hand, or a hand goes up
            queue = fac.turns.queue()
            if queue and rng.random() < 0.5:
                kind = "lower hand"
                state = await fac.act(te.LowerHand(fac.member_id, rng.choice(queue)))
            else:
                kind = "raise hand"
                state = await fac.as_member(rng.choice(bots).member_id, RaiseHand())
        kinds[kind] = kinds.get(kind, 0) + 1
        if state is None:  # nothing members see changed (the floor given to its holder)
            unchanged += 1
            continue
        key = repr(state)

        def arrived(bot: Member, key: str = key, sent_at: float = sent_at) -> float | None:
            return bot.arrived(key, sent_at)

        await until(lambda: all(arrived(b) is not None for b in bots), 10, f"action {n}")
        times = [arrived(b) or sent_at for b in bots]
        each += [t - sent_at for t in times]
        everyone.append(max(times) - sent_at)
        await asyncio.sleep(rng.uniform(0.1, 0.4))
    probe.cancel()
    print()
    members = len(bots) + 1
    mix = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
    print(
        f"(b) turn-state propagation, {members} members ({where}), {actions} actions ({mix};"
        f" {unchanged} changed nothing members see, not timed)"
    )
    rows = (("every member has it", everyone), ("each delivery", each), ("loop lag", lags))
    for label, values in rows:
        ms = [v * 1000 for v in values]
        print(
            f"{label:<20} p50 {percentile(ms, 0.5):6.1f} ms   p95 {percentile(ms, 0.95):6.1f} ms"
            f"   max {max(ms):6.1f} ms   mean {statistics.fmean(ms):6.1f} ms"
        )


# --------------------------------------------------------------------- driver


async def talk_room(ws_url: str, credential: str, args: argparse.Namespace) -> None:
    fac = Facilitator()
    try:
        invite = await fac.open(ws_url, credential)
        began = time.monotonic()
        swarm = await seat(fac, invite, args.talk_bots, args.seed)
        print(f"{args.talk_bots} bots admitted and heard in {time.monotonic() - began:.1f} s")
        try:
            await talk_time(fac, swarm, args.seed)
        finally:
            await swarm.stop()
    finally:
        await fac.close()


async def propagation_room(ws_url: str, credential: str, args: argparse.Namespace) -> None:
    fac = Facilitator()
    count = args.members - 1
    own: list[OwnProcess] = []
    swarm: BotSwarm | None = None
    try:
        invite = await fac.open(ws_url, credential)
        began = time.monotonic()
        if args.in_process:
            swarm = await seat(fac, invite, count, args.seed)
            bots: list[Member] = [InProcess(bot) for bot in swarm.bots]
            where = "all in one process"
        else:
            own = [await OwnProcess.start(invite, i, args.seed) for i in range(count)]
            await fac.admit(count)
            await asyncio.wait_for(asyncio.gather(*(b.ready for b in own)), 120)
            bots = list(own)
            where = "a process each"
        mesh = fac.link.mesh
        assert mesh is not None

        def heard() -> bool:
            peers = mesh.peers
            return all(
                b.member_id in peers and peers[b.member_id].received.audio_frames >= 50
                for b in bots
            )

        await until(heard, 60, "audio from every bot")
        print(f"{count} bots admitted and heard in {time.monotonic() - began:.1f} s")
        await fac.act(te.SetTurnLimit(fac.member_id, 60.0))
        await propagation(fac, bots, args.actions, args.seed, where)
    finally:
        if swarm is not None:
            await swarm.stop()
        await asyncio.gather(*(b.stop() for b in own))
        await fac.close()


async def driver(args: argparse.Namespace) -> None:
    store = CredentialStore(None, cost=2**10)
    credential = store.add("bench")
    server = await start_server("127.0.0.1", 0, credentials=store)
    follow_server("127.0.0.1")  # the facilitator's mesh offers loopback candidates too
    started = time.monotonic()
    cpu = time.process_time()
    print(f"cores: {os.cpu_count()}, server {server.ws_url}")
    try:
        if not args.skip_talk:
            await talk_room(server.ws_url, credential, args)
        if not args.skip_propagation:
            await propagation_room(server.ws_url, credential, args)
    finally:
        await server.stop()
    wall = time.monotonic() - started
    print()
    print(f"wall {wall:.0f} s, CPU of this process {time.process_time() - cpu:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--talk-bots", type=int, default=4, help="bots in the talk-time run")
    parser.add_argument("--members", type=int, default=8, help="members in the propagation run")
    parser.add_argument("--actions", type=int, default=50, help="facilitator actions timed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-talk", action="store_true")
    parser.add_argument("--skip-propagation", action="store_true")
    parser.add_argument("--in-process", action="store_true", help="(b): bots in this process")
    parser.add_argument("--bot", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bot is not None:
        asyncio.run(bot_main(args.bot, args.seed))
        return
    if not 1 <= args.talk_bots <= 12 or not 2 <= args.members <= 12 or args.actions < 1:
        parser.error("--talk-bots 1..12, --members 2..12, --actions >= 1")
    asyncio.run(driver(args))


if __name__ == "__main__":
    main()
