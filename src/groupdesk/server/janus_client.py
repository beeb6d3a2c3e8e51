"""A small async client of Janus's HTTP APIs (the Admin API and the Janus API).

``groupdesk-server`` speaks to Janus through the Admin API alone (``admin_secret``):
``add_token``/``remove_token`` for the members' Janus tokens, and ``message_plugin``
for VideoRoom's synchronous requests (create, destroy, exists, allowed). Every request
has a bounded timeout; a refusal or an unreachable Janus raises :class:`JanusError`.
"""

from __future__ import annotations

import secrets
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
