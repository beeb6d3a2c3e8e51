"""A small async client of Janus's HTTP APIs (the Admin API and the Janus API).

``groupdesk-server`` manages Janus through the Admin API (``admin_secret``):
``add_token``/``remove_token`` for the members' Janus tokens, ``message_plugin``
for VideoRoom's synchronous requests (create, destroy, exists, allowed), and
``destroy_session`` to end a removed member's session whatever its token.

For each admitted member in an SFU room it also opens a :class:`JanusSession` on the
Janus API **with that member's token** (so Janus itself refuses anyone not admitted):
VideoRoom handles, messages with their JSEP, trickled candidates, keepalives, and the
session's events by long poll (``GET /janus/<session>?maxev=N``).

Every request has a bounded timeout; a refusal or an unreachable Janus raises
:class:`JanusError` (``code`` is Janus's error code, None when Janus could not be
reached). No error text carries a token or an SDP.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from types import TracebackType
from typing import Any

import aiohttp

VIDEOROOM = "janus.plugin.videoroom"


class JanusError(RuntimeError):
    """Janus is unreachable, did not answer in time, or refused a request."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class JanusAdmin:
    """Requests to Janus's Admin API at ``url`` (``http://127.0.0.1:7088/admin``)."""

    def __init__(self, url: str, admin_secret: str, *, timeout: float = 5.0) -> None:
        self.url = url.rstrip("/")
        self._secret = admin_secret
        self._timeout = timeout
        self._http: aiohttp.ClientSession | None = None

    def _session(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession()
        return self._http

    async def close(self) -> None:
        """Close the HTTP connections."""
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def __aenter__(self) -> JanusAdmin:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def request(
        self, kind: str, *, timeout: float | None = None, **fields: Any
    ) -> dict[str, Any]:
        """Send an Admin API request ``{"janus": kind, ...}``; its reply, else JanusError."""
        body = {
            "janus": kind,
            "transaction": secrets.token_hex(8),
            "admin_secret": self._secret,
            **fields,
        }
        reply = await post_json(self._session(), self.url, body, timeout or self._timeout)
        if reply.get("janus") == "error":
            error = reply.get("error") or {}
            raise JanusError(f"Janus refused {kind}: {error.get('reason')}", error.get("code"))
        return reply

    async def ping(self, timeout: float = 1.0) -> bool:
        """Whether Janus answers (``pong``) within ``timeout``."""
        try:
            return (await self.request("ping", timeout=timeout)).get("janus") == "pong"
        except JanusError:
            return False

    async def add_token(self, token: str) -> None:
        """Let ``token`` open Janus sessions, for the VideoRoom plugin only."""
        await self.request("add_token", token=token, plugins=[VIDEOROOM])

    async def remove_token(self, token: str) -> None:
        """Refuse ``token`` from now on."""
        await self.request("remove_token", token=token)

    async def tokens(self) -> set[str]:
        """The tokens Janus accepts now."""
        reply = await self.request("list_tokens")
        return {str(t.get("token")) for t in reply.get("data", {}).get("tokens", [])}

    async def destroy_session(self, session_id: int, timeout: float | None = None) -> None:
        """End a Janus API session (its handles, publishers and PeerConnections)."""
        body = {
            "janus": "destroy_session",
            "transaction": secrets.token_hex(8),
            "admin_secret": self._secret,
        }
        reply = await post_json(
            self._session(), f"{self.url}/{session_id}", body, timeout or self._timeout
        )
        if reply.get("janus") == "error":
            error = reply.get("error") or {}
            reason = error.get("reason")
            raise JanusError(f"Janus refused destroy_session: {reason}", error.get("code"))

    async def sessions(self) -> set[int]:
        """The Janus API sessions open now."""
        reply = await self.request("list_sessions")
        return {int(s) for s in reply.get("sessions", [])}

    async def videoroom(self, request: dict[str, Any]) -> dict[str, Any]:
        """A synchronous VideoRoom request through the Admin API; the plugin's answer."""
        reply = await self.request("message_plugin", plugin=VIDEOROOM, request=request)
        response = reply.get("response")
        if not isinstance(response, dict):
            raise JanusError("Janus's VideoRoom gave no answer")
        if response.get("videoroom") == "event" and "error_code" in response:
            raise JanusError(
                f"VideoRoom refused {request.get('request')}: {response.get('error')}",
                response.get("error_code"),
            )
        return response


async def post_json(
    http: aiohttp.ClientSession, url: str, body: dict[str, Any], timeout: float
) -> dict[str, Any]:
    """POST ``body`` to ``url``; the JSON object it answers, else JanusError."""
    try:
        async with http.post(
            url, json=body, timeout=aiohttp.ClientTimeout(total=timeout)
        ) as response:
            reply = await response.json(content_type=None)
    except TimeoutError as error:
        raise JanusError(f"Janus did not answer within {timeout:.1f} s") from error
    except (aiohttp.ClientError, ValueError) as error:
        raise JanusError(f"Janus is unreachable at {url}: {error}") from error
    if not isinstance(reply, dict):
        raise JanusError("Janus answered something that is not a JSON object")
    return reply


SESSION_GONE = 458
"""Janus's JANUS_ERROR_SESSION_NOT_FOUND."""
UNAUTHORIZED = 403
"""Janus's JANUS_ERROR_UNAUTHORIZED (a token it does not accept)."""

Event = dict[str, Any]
Jsep = dict[str, Any]


class JanusSession:
    """One Janus API session opened with one member's ``token``.

    :meth:`create` opens it; :meth:`events` long-polls it until it is gone (run it as a
    task: it resolves the replies :meth:`message` waits for and hands every other event
    to its callback); :meth:`destroy` ends it. Requests are bounded by ``timeout``,
    an asynchronous plugin reply by ``reply_timeout``.
    """

    def __init__(
        self,
        http: aiohttp.ClientSession,
        url: str,
        token: str,
        *,
        timeout: float = 5.0,
        reply_timeout: float = 10.0,
    ) -> None:
        self.url = url.rstrip("/")
        self._http = http
        self._token = token
        self._timeout = timeout
        self._reply_timeout = reply_timeout
        self.session_id: int | None = None
        self.gone = False
        self._waiting: dict[str, asyncio.Future[Event]] = {}

    @property
    def _base(self) -> str:
        if self.session_id is None:
            raise JanusError("no Janus session yet")
        return f"{self.url}/{self.session_id}"

    async def _post(self, url: str, kind: str, **fields: Any) -> Event:
        transaction = fields.pop("transaction", None) or secrets.token_hex(8)
        body = {"janus": kind, "transaction": transaction, "token": self._token, **fields}
        reply = await post_json(self._http, url, body, self._timeout)
        if reply.get("janus") == "error":
            error = reply.get("error") or {}
            code = error.get("code")
            if code == SESSION_GONE:
                self.gone = True
            raise JanusError(f"Janus refused {kind}: {error.get('reason')}", code)
        return reply

    async def create(self) -> int:
        """Open the session; its id."""
        reply = await self._post(self.url, "create")
        self.session_id = int(reply["data"]["id"])
        return self.session_id

    async def attach(self, plugin: str = VIDEOROOM) -> int:
        """A new handle on ``plugin``; its id."""
        reply = await self._post(self._base, "attach", plugin=plugin)
        return int(reply["data"]["id"])

    async def message(
        self, handle: int, body: dict[str, Any], jsep: Jsep | None = None
    ) -> tuple[dict[str, Any], Jsep | None]:
        """Send a plugin request (with ``jsep`` if any); the plugin's answer and its JSEP.

        Janus answers a synchronous request at once and an asynchronous one (``join``,
        ``configure``, ``start``...) with an event on the long poll: :meth:`events` must
        be running. A plugin error raises JanusError with the plugin's error code.
        """
        transaction = secrets.token_hex(8)
        waiter = asyncio.get_running_loop().create_future()
        self._waiting[transaction] = waiter
        fields: dict[str, Any] = {"body": body, "transaction": transaction}
        if jsep is not None:
            fields["jsep"] = jsep
        try:
            reply = await self._post(f"{self._base}/{handle}", "message", **fields)
            if reply.get("janus") == "ack":
                try:
                    reply = await asyncio.wait_for(waiter, self._reply_timeout)
                except TimeoutError as error:
                    raise JanusError(
                        f"Janus's {body.get('request')} got no answer within "
                        f"{self._reply_timeout:.0f} s"
                    ) from error
        finally:
            self._waiting.pop(transaction, None)
        data = (reply.get("plugindata") or {}).get("data")
        if not isinstance(data, dict):
            raise JanusError(f"Janus gave no plugin answer to {body.get('request')}")
        if "error_code" in data:
            raise JanusError(
                f"VideoRoom refused {body.get('request')}: {data.get('error')}",
                data.get("error_code"),
            )
        answer = reply.get("jsep")
        return data, answer if isinstance(answer, dict) else None

    async def trickle(self, handle: int, candidate: dict[str, Any]) -> None:
        """One ICE candidate for ``handle`` (``{"completed": true}``: no more)."""
        await self._post(f"{self._base}/{handle}", "trickle", candidate=candidate)

    async def keepalive(self) -> None:
        """Tell Janus the session is in use (its ``session_timeout`` is 60 s)."""
        await self._post(self._base, "keepalive")

    async def detach(self, handle: int) -> None:
        """Close ``handle`` (its PeerConnection and its place in the VideoRoom)."""
        await self._post(f"{self._base}/{handle}", "detach")

    async def destroy(self) -> None:
        """End the session and every handle in it."""
        if self.session_id is not None and not self.gone:
            self.gone = True
            await self._post(self._base, "destroy")

    async def poll(self, maxev: int = 10, timeout: float = 40.0) -> list[Event]:
        """One long poll: the events waiting (Janus answers within 30 s, with a
        ``keepalive`` when there are none). The token goes in the query string, as
        Janus's HTTP transport wants it, so no error here quotes the URL."""
        params = {"maxev": str(maxev), "token": self._token}
        try:
            async with self._http.get(
                self._base, params=params, timeout=aiohttp.ClientTimeout(total=timeout)
            ) as response:
                if response.status in (403, 404):
                    self.gone = True
                    code = UNAUTHORIZED if response.status == 403 else SESSION_GONE
                    raise JanusError(f"Janus ended the session ({response.status})", code)
                reply = await response.json(content_type=None)
        except TimeoutError as error:
            raise JanusError(f"Janus's long poll took over {timeout:.0f} s") from error
        except (aiohttp.ClientError, ValueError) as error:
            raise JanusError(f"Janus's long poll failed ({type(error).__name__})") from error
        events = reply if isinstance(reply, list) else [reply]
        return [e for e in events if isinstance(e, dict)]

    async def events(
        self,
        on_event: Callable[[Event], None],
        *,
        retries: int = 3,
        retry_delay: float = 1.0,
    ) -> None:
        """Long-poll until the session is gone (or ``retries`` polls in a row fail):
        replies go to the :meth:`message` waiting for them, other events to ``on_event``."""
        failures = 0
        while not self.gone:
            try:
                events = await self.poll()
            except JanusError:
                failures += 1
                if self.gone or failures > retries:
                    self.gone = True
                    break
                await asyncio.sleep(retry_delay)
                continue
            failures = 0
            for event in events:
                self._dispatch(event, on_event)
        for waiter in self._waiting.values():
            if not waiter.done():
                waiter.set_exception(JanusError("the Janus session ended"))

    def _dispatch(self, event: Event, on_event: Callable[[Event], None]) -> None:
        kind = event.get("janus")
        if kind == "keepalive":
            return
        transaction = event.get("transaction")
        waiter = self._waiting.get(transaction) if isinstance(transaction, str) else None
        if kind == "event" and waiter is not None and not waiter.done():
            waiter.set_result(event)
            return
        on_event(event)
