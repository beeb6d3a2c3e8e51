"""WebRTC media through aiortc: mesh, synthetic sources, fan-out, levels. No Qt."""
