"""``groupdesk --self-test``: does this installation have everything it needs?

An administrator runs it after installing (and CI runs it on every bundle): each
check uses the real libraries the way the app does -- two WebRTC peers on loopback
negotiating VP8 and Opus and passing media over DTLS-SRTP, an encrypted SQLCipher
file written and read, the keyring backends, Qt's platform plugin and Qt Multimedia,
the translations -- and prints one line, OK or FAIL with the reason. The exit code
is 0 only when every check passed. Each check has a time limit: one that does not
answer in time is a failure, and the program ends there (a hung library call cannot
be interrupted).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from groupdesk.core.i18n import LANGUAGES, catalogue, decimal, tr


@dataclass(frozen=True, slots=True)
class Outcome:
    """One check's result: passed or not, and what to say (a catalogue key and its values)."""

    ok: bool
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        """The detail in the current language."""
        return tr(self.key, **self.params)


@dataclass(frozen=True, slots=True)
class Check:
    """A named check and its time limit in seconds."""

    name_key: str
    run: Callable[[], Outcome]
    timeout: float


class CheckFailedError(Exception):
    """A check found something wrong; its message is already in the reader's language."""


# -- WebRTC --------------------------------------------------------------------------------

#: Decoded frames each side must receive before the media check passes.
VIDEO_FRAMES, AUDIO_FRAMES = 3, 10


def check_media() -> Outcome:
    """Two aiortc peers on loopback: VP8 and Opus negotiated, DTLS up, media through SRTP."""
    return asyncio.run(_media_call())


async def _media_call() -> Outcome:
    from aiortc.sdp import SessionDescription

    from groupdesk.media import ice
    from groupdesk.media.peer import new_peer_connection, prefer_codecs
    from groupdesk.media.sources import SpeechLikeAudioSource, TestPatternSource

    # Both peers are in this process: loopback only, never the network.
    ice.restrict_host_addresses(ice.LOOPBACK_ADDRESSES)
    offerer, answerer = new_peer_connection([]), new_peer_connection([])
    received: asyncio.Queue[Any] = asyncio.Queue()
    answerer.on("track", received.put_nowait)
    video, audio = TestPatternSource("self-test", fps=15), SpeechLikeAudioSource(talk_ratio=1.0)
    try:
        offerer.addTrack(video)
        offerer.addTrack(audio)
        prefer_codecs(offerer)
        await offerer.setLocalDescription(await offerer.createOffer())
        await answerer.setRemoteDescription(offerer.localDescription)
        await answerer.setLocalDescription(await answerer.createAnswer())
        await offerer.setRemoteDescription(answerer.localDescription)
        negotiated = {
            media.kind: media.rtp.codecs[0].mimeType if media.rtp.codecs else "-"
            for media in SessionDescription.parse(answerer.localDescription.sdp).media
        }
        if negotiated.get("video") != "video/VP8" or negotiated.get("audio") != "audio/opus":
            raise CheckFailedError(
                tr(
                    "selftest.media.codecs",
                    video=negotiated.get("video", "-"),
                    audio=negotiated.get("audio", "-"),
                )
            )
        counts = {"video": 0, "audio": 0}
        wanted = {"video": VIDEO_FRAMES, "audio": AUDIO_FRAMES}
        readers = []
        for _ in range(2):
            track = await received.get()
            readers.append(asyncio.ensure_future(_read(track, wanted[track.kind], counts)))
        await asyncio.gather(*readers)
        dtls = {t.sender.transport.state for t in offerer.getTransceivers()}
        if offerer.connectionState != "connected" or dtls != {"connected"}:
            raise CheckFailedError(tr("selftest.media.dtls", state=offerer.connectionState))
        return Outcome(True, "selftest.media.ok", dict(counts))
    finally:
        video.stop()
        audio.stop()
        await offerer.close()
        await answerer.close()


async def _read(track: Any, frames: int, counts: dict[str, int]) -> None:
    """Decode ``frames`` frames of ``track`` (they came through SRTP and the decoder)."""
    for _ in range(frames):
        await track.recv()
        counts[track.kind] += 1


# -- SQLCipher -----------------------------------------------------------------------------

_PLAIN_SQLITE_HEADER = b"SQLite format 3\x00"
_PROBE_TEXT = "GroupDesk self-test: é, è, ç"


def check_sqlcipher() -> Outcome:
    """Write a row to a new encrypted log file, read it back, and see it is not plain SQLite."""
    import sqlite3

    from groupdesk.sessionlog.connection import connect

    with tempfile.TemporaryDirectory(prefix="groupdesk-selftest-") as folder:
        path = Path(folder) / "selftest.db"
        path.touch(mode=0o600)
        key = os.urandom(32)
        conn = connect(path, key)
        try:
            version = conn.execute("PRAGMA cipher_version").fetchone()[0]
            conn.execute("CREATE TABLE probe (text TEXT NOT NULL)")
            conn.execute("INSERT INTO probe VALUES (?)", (_PROBE_TEXT,))
        finally:
            conn.close()
        conn = connect(path, key, readonly=True)
        try:
            back = conn.execute("SELECT text FROM probe").fetchone()[0]
        finally:
            conn.close()
        if back != _PROBE_TEXT:
            raise CheckFailedError(tr("selftest.sqlcipher.differs"))
        with path.open("rb") as f:
            head = f.read(len(_PLAIN_SQLITE_HEADER))
        plain = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
            readable = True
        except sqlite3.DatabaseError:
            readable = False
        finally:
            plain.close()
        if head == _PLAIN_SQLITE_HEADER or readable or _PROBE_TEXT.encode() in path.read_bytes():
            raise CheckFailedError(tr("selftest.sqlcipher.plain"))
    return Outcome(True, "selftest.sqlcipher.ok", {"version": version})


