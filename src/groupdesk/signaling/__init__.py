"""The client side of the signalling protocol (WebSocket). No Qt."""

from groupdesk.signaling.client import ClientState, SignalingClient, SignalingClosedError

__all__ = ["ClientState", "SignalingClient", "SignalingClosedError"]
