// The browser's side of the mesh: one RTCPeerConnection per remote member, speaking the
// same signal payloads as groupdesk.media (media/messages.py, media/mesh.py):
//   {type: 'media.offer', gen, sdp}      from the member whose id sorts first
//   {type: 'media.answer', gen, sdp}
//   {type: 'media.restart', gen}         the answerer asks for a new offer
//   {type: 'media.candidate', gen, candidate, sdpMid, sdpMLineIndex}   late candidates
//   {type: 'media.prefs', video}         what the sender wants to receive
// Every payload also carries `incarnation` (one random id per load of this page) and
// `to_incarnation` (the receiver's, as last heard). A member heard with a new incarnation
// runs a new program on its old seat: its connection is dropped at once and negotiated
// afresh from generation 0. Payloads from a replaced incarnation, or meant for another
// one than ours (a previous load of this page), are ignored.
// A failed connection is replaced by a new one of the next generation, as aiortc does
// (no in-place ICE restart). Offers and answers carry the candidates gathered so far
// (aiortc does not trickle); the ones found later follow as media.candidate.
// Codecs: Opus and VP8 only, which every member can decode.
// A share (a screen, a window, a document) travels on a third transceiver, a second
// video one, `sendrecv` from the first offer on both sides (media/share.py): sharing is a
// replaceTrack, never a renegotiation, and its track is told from the camera's by its
// place (the transceiver after the camera's), emitted as a 'share-track' event.
// The private side room: the members across it are `blocked`; their senders carry no
// track (replaceTrack(null), no renegotiation), from the connection's first moment.

import { roomCode, sdpFingerprint } from './security_code.js';

const CONNECT_TIMEOUT_MS = 20000;
const GATHER_WAIT_MS = 2500;
const BACKOFF_MS = [200, 8000];
const WANTED = { audio: ['audio/opus'], video: ['video/vp8', 'video/rtx'] };
const SLOTS = ['audio', 'video', 'share']; // the transceivers of every connection, in order
const SHARE_SLOT = 2;
const RETIRED_KEPT = 8; // replaced incarnations remembered per member
const INCARNATION = /^[A-Za-z0-9_-]{1,64}$/;

/** A new random incarnation: 32 hex digits (getRandomValues works outside HTTPS too). */
function newIncarnation() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The SDP to send, without `a=end-of-candidates`. Without camera or microphone permission
 * a browser hides its addresses behind mDNS names that aiortc may be unable to resolve;
 * told that no candidate will follow, aiortc then gives up at once, while waiting lets it
 * learn the browser's real address from the browser's own connectivity checks.
 */
export function sdpToSend(sdp) {
  return sdp.replace(/^a=end-of-candidates\r?\n/gm, '');
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Bitrate for each outgoing video copy: the browser encodes once per peer. */
function videoBitrate(peers) {
  if (peers <= 2) return 600000;
  if (peers <= 5) return 300000;
  return 150000;
}

/** Until `pc` has gathered its ICE candidates, or `ms` at the most. */
export async function waitForCandidates(pc, ms) {
  if (pc.iceGatheringState === 'complete') return;
  await Promise.race([
    delay(ms),
    new Promise((resolve) => {
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') resolve();
      });
    }),
  ]);
}

export class BrowserMesh {
  /**
   * @param {string} localId our member id
   * @param {(to: string, payload: object) => void} send relays a payload to one member
   * @param {RTCIceServer[]} iceServers from `admitted` (an empty list: no STUN/TURN)
   * @param {(event: object) => void} emit peer events for the page
   * @param {'all'|'relay'} iceTransportPolicy 'relay' in a relay-only room (`admitted`):
   *   the browser then offers and uses TURN relay candidates only
   */
  constructor(localId, send, iceServers, emit, iceTransportPolicy = 'all') {
    this.localId = localId;
    this.send = send;
    this.iceServers = iceServers;
    this.iceTransportPolicy = iceTransportPolicy;
    this.emit = emit;
    this.peers = new Map();
    this.members = new Set();
    this.failures = new Map();
    this.remoteWantsVideo = new Map();
    this.awaiting = new Map();
    this.chains = new Map(); // one negotiation step at a time per member, like aiortc's locks
    this.tracks = { audio: null, video: null, share: null };
    this.blocked = new Set(); // members we send nothing to (the private side room)
    this.receiveVideo = true;
    this.closed = false;
    this.incarnation = newIncarnation();
    this.incarnations = new Map(); // member -> its incarnation as last heard
    this.retired = new Map(); // member -> its replaced incarnations
    // Why connections were replaced, as groupdesk.media's Mesh.restarts counts them.
    this.restarts = {};
    // One DTLS certificate for every connection, as the app's Mesh: every member then sees
    // the same fingerprint for us, and the room's security code can agree.
    this.certificate = null;
    this.certificateReady = RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' })
      .then((certificate) => { this.certificate = certificate; })
      .catch((error) => console.warn('groupdesk: no certificate of our own:', error && error.name));
  }