# -- keyring -------------------------------------------------------------------------------


def check_keyring(platform: str = sys.platform) -> Outcome:
    """List the keyring backends; none usable is a failure only where the OS always has one."""
    import keyring.backend

    from groupdesk.sessionlog.keys import current_backend_name, keyring_available

    # The backend the OS should offer must at least be in the program.
    native = {
        "win32": "keyring.backends.Windows",
        "darwin": "keyring.backends.macOS",
    }.get(platform, "keyring.backends.SecretService")
    try:
        __import__(native)
    except ImportError as error:
        raise CheckFailedError(
            tr("selftest.keyring.missing", module=native, error=error)
        ) from error
    names = sorted(
        f"{type(b).__module__}.{type(b).__name__}" for b in keyring.backend.get_all_keyring()
    )
    listed = ", ".join(names) or "-"
    if keyring_available():
        return Outcome(
            True, "selftest.keyring.ok", {"backends": listed, "used": current_backend_name()}
        )
    if platform.startswith("linux"):
        return Outcome(True, "selftest.keyring.none_linux", {"backends": listed})
    raise CheckFailedError(tr("selftest.keyring.none", backends=listed))


# -- Qt ------------------------------------------------------------------------------------


def check_qt_multimedia() -> Outcome:
    """Qt's platform plugin loads and Qt Multimedia has a backend; lists the devices."""
    from groupdesk.ui.selftest_qt import media_devices

    found = media_devices()
    if found.decoders == 0:
        raise CheckFailedError(tr("selftest.qt.no_backend", platform=found.platform))
    return Outcome(
        True,
        "selftest.qt.ok",
        {
            "platform": found.platform,
            "cameras": found.cameras,
            "microphones": found.microphones,
            "speakers": found.speakers,
        },
    )


def check_translations() -> Outcome:
    """The JSON catalogues (every message in every language) and the French .qm files."""
    from groupdesk.ui.selftest_qt import french_catalogues

    messages = catalogue()
    for key, texts in messages.items():
        for lang in LANGUAGES:
            if not texts.get(lang):
                raise CheckFailedError(tr("selftest.translations.untranslated", key=key, lang=lang))
    qt = french_catalogues()
    if not qt.groupdesk_found:
        raise CheckFailedError(tr("selftest.translations.no_qm"))
    if not qt.groupdesk_translates:
        raise CheckFailedError(tr("selftest.translations.bad_qm"))
    if not qt.qt_found:
        raise CheckFailedError(tr("selftest.translations.no_qt_qm"))
    return Outcome(True, "selftest.translations.ok", {"messages": len(messages)})


# -- running -------------------------------------------------------------------------------

CHECKS = (
    Check("selftest.name.media", check_media, 30.0),
    Check("selftest.name.sqlcipher", check_sqlcipher, 20.0),
    Check("selftest.name.keyring", check_keyring, 15.0),
    Check("selftest.name.qt", check_qt_multimedia, 30.0),
    Check("selftest.name.translations", check_translations, 15.0),
)


def _line(ok: bool, name: str, detail: str) -> str:
    return tr("selftest.line.ok" if ok else "selftest.line.fail", name=name, detail=detail)


def run(
    checks: tuple[Check, ...] = CHECKS,
    out: TextIO | None = None,
    exit_now: Callable[[int], object] = os._exit,
) -> int:
    """Run every check, print one line each and a summary; 0 when all passed, else 1.

    A check still running after its time limit is reported as failed and the process
    ends at once through ``exit_now`` (code 1): the call that hangs cannot be stopped.
    """
    out = out or sys.stdout
    _quiet_qt_info()
    started = time.monotonic()
    failed = 0
    for check in checks:
        name = tr(check.name_key)
        watchdog = threading.Timer(check.timeout, _give_up, (out, name, check.timeout, exit_now))
        watchdog.daemon = True
        watchdog.start()
        try:
            outcome = check.run()
            ok, detail = outcome.ok, outcome.text()
        except CheckFailedError as failure:
            ok, detail = False, str(failure)
        except Exception as error:  # noqa: BLE001 -- any error is this check's FAIL, said in full
            ok, detail = False, f"{type(error).__name__}: {error}"
        finally:
            watchdog.cancel()
        failed += not ok
        print(_line(ok, name, detail), file=out, flush=True)
    seconds = decimal(time.monotonic() - started)
    if failed:
        print(tr("selftest.failed", failed=failed, count=len(checks)), file=out, flush=True)
        return 1
    print(tr("selftest.passed", count=len(checks), seconds=seconds), file=out, flush=True)
    return 0


def _give_up(out: TextIO, name: str, timeout: float, exit_now: Callable[[int], object]) -> None:
    detail = tr("selftest.timeout", seconds=f"{timeout:g}")
    print(_line(False, name, detail), file=out, flush=True)
    print(tr("selftest.failed", failed=1, count=len(CHECKS)), file=out, flush=True)
    exit_now(1)


def _quiet_qt_info() -> None:
    """Keep Qt Multimedia's informational lines (which FFmpeg, which audio library) out."""
    rules = os.environ.get("QT_LOGGING_RULES", "")
    os.environ["QT_LOGGING_RULES"] = ";".join(
        r for r in (rules, "qt.multimedia.*.info=false", "qt.multimedia.symbolsresolver=false") if r
    )
