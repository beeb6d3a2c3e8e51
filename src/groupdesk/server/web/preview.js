// The lobby preview, the waiting person's side (groupdesk/media/preview.py is the wire
// contract and the facilitator's side). While the person waits, a facilitator of the
// room may ask to see their camera: `preview.offer {sdp}` (receive-only video, every ICE
// candidate in it). We answer each facilitator with a connection of our own that sends
// video only, never sound: a clone of the device check's camera, made small and slow
// (320x180, 10 fps, 150 kbit/s), so that the camera itself is left to the session's mesh.
// `preview.answer {sdp, camera}` carries our candidates (no trickling) and whether the
// camera is on; `preview.camera {on}` follows each change; `preview.stop {}` either way
// ends it. Admission, leaving, or being turned away hangs up every preview.

import { sdpToSend, waitForCandidates } from './mesh.js';
import { MEMBER_ID } from './protocol.js';

/** What a waiting person sends: media/preview.py's PREVIEW_PROFILE. */
export const PREVIEW = { width: 320, height: 180, frameRate: 10, maxBitrate: 150000 };
const GATHER_WAIT_MS = 2000;
const MAX_WATCHERS = 4; // a room has one facilitator, sometimes two
export class LobbyPreview {
  /**
   * @param {(to: string, payload: object) => void} send relays a payload to a facilitator
   * @param {() => void} changed called when who sees us, or the camera, changed
   */
  constructor(send, changed) {
    this.send = send;
    this.changed = changed;
    this.active = false;
    this.iceServers = [];
    this.camera = null; // the device check's camera track: never stopped here
    this.clone = null; // what the previews send: a small, slow copy of it
    this.cloneOf = null; // the camera track the clone was made from
    this.shaping = Promise.resolve();
    this.shaped = false; // the clone took the small size itself (else the encoder scales)
    this.peers = new Map(); // facilitator -> { pc, sender, connected }
    this.chains = new Map(); // one offer at a time per facilitator
    this.answered = 0;
  }

  /**
   * `waiting`: answer facilitators from now on. A second `waiting` (the lobby connection
   * dropped and knocked again) is a new seat: the old previews are dropped without a
   * word, as a stop sent now could close a facilitator's new preview of the new seat.
   */
  start(iceServers, cameraTrack) {
    this._hangUpAll(false);
    this.iceServers = iceServers;
    this.camera = cameraTrack && cameraTrack.readyState === 'live' ? cameraTrack : null;
    if (this.clone && this.cloneOf !== this.camera) this._dropClone();
    this.active = true;
    this.changed();
  }

  /** One `preview.*` payload from `from`; anything malformed is ignored. */
  handle(from, payload) {
    if (!this.active || typeof from !== 'string' || !MEMBER_ID.test(from)) return;
    if (!payload || typeof payload !== 'object' || typeof payload.type !== 'string') return;
    if (payload.type === 'preview.offer') {
      if (typeof payload.sdp !== 'string' || !payload.sdp.startsWith('v=0')) return;
      this._serial(from, () => this._answer(from, payload.sdp));
    } else if (payload.type === 'preview.stop') {
      this._serial(from, () => this._hangUp(from, false));
    }
  }

  /** The person turned the camera on (`track`: the live camera) or off; watchers are told. */
  setCamera(on, track) {
    if (!this.active) return;
    const before = this.isCameraOn(); // (the page may have stopped that track already)
    this.camera = on && track && track.readyState === 'live' ? track : null;
    if (!this.camera) this._dropClone();
    const clone = this.camera ? this._ensureClone() : null;
    for (const peer of this.peers.values()) {
      if (peer.sender) {
        peer.sender.replaceTrack(clone).catch((error) => {
          console.warn('groupdesk: lobby preview camera change failed:', error && error.name);
        });
      }
    }
    const now = this.isCameraOn();
    if (now !== before) {
      for (const [facilitator, peer] of this.peers) {
        if (peer.answered) this.send(facilitator, { type: 'preview.camera', on: now });
      }
    }
    this.changed();
  }

  isCameraOn() {
    return Boolean(this.camera);
  }

  /** Whether a facilitator's preview is connected and the camera is on: they see us now. */
  isSeen() {
    return this.isCameraOn() && [...this.peers.values()].some((peer) => peer.connected);
  }

  /**
   * For the page's state (tests, support): who asked, who sees us, what is sent. Read it
   * when needed rather than keeping it: the clone's size (`getSettings`) is the size of
   * the frames it delivered, so it changes to the small size only with the first frame
   * after the constraints applied, an event that nothing announces.
   */
  snapshot() {
    const settings = this.clone ? this.clone.getSettings() : {};
    return {
      active: this.active,
      watchers: [...this.peers.keys()].sort(),
      connected: [...this.peers.values()].filter((peer) => peer.connected).length,
      answered: this.answered,
      camera: this.isCameraOn(),
      seen: this.isSeen(),
      width: settings.width || 0,
      height: settings.height || 0,
      frameRate: settings.frameRate || 0,
      shaped: this.shaped,
    };
  }

