"""The peer baseline of bench_call.py: two headless Chromium peers on 127.0.0.1.

    .venv/bin/python benchmarks/chromium_baseline.py [--seconds 10] [--fps 15]

Two browsers (Debian's ``/usr/bin/chromium``, driven by Playwright, as in
tests/web/browser_harness.py) each open ``chromium_baseline.html``: a canvas test
pattern at 640x360 carrying the frame stamp of ``groupdesk.media.sources`` (the
sender's wall clock, drawn as blocks) is sent as VP8 both ways, and each page reads
the stamps of the frames it receives (requestVideoFrameCallback, drawImage,
getImageData). Both pages run on this machine and stamp with the same clock
(``performance.timeOrigin + performance.now()``), so the difference is the
glass-to-glass latency: from the drawn frame to the decoded frame being read, at
the moment Chromium hands it over for display.

Loopback only: Chromium may use loopback candidates
(``--allow-loopback-in-peer-connection``), shows raw addresses instead of mDNS
names, has no STUN server, and only the ``127.0.0.1`` UDP candidates are passed
between the pages (signalling is ``page.evaluate`` with the SDP, no server). The
selected candidate pair is printed: Chromium still gathers on its other interfaces
(its SDP gives loopback ``network-cost 50``, the others none) and the offerer's local
end is usually its socket on this machine's own address, sending to the answerer's
127.0.0.1 (which answers to that address, peer-reflexive). Every packet is addressed to this machine
and there is no STUN server: nothing leaves it.

Latency is read when requestVideoFrameCallback hands over the frame (decoded, about
to be composited). Where it goes is given too: the median latency at the arrival of
the frame's last packet (the frame's metadata), then the mean time from there to the
decoded frame (``totalProcessingDelay``, jitter buffer included) and the mean
jitter-buffer delay alone (``getStats``, over the window). aiortc's figure stops at the
decoded frame given to the sink: roughly "received + receive to decoded" here.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import shutil
import statistics
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PAGE = Path(__file__).resolve().with_name("chromium_baseline.html")
# The flags of tests/web/browser_harness.py (FLAGS + fake UI), and loopback ICE with raw
# addresses.
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
]
LOOPBACK = "127.0.0.1"
_CANDIDATE = re.compile(r"^a=candidate:\S+ \d+ (\S+) \d+ (\S+) ", re.IGNORECASE)


def unavailable() -> str | None:
    """Why the baseline cannot run here, or None."""
    missing = []
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install -e '.[test]')")
    if not Path(CHROMIUM).is_file():
        missing.append(f"{CHROMIUM} (apt-get install -y chromium)")
    return " and ".join(missing) + " missing" if missing else None


def loopback_only(sdp: str) -> str:
    """``sdp`` with only its 127.0.0.1 UDP candidate lines."""
    kept = []
    for line in sdp.splitlines(keepends=True):
        match = _CANDIDATE.match(line)
        if match and (match.group(1).lower() != "udp" or match.group(2) != LOOPBACK):
            continue
        kept.append(line)
    return "".join(kept)


def candidate_addresses(sdp: str) -> list[str]:
    return [m.group(2) for line in sdp.splitlines() if (m := _CANDIDATE.match(line))]


def _cpu_seconds(processes: list[Any]) -> float:
    total = 0.0
    for proc in processes:
        with contextlib.suppress(Exception):
            times = proc.cpu_times()
            total += times.user + times.system
    return total


def _chromium_processes() -> list[Any]:
    """This process's descendants that are Chromium (not Playwright's driver)."""
    try:
        import psutil
    except ImportError:
        return []
    found = []
    for proc in psutil.Process().children(recursive=True):
        with contextlib.suppress(Exception):
            if "chrom" in proc.name().lower():
                found.append(proc)
    return found


@contextlib.asynccontextmanager
async def _two_pages() -> AsyncIterator[list[Any]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browsers = await asyncio.gather(
            *(
                pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
                for _ in range(2)
            )
        )
        try:
            pages = []
            for browser in browsers:
                context = await browser.new_context(viewport={"width": 700, "height": 800})
                page = await context.new_page()
                page.on("pageerror", lambda error: print(f"[chromium page error] {error}"))
                await page.goto(PAGE.as_uri())
                pages.append(page)
            yield pages
        finally:
            for browser in browsers:
                with contextlib.suppress(Exception):
                    await browser.close()


async def measure(
    seconds: float,
    *,
    width: int = 640,
    height: int = 360,
    fps: int = 15,
    grain: int = 10,
    warmup: float = 3.0,
) -> dict[str, Any]:
    """Two Chromium peers sending each other the stamped pattern; the figures of both."""
    async with _two_pages() as pages:
        a, b = pages
        for index, page in enumerate(pages):
            await page.evaluate(
                "([w, h, fps, grain, name]) => window.bench.setup(w, h, fps, grain, name)",
                [width, height, fps, grain, f"Chromium {index}"],
            )
        offer = await a.evaluate("() => window.bench.offer()")
        answer = await b.evaluate("(sdp) => window.bench.answer(sdp)", loopback_only(offer))
        await a.evaluate("(sdp) => window.bench.accept(sdp)", loopback_only(answer))
        offered = candidate_addresses(loopback_only(offer)) + candidate_addresses(
            loopback_only(answer)
        )
        started = time.monotonic()
        joined = None
        while time.monotonic() - started < 20:
            counts = [await p.evaluate("() => window.bench.stats()") for p in pages]
            if all(c["samples"] > 0 for c in counts):
                joined = time.monotonic() - started
                break
            await asyncio.sleep(0.05)
        if joined is None:
            states = [c["connection"] for c in counts]
            raise RuntimeError(f"no stamped frame decoded by both pages in 20 s ({states})")
        await asyncio.sleep(warmup)  # the bandwidth estimate ramps up
        chromium = _chromium_processes()
        before = [await p.evaluate("() => window.bench.stats()") for p in pages]
        cpu0, wall0, t0 = _cpu_seconds(chromium), time.monotonic(), time.time() * 1000
        await asyncio.sleep(seconds)
        t1, elapsed = time.time() * 1000, time.monotonic() - wall0
        cpu = _cpu_seconds(chromium) - cpu0
        after = [await p.evaluate("() => window.bench.stats()") for p in pages]
        samples = [
            s
            for p in pages
            for s in await p.evaluate("([t0, t1]) => window.bench.samplesBetween(t0, t1)", [t0, t1])
        ]
        for page in pages:
            await page.evaluate("() => window.bench.close()")
    latencies = sorted(s["latency"] for s in samples)
    received = sorted(s["receivedLatency"] for s in samples if s["receivedLatency"] is not None)
    fps_each = [
        (y["framesDecoded"] - x["framesDecoded"]) / elapsed
        for x, y in zip(before, after, strict=True)
    ]
    sizes = sorted({f"{s['width']}x{s['height']}" for s in samples})
    return {
        "peer": "chromium",
        "version": chromium_version(),
        "width": width,
        "height": height,
        "fps_sent": fps,
        "join_s": joined,
        "frames_read": len(samples),
        "unreadable": sum(
            y["unreadable"] - x["unreadable"] for x, y in zip(before, after, strict=True)
        ),
        "latency_median_ms": _percentile(latencies, 0.5),
        "latency_p90_ms": _percentile(latencies, 0.9),
        "latency_p95_ms": _percentile(latencies, 0.95),
        "received_latency_median_ms": _percentile(received, 0.5),
        "receive_to_decoded_ms": _mean_delay(
            before, after, "totalProcessingDelay", "framesDecoded"
        ),
        "jitter_buffer_ms": _mean_delay(
            before, after, "jitterBufferDelay", "jitterBufferEmittedCount"
        ),
        "fps_mean": statistics.mean(fps_each),
        "fps_min": min(fps_each),
        "received_sizes": sizes,
        "sent_sizes": sorted({f"{s.get('sentWidth')}x{s.get('sentHeight')}" for s in after}),
        "quality_limitation": sorted({str(s.get("qualityLimitationReason")) for s in after}),
        "codec": sorted({str(s.get("codec")) for s in after}),
        "candidates_offered": sorted(set(offered)),
        "selected_pairs": [s.get("pair") for s in after],
        "cpu_per_peer_pct": 100 * cpu / elapsed / 2 if chromium else None,
    }


def _mean_delay(
    before: list[dict[str, Any]], after: list[dict[str, Any]], total: str, count: str
) -> float | None:
    """The mean of a cumulative getStats delay (seconds) over the window, in ms."""
    seconds = sum(y.get(total, 0) - x.get(total, 0) for x, y in zip(before, after, strict=True))
    frames = sum(y.get(count, 0) - x.get(count, 0) for x, y in zip(before, after, strict=True))
    return 1000 * seconds / frames if frames else None


def _percentile(values: list[float], q: float) -> float | None:
    """The value at rank ``q`` (as bench_call.summarise: sorted[int(n * q)])."""
    return values[min(len(values) - 1, int(len(values) * q))] if values else None


def chromium_version() -> str | None:
    import subprocess

    with contextlib.suppress(Exception):
        out = subprocess.run(
            [CHROMIUM, "--version"], check=False, capture_output=True, text=True, timeout=10
        )
        return out.stdout.strip() or None
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--fps", type=int, default=15)
    parser.add_argument("--grain", type=int, default=10)
    args = parser.parse_args()
    reason = unavailable()
    if reason:
        print(f"chromium baseline: skipped, {reason}")
        return
    result = asyncio.run(measure(args.seconds, fps=args.fps, grain=args.grain))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