  /** The fingerprint our DTLS presents on every connection ("sha-256 AB:…"), or null. */
  localFingerprint() {
    if (!this.certificate) return null;
    const fingerprints = this.certificate.getFingerprints ? this.certificate.getFingerprints() : [];
    const mine = fingerprints.find((f) => f.algorithm.toLowerCase() === 'sha-256');
    if (mine) return `sha-256 ${mine.value}`;
    for (const peer of this.peers.values()) {
      const announced = sdpFingerprint(peer.pc.localDescription && peer.pc.localDescription.sdp);
      if (announced) return announced;
    }
    return null;
  }

  /**
   * The room's security code as we see it ({code, waiting, members}), or null when it
   * cannot be computed here (no certificate of our own, no Web Crypto).
   */
  async securityCode() {
    const own = this.localFingerprint();
    if (!own || !globalThis.crypto || !globalThis.crypto.subtle) return null;
    const peers = {};
    for (const memberId of this.members) {
      const peer = this.peers.get(memberId);
      // Once connected, the browser has checked the other side's certificate against it.
      const up = peer && peer.pc.connectionState === 'connected' && peer.pc.remoteDescription;
      peers[memberId] = up ? sdpFingerprint(peer.pc.remoteDescription.sdp) : null;
    }
    return roomCode(this.localId, own, peers);
  }

  /** Send one payload to a member, addressed from our incarnation to theirs. */
  _post(memberId, payload) {
    const addressed = { ...payload, incarnation: this.incarnation };
    const theirs = this.incarnations.get(memberId);
    if (theirs) addressed.to_incarnation = theirs;
    this.send(memberId, addressed);
  }

  _count(cause) {
    this.restarts[cause] = (this.restarts[cause] || 0) + 1;
  }

  isOfferer(memberId) {
    return this.localId < memberId;
  }

  /** Replace what we send (null: nothing) without renegotiating. */
  setTrack(kind, track) {
    this.tracks[kind] = track;
    for (const peer of this.peers.values()) this._applyTrack(peer, kind);
  }

  /** The members we send nothing to now (the others get our tracks back, as they are). */
  setBlocked(memberIds) {
    this.blocked = new Set(memberIds);
    for (const peer of this.peers.values()) {
      for (const kind of SLOTS) this._applyTrack(peer, kind);
    }
  }

  async setReceiveVideo(enabled) {
    if (enabled === this.receiveVideo) return;
    this.receiveVideo = enabled;
    for (const memberId of this.members) this._post(memberId, { type: 'media.prefs', video: enabled });
  }

  memberJoined(memberId) {
    if (this.closed || memberId === this.localId) return;
    this.members.add(memberId);
    // Always: it tells the member our incarnation at once, so that one who knew a
    // previous load of this page drops that connection now.
    this._post(memberId, { type: 'media.prefs', video: this.receiveVideo });
    if (this.peers.has(memberId)) return;
    this.emit({ kind: 'state', member: memberId, state: 'connecting' });
    if (this.isOfferer(memberId)) {
      this._serial(memberId, () => this._offer(memberId, 0));
    } else {
      this._awaitOffer(memberId);
    }
    this._adaptBitrates();
  }

  memberLeft(memberId) {
    this.members.delete(memberId);
    this.failures.delete(memberId);
    this.remoteWantsVideo.delete(memberId);
    this.incarnations.delete(memberId);
    this.retired.delete(memberId);
    clearTimeout(this.awaiting.get(memberId));
    this.awaiting.delete(memberId);
    const peer = this.peers.get(memberId);
    if (peer) {
      this.peers.delete(memberId);
      this._closePeer(peer);
      this.emit({ kind: 'state', member: memberId, state: 'closed' });
    }
    this._adaptBitrates();
  }

  handleSignal(from, payload) {
    if (this.closed || from === this.localId || !payload || typeof payload.type !== 'string') {
      return Promise.resolve();
    }
    return this._serial(from, () => this._handle(from, payload));
  }

