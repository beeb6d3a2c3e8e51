"""The desktop app: cold start, and a live session of 2, 4 and 8 tiles.

    .venv/bin/python benchmarks/bench_app.py [--tiles 2,4,8] [--seconds 15] [--smoke]
        [--trace-stalls [MS]] [--no-gc-freeze] [--no-cold]

- cold start: from launching a new Python process to the main window shown
  (its first paint), offscreen. Goal: under 1.5 s.
- for each tile count N: the app process opens a rehearsal room on the embedded
  server; N - 1 simulated participants (``groupdesk.bots``, in another process,
  320x180 at 15 fps, receiving no video) knock and are admitted. After a
  warm-up, over the window: the app's CPU (% of one core), resident memory
  (peak), received frames per second on each tile (as painted: frames scaled
  and handed to the tile), and the longest stall of the UI thread (how late a
  20 ms timer fired), with the CPU time the UI thread and the other threads
  (decoders, scaling, the log) used meanwhile: a stall that neither explains
  is the machine's other load taking the cores. Goals: no stall over
  50 ms, under 300 MB with 8 tiles.

Everything runs on this machine; read the figures with the core count and load
printed (before and after each session). No assertion: this is a report.

    --trace-stalls [MS]  explain each stall over MS (default 50) with a watchdog
                         thread (``StallTracer``): per stall, the UI thread's time
                         on a core / waiting for a core / asleep (a lock: the GIL,
                         a Qt latch, a thread join), the threads that ran, the
                         garbage collections, and the UI thread's stack every 5 ms;
                         also the collections of the whole window. The watchdog
                         takes the GIL every 5 ms and some CPU (printed).
    --no-gc-freeze       the baseline of before: do not ``gc.freeze()`` the startup
                         objects once the window is shown (the app does, as
                         ``groupdesk.app.freeze_startup_objects``).
    --no-cold            skip the cold starts.

What the stalls were (2 cores, 8 tiles, November 2026; details in the commit
that added the tracer): the machine's other load (the UI thread runnable but
without a core for 100-300 ms at load 4-10); a full garbage collection of the
~100k objects of startup (55-75 ms on a core, once every 15 s or so); Qt's
raster engine waiting on its GUI thread pool (``QLatch``) while drawing 24-bit
tile images, the GIL held; swscale slice threads joined on the UI thread when a
scaled frame was freed there; GIL hand-overs among aiortc's 14 decoder threads.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import gc
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

ENV = {
    "QT_QPA_PLATFORM": "offscreen",
    "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    "GROUPDESK_PASSPHRASE": "benchmark passphrase",
}


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# -- stall tracer (--trace-stalls) ---------------------------------------------------


def _read(fd: int) -> str:
    try:
        return os.pread(fd, 512, 0).decode()
    except OSError:  # the thread ended
        return ""


#: Innermost frames of a thread waiting for work (a queue, an executor).
_IDLE = ("threading.py:wait:", "thread.py:_worker:81")


class StallTracer:
    """A watchdog thread that explains the UI thread's stalls (``--trace-stalls``).

    Every ``PERIOD`` it samples: the UI thread's Python stack and kernel state
    (``/proc/self/task/<tid>/stat`` state and ``wchan``: ``futex...`` is a lock,
    most likely the GIL; ``poll``/``epoll`` is Qt's event loop idle), every
    thread's on-CPU and run-queue time (``schedstat``, ns) and top Python frame,
    and the machine's CPU time (``/proc/stat``, both cores, with steal). When the
    UI timer finds a stall over the threshold, the samples of its window are
    summed: which threads ran, how long the UI thread ran / waited for a core /
    slept, what it was doing. The watchdog needs the GIL too: a gap in its
    samples means a thread held the GIL in C code (or the watchdog had no core).
    """

    PERIOD = 0.005
    KEEP = 3

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.main_id = threading.main_thread().ident
        self.main_tid = threading.main_thread().native_id
        self.samples: collections.deque[dict[str, Any]] = collections.deque(maxlen=800)
        self.pending: list[tuple[float, float]] = []
        self.reports: list[tuple[float, str]] = []
        self.count = 0
        self._fds: dict[int, int] = {}
        self._names: dict[int, str] = {}
        self._stat = os.open("/proc/stat", os.O_RDONLY)
        self._main_state = os.open(f"/proc/self/task/{self.main_tid}/stat", os.O_RDONLY)
        self._main_wchan = os.open(f"/proc/self/task/{self.main_tid}/wchan", os.O_RDONLY)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stall-tracer", daemon=True)
        self.collections: collections.deque[tuple[float, float, int, int, str]] = collections.deque(
            maxlen=200
        )
        self._gc_start = (0.0, 0.0)
        self._codes: dict[Any, str] = {}
        self.cost = 0.0  # of a core, the watchdog's own
        #: generation: [count, longest (s), its CPU time (s)]
        self.gc_totals: dict[int, list[float]] = {}

    def start(self) -> None:
        gc.callbacks.append(self._gc)
        self._thread.start()

    def stop(self) -> None:
        gc.callbacks.remove(self._gc)
        self._stop.set()
        self._thread.join(2)

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        """Time each garbage collection (on whichever thread runs it, holding the GIL)."""
        if phase == "start":
            self._gc_start = (time.monotonic(), time.thread_time())
        else:
            thread = threading.current_thread().name
            start, cpu = self._gc_start
            took, cpu = time.monotonic() - start, time.thread_time() - cpu
            totals = self.gc_totals.setdefault(info["generation"], [0, 0.0, 0.0])
            totals[0] += 1
            if took > totals[1]:
                totals[1:] = [took, cpu]
            self.collections.append(
                (start, time.monotonic(), info["generation"], info["collected"], thread)
            )

    def stalled(self, start: float, end: float) -> None:
        """The UI thread's timer did not fire between ``start`` and ``end`` (called on it)."""
        self.count += 1
        self.pending.append((start, end))

    def _refresh_threads(self) -> None:
        names = {t.native_id: t.name for t in threading.enumerate() if t.native_id}
        for tid in os.listdir("/proc/self/task"):
            number = int(tid)
            if number not in self._fds:
                try:
                    self._fds[number] = os.open(f"/proc/self/task/{tid}/schedstat", os.O_RDONLY)
                except OSError:
                    continue
            self._names[number] = names.get(number) or self._names.get(number) or f"tid {tid}"
        self._names[self.main_tid] = "UI thread"

    def _sample(self) -> dict[str, Any]:
        now = time.monotonic()
        sched = {}
        for tid, fd in self._fds.items():
            fields = _read(fd).split()
            if fields:
                sched[tid] = (int(fields[0]), int(fields[1]))
        cpu = [int(x) for x in _read(self._stat).split("\n", 1)[0].split()[1:]]
        state = _read(self._main_state).rsplit(")", 1)[-1].split()[0:1]
        wchan = _read(self._main_wchan)
        stack: list[str] = []
        tops: dict[int, str] = {}
        by_ident = {t.ident: t.native_id for t in threading.enumerate()}
        for ident, frame in sys._current_frames().items():
            if ident == self.main_id:
                f: Any = frame
                while f is not None and len(stack) < 14:
                    stack.append(f"{self._where(f.f_code)}:{f.f_lineno}")
                    f = f.f_back
            elif ident != threading.get_ident():
                tops[by_ident.get(ident) or 0] = f"{self._where(frame.f_code)}:{frame.f_lineno}"
        return {
            "t": now,
            "sched": sched,
            "cpu": cpu,
            "main": f"{''.join(state)} {wchan}",
            "stack": tuple(stack),
            "tops": tops,
        }

    def _where(self, code: Any) -> str:
        name = self._codes.get(code)
        if name is None:
            name = self._codes[code] = f"{os.path.basename(code.co_filename)}:{code.co_name}"
        return name

    def _run(self) -> None:
        started = time.monotonic()
        self._refresh_threads()
        last_refresh = time.monotonic()
        while not self._stop.wait(self.PERIOD):
            if time.monotonic() - last_refresh > 0.5:
                self._refresh_threads()
                last_refresh = time.monotonic()
            sample = self._sample()
            self.samples.append(sample)
            while self.pending and self.pending[0][1] < sample["t"]:
                start, end = self.pending.pop(0)
                self._report(start, end)
        self.cost = time.thread_time() / max(1e-3, time.monotonic() - started)
        for fd in (*self._fds.values(), self._stat, self._main_state, self._main_wchan):
            os.close(fd)

    def _report(self, start: float, end: float) -> None:
        inside = [s for s in self.samples if start <= s["t"] <= end]
        before = [s for s in self.samples if s["t"] < start][-1:]
        after = [s for s in self.samples if s["t"] > end][:1]
        if not before or not after:
            return
        first, last = before[0], after[0]
        span = last["t"] - first["t"]
        times = [first["t"], *(s["t"] for s in inside), last["t"]]
        gap = max(b - a for a, b in itertools.pairwise(times))
        ran: dict[str, list[float]] = {}
        for tid, (run, wait) in last["sched"].items():
            run0, wait0 = first["sched"].get(tid, (0, 0))
            if tid in first["sched"] and (run - run0 > 0 or wait - wait0 > 0):
                name = self._names.get(tid, str(tid))
                entry = ran.setdefault(name, [0.0, 0.0, 0.0])
                entry[0] += (run - run0) / 1e6
                entry[1] += (wait - wait0) / 1e6
                entry[2] += 1
        ui_run, ui_wait = ran.get("UI thread", [0.0, 0.0, 1])[:2]
        cpu0, cpu1 = first["cpu"], last["cpu"]
        total = sum(cpu1) - sum(cpu0) or 1
        idle = (cpu1[3] + cpu1[4]) - (cpu0[3] + cpu0[4])
        steal = cpu1[7] - cpu0[7] if len(cpu1) > 7 else 0
        lines = [
            f"stall {1000 * (end - start - 0.020):.0f} ms (window {1000 * span:.0f} ms, "
            f"load {os.getloadavg()[0]:.1f}): UI thread on a core {ui_run:.0f} ms, "
            f"waiting for a core {ui_wait:.0f} ms, off-core (idle or a lock) "
            f"{max(0.0, 1000 * span - ui_run - ui_wait):.0f} ms; "
            f"machine {100 * (total - idle) / total:.0f}% busy, steal {100 * steal / total:.0f}%; "
            f"{len(inside)} watchdog samples, "
            f"largest gap {1000 * gap:.0f} ms",
            "  threads on a core during the window (ms on core / ms waiting for one):",
        ]
        for name, (run, wait, n) in sorted(ran.items(), key=lambda kv: -kv[1][0]):
            if run >= 1 or wait >= 1:
                lines.append(f"    {name}{f' x{n:.0f}' if n > 1 else ''}: {run:.0f} / {wait:.0f}")
        for begin, finish, generation, collected, thread in self.collections:
            if finish >= first["t"] and begin <= last["t"]:
                lines.append(
                    f"  garbage collection, generation {generation}, on {thread}: "
                    f"{1000 * (finish - begin):.0f} ms from {1000 * (begin - start):+.0f} ms,"
                    f" {collected} objects freed"
                )
        lines.append("  UI thread (kernel state, Python stack, innermost first), per sample:")
        for s in [first, *inside, last]:
            stack = " < ".join(s["stack"][:8])
            lines.append(f"    {1000 * (s['t'] - start):+5.0f} ms [{s['main']}] {stack}")
        seen: dict[str, int] = {}
        for s in inside:
            for tid, top in s["tops"].items():
                key = f"{self._names.get(tid, str(tid))}: {top}"
                seen[key] = seen.get(key, 0) + 1
        lines.append("  other threads' innermost Python frame (samples):")
        for key, n in sorted(seen.items(), key=lambda kv: -kv[1]):
            if not key.split(": ", 1)[1].startswith(_IDLE):
                lines.append(f"    {n:3d}  {key}")
        self.reports.append((end - start, "\n".join(lines)))
        self.reports.sort(key=lambda r: -r[0])
        del self.reports[self.KEEP :]


# -- child: cold start ---------------------------------------------------------------


def child_cold_start(data_dir: Path) -> None:
    """Show the main window; print when it has painted once."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from groupdesk.ui.language import LanguageSwitcher
    from groupdesk.ui.main_window import MainWindow
    from groupdesk.ui.settings import UserSettings
    from groupdesk.ui.workspace import Workspace

    app = QApplication([sys.argv[0]])
    languages = LanguageSwitcher(app)
    window = MainWindow(Workspace(data_dir), languages, settings=UserSettings())
    window.show()
    QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
    app.exec()


# -- child: the app in a live session ------------------------------------------------


async def _app_session(
    tiles: int,
    seconds: float,
    data_dir: Path,
    trace: float | None = None,
    gc_freeze: bool = False,
) -> dict[str, Any]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from groupdesk.ui.demo import open_rehearsal_log, prepare_rehearsal, synthetic_sources
    from groupdesk.ui.language import LanguageSwitcher
    from groupdesk.ui.main_window import MainWindow
    from groupdesk.ui.settings import UserSettings
    from groupdesk.ui.workspace import Workspace

    app = QApplication.instance()
    assert app is not None
    languages = LanguageSwitcher(app)
    workspace = Workspace(data_dir, env_passphrase=ENV["GROUPDESK_PASSPHRASE"])
    window = MainWindow(workspace, languages, settings=UserSettings())
    window.show()
    if gc_freeze:  # as the app does (--no-gc-freeze: as it did before)
        from groupdesk.app import freeze_startup_objects

        freeze_startup_objects()
    await open_rehearsal_log(workspace, ENV["GROUPDESK_PASSPHRASE"])
    names = [f"P{i}" for i in range(tiles - 1)]
    session_id = await prepare_rehearsal(workspace, names, seconds)
    assert session_id is not None
    window.live_sources = synthetic_sources("Facilitator", 1, fps=15)
    assert await window.open_room_now(session_id)
    live = window.live
    bots = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--child",
            "bots",
            "--invite",
            live.invite,
            "--count",
            str(tiles - 1),
            "--seconds",
            str(seconds + 60),
        ],
        env={**os.environ, **ENV},
    )
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        admitted = 0
        while admitted < tiles - 1 and loop.time() < deadline:
            if live.lobby:
                admitted += len(live.lobby)
                await live.admit_all()
            await asyncio.sleep(0.1)
        await asyncio.sleep(5.0)  # warm-up: connections, first keyframes
        frames: dict[str, int] = {}

        def on_frame(seat: str, _image: object) -> None:
            frames[seat] = frames.get(seat, 0) + 1

        live.frame_ready.connect(on_frame)
        stall = {
            "max": 0.0,
            "busy": 0.0,
            "others": 0.0,
            "last": time.monotonic(),
            "cpu": time.thread_time(),
            "proc": time.process_time(),
        }

        def tick() -> None:
            # How late the timer is, and how much of that the UI thread spent working
            # (the rest it waited: for the GIL, or for a core on a loaded machine).
            now, cpu, proc = time.monotonic(), time.thread_time(), time.process_time()
            late = now - stall["last"] - 0.020
            if tracer is not None and late > tracer.threshold:
                tracer.stalled(stall["last"], now)
            if late > stall["max"]:
                stall["max"], stall["busy"] = late, cpu - stall["cpu"]
                stall["others"] = (proc - stall["proc"]) - (cpu - stall["cpu"])
            stall["last"], stall["cpu"], stall["proc"] = now, cpu, proc

        tracer = StallTracer(trace) if trace is not None else None
        if tracer is not None:
            tracer.start()
        timer = QTimer()
        timer.setInterval(20)
        timer.timeout.connect(tick)
        stall["last"], stall["cpu"] = time.monotonic(), time.thread_time()
        stall["proc"] = time.process_time()
        timer.start()
        cpu0, t0, rss = _cpu_s(), time.monotonic(), _rss_mb()
        while time.monotonic() - t0 < seconds:
            await asyncio.sleep(0.5)
            rss = max(rss, _rss_mb())
        wall = time.monotonic() - t0
        cpu = 100 * (_cpu_s() - cpu0) / wall
        timer.stop()
        if tracer is not None:
            await asyncio.sleep(0.05)  # the last stall's closing sample
            tracer.stop()
        remote = [s for s in live.members if s != live.self_seat]
        fps = [frames.get(seat, 0) / wall for seat in remote]
        await live.end()
        return {
            "tiles": len(live.members) if live.members else tiles,
            "cpu_pct": round(cpu, 1),
            "rss_mb": round(rss, 1),
            "fps_per_tile": [round(f, 1) for f in fps],
            "self_view_fps": round(frames.get(live.self_seat, 0) / wall, 1),
            "max_stall_ms": round(1000 * stall["max"], 1),
            "stall_busy_ms": round(1000 * stall["busy"], 1),
            "stall_others_ms": round(1000 * stall["others"], 1),
            **(
                {
                    "stalls": tracer.count,
                    "stall_reports": [r for _, r in tracer.reports],
                    "gc": {
                        f"gen{g}": [n, round(1000 * t, 1), round(1000 * c, 1)]
                        for g, (n, t, c) in sorted(tracer.gc_totals.items())
                    },
                    "gc_objects": len(gc.get_objects()),
                    "tracer_cpu_pct": round(100 * tracer.cost, 1),
                }
                if tracer is not None
                else {}
            ),
        }
    finally:
        bots.terminate()
        bots.wait(10)
        await live.close()
        window.close()
        await workspace.close()


def child_app(
    tiles: int, seconds: float, data_dir: Path, trace: float | None, gc_freeze: bool
) -> None:
    """Run the live session and print its figures as one JSON line."""
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    result = loop.run_until_complete(_app_session(tiles, seconds, data_dir, trace, gc_freeze))
    print("RESULT " + json.dumps(result), flush=True)


async def _bots(invite: str, count: int, seconds: float) -> None:
    from groupdesk.bots import BotBehaviour, run_bots

    behaviour = BotBehaviour(fps=15, receive_video=False, hand_raises_per_minute=2.0)
    swarm = await run_bots(invite, count, behaviour=behaviour, timeout=60)
    try:
        await asyncio.sleep(seconds)
    finally:
        await swarm.stop()


# -- driver --------------------------------------------------------------------------


def cold_start(runs: int) -> list[float]:
    """Seconds from launching a process to the main window painted, ``runs`` times."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            start = time.monotonic()
            proc = subprocess.Popen(
                [sys.executable, __file__, "--child", "cold", "--data-dir", folder],
                env={**os.environ, **ENV},
                stdout=subprocess.PIPE,
                text=True,
            )
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.strip() == "shown":
                    times.append(time.monotonic() - start)
                    break
            proc.wait(30)
    return times


def live(
    tiles: int, seconds: float, trace: float | None = None, gc_freeze: bool = False
) -> dict[str, Any]:
    """One live session of ``tiles`` tiles in a child process."""
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "app",
                "--tiles",
                str(tiles),
                "--seconds",
                str(seconds),
                "--data-dir",
                folder,
                *(["--trace-stalls", str(1000 * trace)] if trace is not None else []),
                *(["--gc-freeze"] if gc_freeze else []),
            ],
            env={**os.environ, **ENV},
            capture_output=True,
            text=True,
            timeout=seconds + 180,
            check=False,
        )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
            return result
    return {"tiles": tiles, "error": done.stderr[-800:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tiles", default="2,4,8")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--smoke", action="store_true", help="2 tiles, 4 s, one cold start")
    parser.add_argument(
        "--trace-stalls",
        type=float,
        nargs="?",
        const=50.0,
        metavar="MS",
        help="explain the UI stalls over MS (default 50): a watchdog samples the UI thread",
    )
    parser.add_argument(
        "--no-gc-freeze",
        action="store_true",
        help="baseline: do not gc.freeze() the startup objects (the app does, since Nov 2026)",
    )
    parser.add_argument("--gc-freeze", action="store_true", help=argparse.SUPPRESS)  # to a child
    parser.add_argument("--no-cold", action="store_true", help="skip the cold starts")
    parser.add_argument("--child", choices=["cold", "app", "bots"])
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--invite")
    parser.add_argument("--count", type=int)
    args = parser.parse_args()
    if args.child == "cold":
        child_cold_start(args.data_dir)
        return
    trace = args.trace_stalls / 1000 if args.trace_stalls is not None else None
    if args.child == "app":
        child_app(int(args.tiles), args.seconds, args.data_dir, trace, args.gc_freeze)
        return
    if args.child == "bots":
        asyncio.run(_bots(args.invite, args.count, args.seconds))
        return

    tiles = [2] if args.smoke else [int(t) for t in args.tiles.split(",")]
    seconds = 4.0 if args.smoke else args.seconds
    print(f"cores: {os.cpu_count()}, load: {os.getloadavg()[0]:.1f}")
    if not args.no_cold:
        starts = cold_start(1 if args.smoke else 3)
        print(
            f"cold start to the window shown: {', '.join(f'{t:.2f} s' for t in starts)}"
            " (goal < 1.5 s)"
        )
    print(
        "tiles  cpu%   rss MB  max stall ms (UI busy / other threads)"
        "  received fps per tile  self-view fps"
    )
    for count in tiles:
        load = os.getloadavg()[0]
        r = live(count, seconds, trace, not args.no_gc_freeze)
        if "error" in r:
            print(f"{count:5d}  failed: {r['error']}")
            continue
        fps = ", ".join(f"{f:.1f}" for f in r["fps_per_tile"])
        print(
            f"{r['tiles']:5d}  {r['cpu_pct']:5.1f}  {r['rss_mb']:7.1f}  {r['max_stall_ms']:12.1f}"
            f" ({r['stall_busy_ms']:.0f} / {r['stall_others_ms']:.0f})  {fps:21s}"
            f"  {r['self_view_fps']:.1f}  (load {load:.1f} before, {os.getloadavg()[0]:.1f} after)"
        )
        if trace is not None:
            collected = ", ".join(
                f"{g} x{n} (longest {t:.0f} ms, {c:.0f} ms on a core)"
                for g, (n, t, c) in r["gc"].items()
            )
            print(f"       garbage collections {collected}; {r['gc_objects']} objects tracked")
            print(
                f"       {r['stalls']} stalls over {1000 * trace:.0f} ms (the watchdog used"
                f" {r['tracer_cpu_pct']:.0f}% of a core); the longest:"
            )
            for report in r["stall_reports"]:
                print("       " + report.replace("\n", "\n       "))
    print("goals: window < 1.5 s, no UI stall > 50 ms, < 300 MB resident with 8 tiles")


if __name__ == "__main__":
    main()
