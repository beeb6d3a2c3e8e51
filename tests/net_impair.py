"""A network impairment harness: loss, delay, jitter and outages on this namespace's UDP.

The kernel here has no ``sch_netem``; it has NFQUEUE. :class:`NetImpair` puts one
iptables rule (and its IPv6 twin) on the ``OUTPUT`` chain that hands every UDP packet
leaving on ``lo`` to a small worker program (this file run as a script, on
``fnfqueue``) which gives each packet its verdict: dropped at random (``loss``, from a
seeded generator), dropped while an outage lasts, or accepted ``delay_ms`` (plus or
minus ``jitter_ms``) later. Every local packet crosses ``OUTPUT`` once, so every
member's media is impaired once, whoever sends it: aiortc members and Chromium alike.
TCP (the signalling WebSocket) is left alone unless ``protocols`` says otherwise.

Held packets keep their order (the jitter never reorders), as on most real paths.

Safety and bounds:

- it refuses to run unless this process sees no network interface but ``lo`` (the
  tests run under ``unshare --net``, see ./run-tests): it never touches the
  firewall of the machine;
- the rule has ``--queue-bypass``: if the worker is gone, packets flow unimpaired;
- the worker ends when its standard input closes (the test or its process ended) or
  after ``lifetime`` seconds, whichever comes first, letting what it holds through;
- :meth:`NetImpair.stop` removes the rules first, then waits a bounded time for
  the worker, then kills it.

Use it as a context manager (benchmarks) or through the ``net_impair`` fixture::

    with NetImpair(Impairment(loss=0.05, delay_ms=100)) as net:
        ...
        net.outage(5.0)          # a blackhole for 5 s, from now
        net.set(Impairment())    # the network clears
        net.stats()              # {'seen': ..., 'lost': ..., 'blackholed': ..., ...}
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import select
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import IO, Any

import pytest

QUEUE_NUM = 7301
"""The NFQUEUE number: queues belong to the network namespace, so one fixed number
serves every test run (each in its own namespace)."""


class NetImpairError(RuntimeError):
    """This machine or namespace cannot impair the network (why is the message)."""


@dataclass(frozen=True)
class Impairment:
    """What happens to each packet: lost with probability ``loss`` (0..1), else held
    ``delay_ms`` plus a uniform ``-jitter_ms..+jitter_ms`` (never below 0)."""

    loss: float = 0.0
    delay_ms: float = 0.0
    jitter_ms: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.loss <= 1.0:
            raise ValueError(f"loss must be in 0..1, got {self.loss}")
        if self.delay_ms < 0 or self.jitter_ms < 0:
            raise ValueError("delay_ms and jitter_ms must be >= 0")


def private_namespace() -> bool:
    """Whether this process sees no network interface but ``lo`` (a namespace of its own)."""
    return [name for _, name in socket.if_nameindex()] == ["lo"]


class NetImpair:
    """The impairment of this namespace's UDP on ``lo``, from :meth:`start` to :meth:`stop`."""

    def __init__(
        self,
        impairment: Impairment | None = None,
        *,
        seed: int = 1,
        protocols: tuple[str, ...] = ("udp",),
        lifetime: float = 600.0,
        queue_num: int = QUEUE_NUM,
    ) -> None:
        self.impairment = impairment or Impairment()
        self.seed = seed
        self.protocols = protocols
        self.lifetime = lifetime
        self.queue_num = queue_num
        self._worker: subprocess.Popen[str] | None = None
        self._rules: list[list[str]] = []

    # -- life cycle -------------------------------------------------------------------

    def start(self) -> NetImpair:
        """Start the worker, then route the packets to it. Raises NetImpairError."""
        if not private_namespace():
            raise NetImpairError(
                "refusing to change the firewall: this process sees network interfaces "
                "other than lo; run the tests in a private network namespace "
                "(unshare --net, as ./run-tests does)"
            )
        tools = [shutil.which("iptables"), shutil.which("ip6tables")]
        if tools[0] is None:
            raise NetImpairError("iptables is missing (scripts/setup.sh --test installs it)")
        self._worker = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--queue",
                str(self.queue_num),
                "--seed",
                str(self.seed),
                "--lifetime",
                str(self.lifetime),
                "--impairment",
                json.dumps(asdict(self.impairment)),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        try:
            ready = self._read_line(timeout=20.0)
            if ready != "ready":
                raise NetImpairError(f"the NFQUEUE worker did not start: {self._why()}")
            for tool in tools:
                if tool is None:
                    continue
                for protocol in self.protocols:
                    rule = ["OUTPUT", "-o", "lo", "-p", protocol, "-j", "NFQUEUE"]
                    rule += ["--queue-num", str(self.queue_num), "--queue-bypass"]
                    self._iptables(tool, "-I", rule)
                    self._rules.append([tool, *rule])
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Remove the rules (packets flow freely at once), then end the worker (bounded)."""
        rules, self._rules = self._rules, []
        for tool, *rule in rules:
            with contextlib.suppress(NetImpairError):
                self._iptables(tool, "-D", rule)
        worker, self._worker = self._worker, None
        if worker is None:
            return
        with contextlib.suppress(OSError):
            assert worker.stdin is not None
            worker.stdin.close()  # the worker lets what it holds through and ends
        try:
            worker.wait(timeout=5)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)
        for stream in (worker.stdout, worker.stderr):
            if stream is not None:
                stream.close()

    def __enter__(self) -> NetImpair:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- control ----------------------------------------------------------------------

    def set(self, impairment: Impairment) -> None:
        """Change the loss, delay and jitter from the moment this returns (an outage
        under way goes on)."""
        self._call({"set": asdict(impairment)})
        self.impairment = impairment

    def outage(self, seconds: float) -> None:
        """Blackhole every impaired packet for ``seconds`` from the moment this returns
        (0 ends one early)."""
        self._call({"outage_s": seconds})

    def stats(self) -> dict[str, int]:
        """Counts so far: ``seen``, ``lost`` (random loss), ``blackholed`` (outages),
        ``passed`` (accepted, after their delay) and ``held`` (waiting now)."""
        return self._call({"stats": True})

    # -- plumbing ---------------------------------------------------------------------

    def _call(self, command: dict[str, Any]) -> dict[str, int]:
        """Send ``command`` to the worker and wait (bounded) for its answer: every
        command takes effect before this returns."""
        if self._worker is None or self._worker.stdin is None:
            raise NetImpairError("the impairment is not running")
        self._worker.stdin.write(json.dumps(command) + "\n")
        self._worker.stdin.flush()
        line = self._read_line(timeout=10.0)
        if line is None:
            raise NetImpairError(f"the NFQUEUE worker did not answer: {self._why()}")
        answer: dict[str, int] = json.loads(line)
        return answer

    def _read_line(self, timeout: float) -> str | None:
        assert self._worker is not None
        assert self._worker.stdout is not None
        ready, _, _ = select.select([self._worker.stdout], [], [], timeout)
        if not ready:
            return None
        line = self._worker.stdout.readline()
        return line.strip() if line else None

    def _why(self) -> str:
        worker = self._worker
        if worker is None or worker.poll() is None:
            return "no answer in time"
        assert worker.stderr is not None
        return worker.stderr.read().strip()[-2000:] or f"exit code {worker.returncode}"

    @staticmethod
    def _iptables(tool: str, action: str, rule: list[str]) -> None:
        try:
            subprocess.run(
                [tool, "-w", "5", action, *rule], check=True, capture_output=True, timeout=20
            )
        except subprocess.CalledProcessError as error:
            raise NetImpairError(
                f"{tool} {action} {' '.join(rule)} failed: {error.stderr.decode().strip()}"
            ) from error


# -- pytest -----------------------------------------------------------------------------


@pytest.fixture
def net_impair() -> Iterator[NetImpair]:
    """An unimpaired :class:`NetImpair` (the test sets what it needs), stopped after the
    test. Skips, saying why, where the kernel has no NFQUEUE; outside a private network
    namespace it refuses to run: a failure on CI, a skip elsewhere."""
    net = NetImpair()
    try:
        net.start()
    except NetImpairError as error:
        message = f"no network impairment here: {error}"
        if os.environ.get("CI") and not _kernel_lacks_nfqueue(str(error)):
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield net
    finally:
        net.stop()


def _kernel_lacks_nfqueue(error: str) -> bool:
    return "No chain/target/match" in error or "Protocol not supported" in error


# -- the worker (this file run as a script) ---------------------------------------------


class _Worker:
    """Gives every queued packet its verdict: lost, blackholed or accepted after a delay."""

    def __init__(self, queue_num: int, seed: int, impairment: Impairment) -> None:
        import fnfqueue

        self._fnfqueue = fnfqueue
        self._conn = fnfqueue.Connection()
        queue = self._conn.bind(queue_num)
        queue.set_mode(0, fnfqueue.COPY_META)  # the verdict needs no payload
        queue.set_maxlen(20000)
        self._random = random.Random(seed)
        self.impairment = impairment
        self._outage_until = 0.0
        self._held: deque[tuple[float, Any]] = deque()  # (release time, packet), in order
        self._last_release = 0.0
        self._cond = threading.Condition()
        self._verdict_lock = threading.Lock()
        self._stopping = False
        self.counts = {"seen": 0, "lost": 0, "blackholed": 0, "passed": 0, "overflows": 0}

    def run(self, lifetime: float, commands: IO[str], answers: IO[str]) -> None:
        releaser = threading.Thread(target=self._release, daemon=True)
        releaser.start()
        control = threading.Thread(target=self._control, args=(commands, answers), daemon=True)
        control.start()
        timer = threading.Timer(lifetime, self.stop)
        timer.daemon = True
        timer.start()
        answers.write("ready\n")
        answers.flush()
        while True:
            try:
                for packet in self._conn:
                    self._queued(packet)
                return
            except self._fnfqueue.BufferOverflowException:
                self.counts["overflows"] += 1
                self._conn.reset()

    def _queued(self, packet: Any) -> None:
        now = time.monotonic()
        with self._cond:
            self.counts["seen"] += 1
            impairment = self.impairment
            if self._stopping:
                verdict = "accept"
            elif now < self._outage_until:
                verdict, self.counts["blackholed"] = "drop", self.counts["blackholed"] + 1
            elif impairment.loss and self._random.random() < impairment.loss:
                verdict, self.counts["lost"] = "drop", self.counts["lost"] + 1
            elif impairment.delay_ms or impairment.jitter_ms or self._held:
                jitter = self._random.uniform(-impairment.jitter_ms, impairment.jitter_ms)
                delay = max(0.0, impairment.delay_ms + jitter) / 1000
                # Never before the packet ahead of it: jitter does not reorder.
                self._last_release = max(now + delay, self._last_release)
                self._held.append((self._last_release, packet))
                self._cond.notify()
                return
            else:
                verdict = "accept"
            if verdict == "accept":
                self.counts["passed"] += 1
        self._verdict(packet, verdict)

    def _verdict(self, packet: Any, verdict: str) -> None:
        with self._verdict_lock:
            if verdict == "accept":
                packet.accept()
            else:
                packet.drop()

    def _release(self) -> None:
        while True:
            with self._cond:
                while not self._held and not self._stopping:
                    self._cond.wait(1.0)
                if not self._held:  # stopping and nothing held
                    return
                due, packet = self._held[0]
                wait = due - time.monotonic()
                if wait > 0 and not self._stopping:
                    self._cond.wait(wait)
                    continue
                self._held.popleft()
                self.counts["passed"] += 1
            self._verdict(packet, "accept")

    def _control(self, commands: IO[str], answers: IO[str]) -> None:
        for line in commands:
            command = json.loads(line)
            with self._cond:
                if "set" in command:
                    self.impairment = Impairment(**command["set"])
                if "outage_s" in command:
                    self._outage_until = time.monotonic() + float(command["outage_s"])
                answer = {**self.counts, "held": len(self._held)}
            answers.write(json.dumps(answer) + "\n")  # every command is answered
            answers.flush()
        self.stop()  # standard input closed: the test is over

    def stop(self) -> None:
        """Let every held packet through, then close the queue (ends :meth:`run`)."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline:
            with self._cond:
                if not self._held:
                    break
            time.sleep(0.01)
        self._conn.close()


def _main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="NFQUEUE worker of tests/net_impair.py")
    parser.add_argument("--queue", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lifetime", type=float, default=600.0)
    parser.add_argument("--impairment", default="{}")
    args = parser.parse_args(argv)
    impairment = Impairment(**json.loads(args.impairment))
    try:
        worker = _Worker(args.queue, args.seed, impairment)
    except ImportError as error:
        print(f"fnfqueue is missing (pip install -e '.[test]'): {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"cannot bind NFQUEUE {args.queue}: {error}", file=sys.stderr)
        return 2
    worker.run(args.lifetime, sys.stdin, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