  _serial(memberId, step) {
    const next = (this.chains.get(memberId) || Promise.resolve()).then(step).catch((error) => {
      console.warn('groupdesk: negotiation with', memberId, 'failed:', error && error.name);
    });
    this.chains.set(memberId, next);
    return next;
  }

  /**
   * Is `payload` from the member's program we know ('current'), from a new one ('new':
   * the old connection is dropped and negotiated afresh) or stale ('stale')?
   */
  async _checkIncarnation(from, payload) {
    const to = payload.to_incarnation;
    if (to !== undefined && to !== null && to !== this.incarnation) return 'stale';
    const incarnation = payload.incarnation;
    // Absent: a sender from before incarnations, never a reason to drop anything.
    if (typeof incarnation !== 'string' || !INCARNATION.test(incarnation)) return 'current';
    const known = this.incarnations.get(from);
    if (incarnation === known) return 'current';
    const retired = this.retired.get(from) || [];
    if (retired.includes(incarnation)) return 'stale';
    this.incarnations.set(from, incarnation);
    if (known === undefined) return 'current'; // the first word from this member
    retired.push(known);
    this.retired.set(from, retired.slice(-RETIRED_KEPT));
    await this._startOver(from);
    return 'new';
  }

  /** In the member's chain: drop the connection to its old program; negotiate from 0. */
  async _startOver(memberId) {
    this._count('new_incarnation');
    this.failures.delete(memberId);
    this.remoteWantsVideo.delete(memberId);
    const old = this.peers.get(memberId);
    if (old) {
      this.peers.delete(memberId);
      this._closePeer(old);
      this.emit({ kind: 'state', member: memberId, state: 'reconnecting' });
    }
    if (!this.members.has(memberId) || this.closed) return;
    if (this.isOfferer(memberId)) {
      await this._offer(memberId, 0);
    } else {
      this._awaitOffer(memberId);
    }
  }

  async _handle(from, payload) {
    const verdict = await this._checkIncarnation(from, payload);
    // Starting over answered a restart request; an answer or a candidate from a new
    // program belongs to no connection we still have.
    if (verdict === 'stale') return;
    if (verdict === 'new' && payload.type !== 'media.offer' && payload.type !== 'media.prefs') return;
    const gen = payload.gen;
    if (payload.type === 'media.prefs') {
      if (typeof payload.video !== 'boolean') return;
      this.remoteWantsVideo.set(from, payload.video);
      const peer = this.peers.get(from);
      if (peer) this._applyTrack(peer, 'video');
      return;
    }
    if (!Number.isInteger(gen) || gen < 0) return;
    if (payload.type === 'media.offer' && typeof payload.sdp === 'string') {
      await this._answer(from, gen, payload.sdp);
    } else if (payload.type === 'media.answer' && typeof payload.sdp === 'string') {
      await this._accept(from, gen, payload.sdp);
    } else if (payload.type === 'media.candidate') {
      await this._addCandidate(from, gen, payload);
    } else if (payload.type === 'media.restart') {
      const peer = this.peers.get(from);
      // Only about our newest generation (or none): an older request crossed our restart.
      if (this.isOfferer(from) && (!peer || peer.gen <= gen)) {
        this._count('requested');
        await this._restart(from);
      }
    }
  }

  close() {
    this.closed = true;
    for (const timer of this.awaiting.values()) clearTimeout(timer);
    for (const [memberId, peer] of this.peers) {
      this._closePeer(peer);
      this.emit({ kind: 'state', member: memberId, state: 'closed' });
    }
    this.peers.clear();
  }

  // -- negotiation ---------------------------------------------------------------------

  _newPeer(memberId, gen, offerer) {
    const config = { iceServers: this.iceServers, iceTransportPolicy: this.iceTransportPolicy };
    if (this.certificate) config.certificates = [this.certificate];
    const pc = new RTCPeerConnection(config);
    const peer = {
      memberId, gen, offerer, pc, stream: new MediaStream(), pending: [], sentSdp: false,
      lateCandidates: [], watchdog: null, transceivers: { audio: null, video: null, share: null },
      // the track each sender was last given
      asked: { audio: undefined, video: undefined, share: undefined },
    };
    pc.addEventListener('track', (event) => {
      if (pc.getTransceivers().indexOf(event.transceiver) === SHARE_SLOT) {
        this.emit({ kind: 'share-track', member: memberId, track: event.track });
        return; // not the camera: never in the tile's stream
      }
      peer.stream.addTrack(event.track);
      this.emit({ kind: 'track', member: memberId, track: event.track, stream: peer.stream });
    });
    pc.addEventListener('connectionstatechange', () => this._onState(peer));
    pc.addEventListener('icecandidate', (event) => {
      const c = event.candidate;
      // Before the offer or answer is sent, candidates go into it; the end of them is
      // never announced (see sdpToSend).
      if (!peer.sentSdp || !c || !c.candidate) return;
      this._post(memberId, {
        type: 'media.candidate', gen: peer.gen, candidate: c.candidate,
        sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex,
      });
    });
    this.peers.set(memberId, peer);
    return peer;
  }