  /**
   * The wait is over (admitted, turned away, left): hang up every preview, saying stop
   * first when `notify` (the server no longer relays anything for a person it turned
   * away), and stop the clone. The camera itself stays on for the session.
   */
  close({ notify = true } = {}) {
    if (!this.active && !this.peers.size && !this.clone) return;
    this.active = false;
    this._hangUpAll(notify);
    this._dropClone();
    this.camera = null;
    this.changed();
  }

  // -- inside -----------------------------------------------------------------------------

  _serial(facilitator, step) {
    const next = (this.chains.get(facilitator) || Promise.resolve()).then(step).catch((error) => {
      console.warn('groupdesk: lobby preview for', facilitator, 'failed:', error && error.name);
      this._hangUp(facilitator, false);
    });
    this.chains.set(facilitator, next);
    return next;
  }

  _ensureClone() {
    if (this.clone && this.cloneOf === this.camera && this.clone.readyState === 'live') return this.clone;
    this._dropClone();
    const clone = this.camera.clone();
    this.clone = clone;
    this.cloneOf = this.camera;
    this.shaped = false;
    this.shaping = clone.applyConstraints({
      width: { ideal: PREVIEW.width, max: PREVIEW.width },
      height: { ideal: PREVIEW.height, max: PREVIEW.height },
      frameRate: { ideal: PREVIEW.frameRate, max: PREVIEW.frameRate },
      resizeMode: 'crop-and-scale',
    }).then(() => {
      if (this.clone === clone) this.shaped = true;
    }).catch(() => {
      // This browser cannot scale a clone: the sender's encoding scales it instead.
    });
    return clone;
  }

  _dropClone() {
    if (this.clone) this.clone.stop();
    this.clone = null;
    this.cloneOf = null;
    this.shaped = false;
  }

  async _answer(facilitator, sdp) {
    await this._hangUp(facilitator, false); // a new offer replaces the previous connection
    if (!this.active || this.peers.size >= MAX_WATCHERS) return;
    // Never a default STUN server: only what the room's server named (maybe none).
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    const peer = { pc, sender: null, connected: false, answered: false };
    this.peers.set(facilitator, peer);
    pc.addEventListener('connectionstatechange', () => {
      if (this.peers.get(facilitator) !== peer) return;
      const state = pc.connectionState;
      peer.connected = state === 'connected';
      if (state === 'failed' || state === 'closed') this._hangUp(facilitator, false);
      this.changed();
    });
    await pc.setRemoteDescription({ type: 'offer', sdp });
    for (const transceiver of pc.getTransceivers()) {
      if (!peer.sender && transceiver.receiver.track.kind === 'video') {
        transceiver.direction = 'sendonly';
        peer.sender = transceiver.sender;
      } else {
        transceiver.direction = 'inactive'; // never sound, and one picture only
      }
    }
    const clone = this.isCameraOn() ? this._ensureClone() : null;
    if (clone) await this.shaping;
    if (this.peers.get(facilitator) !== peer) return;
    if (peer.sender) await peer.sender.replaceTrack(this.isCameraOn() ? this.clone : null);
    await pc.setLocalDescription(await pc.createAnswer());
    await this._limit(peer.sender);
    await waitForCandidates(pc, GATHER_WAIT_MS);
    if (this.peers.get(facilitator) !== peer || !this.active) return;
    peer.answered = true;
    this.answered += 1;
    this.send(facilitator, {
      type: 'preview.answer',
      sdp: sdpToSend(pc.localDescription.sdp),
      camera: Boolean(peer.sender) && this.isCameraOn(),
    });
    this.changed();
  }

  /** A low bitrate and frame rate; the size too when the clone could not take it. */
  async _limit(sender) {
    if (!sender || typeof sender.getParameters !== 'function') return;
    try {
      const params = sender.getParameters();
      if (!params.encodings || !params.encodings.length) return;
      const encoding = params.encodings[0];
      encoding.maxBitrate = PREVIEW.maxBitrate;
      encoding.maxFramerate = PREVIEW.frameRate;
      const width = this.clone?.getSettings().width || 0;
      if (!this.shaped && width > PREVIEW.width) encoding.scaleResolutionDownBy = width / PREVIEW.width;
      await sender.setParameters(params);
    } catch {
      // Not every browser takes every field: the preview still goes, only larger.
    }
  }

  _hangUp(facilitator, notify) {
    const peer = this.peers.get(facilitator);
    if (!peer) return;
    this.peers.delete(facilitator);
    if (notify) this.send(facilitator, { type: 'preview.stop' });
    try {
      peer.pc.close();
    } catch {
      // already closed
    }
    this.changed();
  }

  _hangUpAll(notify) {
    for (const facilitator of [...this.peers.keys()]) this._hangUp(facilitator, notify);
  }
}
