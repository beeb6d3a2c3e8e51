"""The client side of the signalling protocol (WebSocket). No Qt."""
