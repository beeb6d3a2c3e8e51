"""A stamped camera for the participant page, and a stamp reader on its tiles.

:data:`STAMPED_CAMERA` (``page.add_init_script``) makes the page's camera a canvas that
draws the frame stamp of :mod:`groupdesk.media.sources` (wall-clock milliseconds and a
frame number; the drawing of benchmarks/chromium_baseline.html), so an aiortc
receiver (``read_frame_stamp``) and another page (:func:`read_tile_stamps`) can tell
which of the frames sent they showed, and how late. The microphone stays the fake
device's. Everything runs on one machine: both ends stamp with the same clock.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from typing import Any

import av
from browser_harness import Page

from groupdesk.media.sources import read_frame_stamp

_STAMP_HELPERS = """
if (!window.__stamp) {
  const epochMs = () => performance.timeOrigin + performance.now();
  function crc8(bytes) {
    let crc = 0;
    for (const byte of bytes) {
      crc ^= byte;
      for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
    }
    return crc;
  }
  function payloadBytes(p) {
    const out = [];
    for (let i = 6; i >= 0; i--) out.push(Number((p >> BigInt(8 * i)) & 0xffn));
    return out;
  }
  window.__stamp = { crc8, payloadBytes, COLUMNS: 32, ROWS: 2, BAND: 18, epochMs, sent: 0 };
}
"""

STAMPED_CAMERA = (
    _STAMP_HELPERS
    + """
