"""The servers GroupDesk starts for itself (coturn, Janus): started so that they die with
this process, stopped politely, then firmly."""

from __future__ import annotations

import asyncio
import ctypes
import logging
import signal

logger = logging.getLogger(__name__)


def _die_with_parent() -> None:
    """In the child before ``exec``: it gets SIGTERM if this process dies unstopped (a
    killed test run must not leave a server behind). Linux only, as these servers are."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


async def start_child(program: str, *args: str) -> asyncio.subprocess.Process:
    """``program`` with ``args``, no terminal I/O, dying with this process."""
    return await asyncio.create_subprocess_exec(
        program,
        *args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
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