  _applyTrack(peer, kind) {
    const transceiver = peer.transceivers[kind];
    if (!transceiver || transceiver.stopped) return;
    let track = this.tracks[kind];
    if (kind === 'video' && this.remoteWantsVideo.get(peer.memberId) === false) track = null;
    if (this.blocked.has(peer.memberId)) track = null;
    // Compared with what was last asked for, not sender.track: a replacement still under
    // way (a side room opened and closed at once) must not hide the next one.
    const asked = peer.asked[kind] === undefined ? transceiver.sender.track : peer.asked[kind];
    if (asked !== track) {
      peer.asked[kind] = track;
      transceiver.sender.replaceTrack(track).catch(() => {});
    }
  }

  _preferCodecs(transceiver, kind) {
    if (typeof transceiver.setCodecPreferences !== 'function' || !RTCRtpReceiver.getCapabilities) return;
    const codecs = (RTCRtpReceiver.getCapabilities(kind)?.codecs || [])
      .filter((c) => WANTED[kind].includes(c.mimeType.toLowerCase()));
    if (codecs.length) {
      try {
        transceiver.setCodecPreferences(codecs);
      } catch {
        // Some browsers refuse rtx alone: the answer still settles on a shared codec.
      }
    }
  }

  _waitForCandidates(pc) {
    return waitForCandidates(pc, GATHER_WAIT_MS);
  }

  async _offer(memberId, gen) {
    await this.certificateReady;
    if (this.closed) return;
    const peer = this._newPeer(memberId, gen, true);
    for (const slot of SLOTS) {
      const kind = slot === 'share' ? 'video' : slot;
      const transceiver = peer.pc.addTransceiver(kind, { direction: 'sendrecv' });
      peer.transceivers[slot] = transceiver;
      this._preferCodecs(transceiver, kind);
      this._applyTrack(peer, slot);
    }
    await peer.pc.setLocalDescription(await peer.pc.createOffer());
    await this._waitForCandidates(peer.pc);
    if (this.peers.get(memberId) !== peer) return;
    peer.sentSdp = true;
    this._post(memberId, { type: 'media.offer', gen, sdp: sdpToSend(peer.pc.localDescription.sdp) });
    this._watch(peer);
  }

  async _answer(memberId, gen, sdp) {
    if (this.isOfferer(memberId)) return; // we offer to them; theirs would cross ours
    await this.certificateReady;
    if (this.closed) return;
    clearTimeout(this.awaiting.get(memberId));
    this.awaiting.delete(memberId);
    const current = this.peers.get(memberId);
    if (current) {
      if (gen < current.gen || (gen === current.gen && current.pc.remoteDescription)) return;
      this.emit({ kind: 'state', member: memberId, state: 'reconnecting' });
      this.peers.delete(memberId);
      this._closePeer(current);
    }
    this.members.add(memberId);
    const peer = this._newPeer(memberId, gen, false);
    await peer.pc.setRemoteDescription({ type: 'offer', sdp });
    for (const transceiver of peer.pc.getTransceivers()) {
      const kind = transceiver.receiver.track.kind;
      // the first of each kind; the second video one is the share's (an older member: none)
      const slot = peer.transceivers[kind] && kind === 'video' ? 'share' : kind;
      if (peer.transceivers[slot]) continue;
      peer.transceivers[slot] = transceiver;
      transceiver.direction = 'sendrecv';
      this._applyTrack(peer, slot);
    }
    for (const candidate of peer.pending.splice(0)) await this._applyCandidate(peer, candidate);
    await peer.pc.setLocalDescription(await peer.pc.createAnswer());
    await this._waitForCandidates(peer.pc);
    if (this.peers.get(memberId) !== peer) return;
    peer.sentSdp = true;
    this._post(memberId, { type: 'media.answer', gen, sdp: sdpToSend(peer.pc.localDescription.sdp) });
    this._watch(peer);
    this._adaptBitrates();
  }

