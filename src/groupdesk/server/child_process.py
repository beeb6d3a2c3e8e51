"""The servers GroupDesk starts for itself (coturn, Janus): started so that they die with
this process, stopped politely, then firmly; and their files that hold a secret."""

from __future__ import annotations

import asyncio
import ctypes
import logging
import os
import signal
import tempfile
from pathlib import Path
from types import TracebackType
from typing import ClassVar, Self

logger = logging.getLogger(__name__)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, readable by its owner alone (0600) before a byte of it
    is written, whatever the umask or the mode of a file already there: a secret, or a
    configuration that holds one."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        os.fchmod(file.fileno(), 0o600)
        file.write(text)


def _die_with_parent() -> None:
    """In the child before ``exec``: it gets SIGTERM if this process dies unstopped (a
    killed test run must not leave a server behind). Linux only, as these servers are."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


async def start_child(program: str, *args: str) -> asyncio.subprocess.Process:
    """``program`` with ``args``, no terminal I/O, dying with this process.

    In a process group of its own: a terminal's Ctrl+C reaches this process alone,
    which stops its servers itself (and can tell that from one of them failing)."""
    return await asyncio.create_subprocess_exec(
        program,
        *args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
        process_group=0,
    )


async def stop_child(process: asyncio.subprocess.Process | None, name: str, timeout: float) -> None:
    """Terminate ``process`` (``name`` in the log), then kill it after ``timeout``."""
    if process is None or process.returncode is not None:
        return
    process.terminate()
    try:
        await asyncio.wait_for(process.wait(), timeout)
    except TimeoutError:
        logger.warning("%s did not stop within %.0f s; killing it", name, timeout)
        process.kill()
        await asyncio.wait_for(process.wait(), timeout)


class ChildServer:
    """A server program run on files in a private temporary folder, as an async context
    manager: a subclass's :meth:`start` makes ``_dir`` and starts ``_process``;
    :meth:`stop` ends both."""

    NAME: ClassVar[str] = "server"
    """Its name in the log."""

    def __init__(self) -> None:
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self._process: asyncio.subprocess.Process | None = None

    @property
    def folder(self) -> Path | None:
        """Its private folder (0700) while it runs; :meth:`stop` removes it."""
        return Path(self._dir.name) if self._dir is not None else None

    async def start(self) -> None:
        """Write the configuration, start the program, wait (bounded) until it answers."""
        raise NotImplementedError

    async def exited(self) -> int | None:
        """Wait until the program ends; its exit status (None: it was not running)."""
        process = self._process
        return None if process is None else await process.wait()

    async def stop(self, timeout: float = 5.0) -> None:
        """Stop the program (terminate, then kill after ``timeout``) and remove its files."""
        process, self._process = self._process, None
        await stop_child(process, self.NAME, timeout)
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()