(() => {
  const COLUMNS = 32, ROWS = 2, BAND = 18, W = 640, H = 360, FPS = 15, GRAIN = 10;
  const { crc8, payloadBytes, epochMs } = window.__stamp;
  function stampBits(ms, sequence) {
    const payload = ((BigInt(ms) % (1n << 40n)) << 16n) | BigInt(sequence % 65536);
    return (payload << 8n) | BigInt(crc8(payloadBytes(payload)));
  }
  const edges = (size, n) => Array.from({ length: n + 1 }, (_, i) => Math.round((i * size) / n));
  let track = null;
  function camera() {
    if (track && track.readyState === "live") return track.clone();
    const canvas = document.createElement("canvas");
    canvas.width = W;
    canvas.height = H;
    const ctx = canvas.getContext("2d");
    const base = ctx.createImageData(W, H);
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const backgrounds = [];
    for (let k = 0; k < 16; k++) {
      const img = new ImageData(new Uint8ClampedArray(base.data.length), W, H);
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const i = 4 * (y * W + x);
          const v = 60 + Math.floor((40 * y) / H) + Math.floor(rand() * (GRAIN + 1));
          img.data[i] = img.data[i + 1] = img.data[i + 2] = v;
          img.data[i + 3] = 255;
        }
      }
      backgrounds.push(img);
    }
    const xs = edges(W, COLUMNS), ys = edges(H, BAND);
    track = canvas.captureStream(0).getVideoTracks()[0];
    let sequence = 0;
    const start = performance.now();
    function draw() {
      ctx.putImageData(backgrounds[(sequence * 7) % backgrounds.length], 0, 0);
      ctx.fillStyle = "rgb(200,200,200)";
      ctx.fillRect((sequence * 10) % (W - 32), H - 45, 32, 43);
      const bits = stampBits(Math.floor(epochMs()), sequence);
      for (let row = 0; row < ROWS; row++) {
        for (let col = 0; col < COLUMNS; col++) {
          const bit = (bits >> BigInt(63 - (row * COLUMNS + col))) & 1n;
          ctx.fillStyle = bit ? "rgb(235,235,235)" : "rgb(16,16,16)";
          ctx.fillRect(xs[col], ys[row], xs[col + 1] - xs[col], ys[row + 1] - ys[row]);
        }
      }
      track.requestFrame();
      sequence++;
      window.__stamp.sent = sequence;
      setTimeout(draw, Math.max(0, start + (sequence * 1000) / FPS - performance.now()));
    }
    draw();
    return track;
  }
  const devices = navigator.mediaDevices;
  if (!devices) return; // not a secure context (about:blank): no camera asked there
  const original = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    const wantsVideo = Boolean(constraints && constraints.video);
    const audio = constraints && constraints.audio;
    const stream = audio ? await original({ audio }) : new MediaStream();
    if (wantsVideo) stream.addTrack(camera());
    return stream;
  };
})();
"""
)

_READER = """
(memberId) => {
  const S = window.__stamp;
  const samples = (window.__samples = window.__samples || {});
  const list = (samples[memberId] = samples[memberId] || []);
  let watched = null;
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  function onFrame(video) {
    return (_now, meta) => {
      if (video !== watched) return;
      const width = meta.width, height = meta.height;
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      ctx.drawImage(video, 0, 0, width, height);
      const band = Math.ceil((S.ROWS * height) / S.BAND) + 1;
      const pixels = ctx.getImageData(0, 0, width, band).data;
      let bits = 0n;
      for (let row = 0; row < S.ROWS; row++) {
        const y = Math.floor(((row + 0.5) * height) / S.BAND);
        for (let col = 0; col < S.COLUMNS; col++) {
          const x = Math.floor(((col + 0.5) * width) / S.COLUMNS);
          const i = 4 * (y * width + x);
          bits = (bits << 1n) | ((pixels[i] + pixels[i + 1] + pixels[i + 2]) / 3 >= 128 ? 1n : 0n);
        }
      }
      const payload = bits >> 8n;
      if (S.crc8(S.payloadBytes(payload)) === Number(bits & 0xffn)) {
        const now = Math.floor(S.epochMs());
        const age = (now - Number(payload >> 16n) + 2 ** 40) % 2 ** 40;
        list.push([Number(payload & 0xffffn), now, age, width, height]);
      }
      video.requestVideoFrameCallback(onFrame(video));
    };
  }
  function watch() {
    const video = document.querySelector(`li.tile[data-member="${memberId}"] video`);
    if (video && video !== watched) {
      watched = video;
      video.requestVideoFrameCallback(onFrame(video));
    }
  }
  watch();
  setInterval(watch, 500);
}
"""


async def read_tile_stamps(page: Page, member_id: str) -> None:
    """From now on, record the stamp of every frame the page shows in ``member_id``'s
    tile: see :func:`tile_stamps`."""
    await page.evaluate(_STAMP_HELPERS + "\n;void 0")  # over CDP: the page's CSP allows no eval
    await page.evaluate(_READER, member_id)


async def tile_stamps(page: Page, member_id: str) -> list[tuple[int, int, int, int, int]]:
    """What the page showed of ``member_id`` since :func:`read_tile_stamps`, one entry per
    readable frame: (frame number, wall-clock ms when shown, glass-to-glass ms, width,
    height)."""
    rows: list[Any] = await page.evaluate(
        "(m) => (window.__samples && window.__samples[m]) || []", member_id
    )
    return [(int(a), int(b), int(c), int(d), int(e)) for a, b, c, d, e in rows]


async def frames_sent(page: Page) -> int:
    """How many frames the stamped camera has drawn so far."""
    sent: int = await page.evaluate("() => (window.__stamp ? window.__stamp.sent : 0)")
    return sent


class StampSink:
    """A media sink for an aiortc member: counts frames, and keeps the stamp of every
    readable video frame per member: (frame number, wall-clock ms when decoded,
    glass-to-glass ms, width, height), as :func:`tile_stamps` gives them for a page."""

    def __init__(self) -> None:
        self.video: dict[str, int] = defaultdict(int)
        self.audio: dict[str, int] = defaultdict(int)
        self.sizes: dict[str, tuple[int, int]] = {}
        self.stamps: dict[str, list[tuple[int, int, int, int, int]]] = defaultdict(list)

    def video_frame(self, member_id: str, frame: av.VideoFrame) -> None:
        self.video[member_id] += 1
        self.sizes[member_id] = (frame.width, frame.height)
        stamp = read_frame_stamp(frame)
        if stamp is not None:  # a picture decoded from a broken reference reads as garbage
            now = time.time_ns() // 1_000_000
            self.stamps[member_id].append(
                (stamp.sequence, now, stamp.age_ms(now), frame.width, frame.height)
            )

    def audio_frame(self, member_id: str, frame: av.AudioFrame) -> None:
        self.audio[member_id] += 1


def longest_gap(numbers: list[int]) -> int:
    """The most frames of the stream never shown between two frames shown (numbers are
    16-bit and may wrap)."""
    return max(((b - a) % 65536 - 1 for a, b in itertools.pairwise(numbers)), default=0)