  async _accept(memberId, gen, sdp) {
    const peer = this.peers.get(memberId);
    if (!peer || !peer.offerer || peer.gen !== gen || peer.pc.signalingState !== 'have-local-offer') {
      return;
    }
    await peer.pc.setRemoteDescription({ type: 'answer', sdp });
    for (const candidate of peer.pending.splice(0)) await this._applyCandidate(peer, candidate);
    this._adaptBitrates();
  }

  async _addCandidate(memberId, gen, payload) {
    const peer = this.peers.get(memberId);
    if (!peer || peer.gen !== gen) return;
    if (!peer.pc.remoteDescription) {
      peer.pending.push(payload);
      return;
    }
    await this._applyCandidate(peer, payload);
  }

  async _applyCandidate(peer, payload) {
    try {
      if (!payload.candidate) {
        await peer.pc.addIceCandidate(null);
      } else {
        await peer.pc.addIceCandidate({
          candidate: payload.candidate, sdpMid: payload.sdpMid ?? null,
          sdpMLineIndex: payload.sdpMLineIndex ?? null,
        });
      }
    } catch {
      // A candidate for a transport already closed, or one this browser cannot use.
    }
  }

  _restart(memberId) {
    if (!this.members.has(memberId) || this.closed) return Promise.resolve();
    const old = this.peers.get(memberId);
    const gen = old ? old.gen + 1 : 0;
    this.emit({ kind: 'state', member: memberId, state: 'reconnecting' });
    if (old) {
      this.peers.delete(memberId);
      this._closePeer(old);
    }
    return this._offer(memberId, gen);
  }

  _onState(peer) {
    if (this.peers.get(peer.memberId) !== peer || this.closed) return;
    const state = peer.pc.connectionState;
    if (state === 'connected') {
      this.failures.set(peer.memberId, 0);
      clearTimeout(peer.watchdog);
      this.emit({ kind: 'state', member: peer.memberId, state: 'connected' });
      this._adaptBitrates();
    } else if (state === 'disconnected') {
      this.emit({ kind: 'state', member: peer.memberId, state: 'reconnecting' });
    } else if (state === 'failed' || state === 'closed') {
      this._count('failed');
      this._scheduleRestart(peer);
    }
  }

  _scheduleRestart(peer) {
    const memberId = peer.memberId;
    const failures = this.failures.get(memberId) || 0;
    this.failures.set(memberId, failures + 1);
    const wait = Math.min(BACKOFF_MS[1], BACKOFF_MS[0] * 2 ** failures);
    this.emit({ kind: 'state', member: memberId, state: 'reconnecting' });
    setTimeout(() => {
      if (this.peers.get(memberId) !== peer || this.closed) return;
      if (peer.offerer) {
        this._serial(memberId, () => this._restart(memberId));
      } else {
        this._post(memberId, { type: 'media.restart', gen: peer.gen });
        this._watch(peer);
      }
    }, wait);
  }

  _watch(peer) {
    clearTimeout(peer.watchdog);
    peer.watchdog = setTimeout(() => {
      if (this.peers.get(peer.memberId) === peer && peer.pc.connectionState !== 'connected') {
        this._count('timeout');
        this._scheduleRestart(peer);
      }
    }, CONNECT_TIMEOUT_MS);
  }

  _awaitOffer(memberId, wait = CONNECT_TIMEOUT_MS) {
    clearTimeout(this.awaiting.get(memberId));
    this.awaiting.set(memberId, setTimeout(() => {
      this.awaiting.delete(memberId);
      if (!this.members.has(memberId) || this.peers.has(memberId) || this.closed) return;
      this._count('timeout');
      this._post(memberId, { type: 'media.restart', gen: 0 });
      this._awaitOffer(memberId, Math.min(wait * 2, 60000));
    }, wait));
  }

  _closePeer(peer) {
    clearTimeout(peer.watchdog);
    try {
      peer.pc.close();
    } catch {
      // already closed
    }
  }

  _adaptBitrates() {
    const bitrate = videoBitrate(this.members.size);
    for (const peer of this.peers.values()) {
      const sender = peer.transceivers.video?.sender;
      if (!sender || peer.pc.signalingState !== 'stable') continue;
      const params = sender.getParameters();
      if (!params.encodings || !params.encodings.length) continue;
      if (params.encodings[0].maxBitrate === bitrate) continue;
      params.encodings[0].maxBitrate = bitrate;
      sender.setParameters(params).catch(() => {});
    }
  }
}
