"""WebRTC media through aiortc: mesh, synthetic sources, fan-out, levels. No Qt.

The surface the app, the bots and the UI use:

- :class:`groupdesk.media.mesh.Mesh` -- the call: one peer connection per remote
  member; ``events`` (:mod:`groupdesk.media.events`) report connection state,
  audio levels, voice activity, statistics and the quality sent.
- :class:`groupdesk.media.sfu.SfuCall` -- the call in an SFU room: one stream
  published to the organisation's media server, one connection per member received
  from it; the same events. :class:`groupdesk.media.call.MediaCall` is what both
  kinds of call offer the app and the bots.
- :class:`groupdesk.media.link.MeshLink` -- feeds a signalling client's messages
  into the room's call (``make_call`` picks the kind from ``Admitted.media``);
  :class:`groupdesk.media.loopback.LoopbackRoom` does the same for a mesh in one
  process (tests, demos, benchmarks).
- :mod:`groupdesk.media.sources` -- ``VideoSource`` / ``AudioSource`` (what device
  capture implements; ``PushedVideoSource`` / ``PushedAudioSource`` take frames
  from a capture callback), ``TestPatternSource``, ``SpeechLikeAudioSource`` and
  ``read_frame_stamp``.
- :class:`groupdesk.media.peer.MediaSink` -- where received frames go (tiles,
  speakers).
"""

from groupdesk.media import jitter as _jitter

# aiortc's video jitter buffer holds each frame until the next frame's first
# packet arrives (one frame interval of latency), and waits on a lost packet until
# its 512 slots overflow (a frozen picture for tens of seconds); ours releases a
# frame at its marker packet and skips a loss to the next keyframe, asking for one
# (groupdesk.media.recovery). aiortc offers no hook, so its receiver's class
# reference is rebound, once, here: every receiver GroupDesk creates imports
# groupdesk.media first. tests/media/test_jitter.py checks the rebinding holds.
_jitter.install()
