// The browser's side of an SFU room (SFU.md): media go through the organisation's media
// server (Janus), reached through groupdesk-server's `sfu` messages on the signalling
// WebSocket; the page never talks to Janus's API.
//   - one publisher RTCPeerConnection (sendonly camera and microphone) whose video is
//     SIMULCAST: three encodings by rid, h (full size), m (half), l (quarter), highest
//     first (Janus's default rid order), so that a phone can take the small one (from a
//     360p camera Chromium encodes the first two only: the small one is then half size);
//     `{type:'sfu', feed: us, kind:'offer', sdp}` -> the server's `answer`;
//     with neither camera nor microphone: `{kind:'none'}` instead (we publish nothing;
//     the others show us connected, without a picture), and an offer once a track comes;
//   - one recvonly RTCPeerConnection per other member's feed, started by the SERVER's
//     `offer` for that feed; we answer it, then say which layer we want (`kind:'layer'`:
//     0 on a narrow screen or a phone, 2 otherwise, NO_VIDEO (-1) in audio-only mode: the
//     media server then forwards none of its video);
//   - `none` for a feed: that member publishes nothing: shown connected, no picture;
//   - our candidates trickle (`kind:'candidate'`, all three fields absent at the end);
//     Janus's own are in its SDP;
//   - `ended`: that feed stopped publishing (its connection closes; a new offer may come);
//     of our own feed (the server started our seat afresh after a drop): we publish again;
//     `failed`: the media server refused or cannot be reached (the page says so).
//   - a share (getDisplayMedia, share.js) is a SECOND publication, `track: 'share'` on
//     every `sfu` message about it: its own sendonly connection, video only, one layer
//     at most 1280x720 and 5 frames a second (`setTrack('share', track)`; null: it ends);
//     the server publishes it only while we may share, and ends it when the facilitator
//     takes the permission back. Others' shares come as offers with `track: 'share'`:
//     one recvonly connection each, whose video is emitted as a 'share-track' event (as
//     mesh.js emits the third transceiver's), shown large by share.js.
// It offers the same methods as BrowserMesh (mesh.js), so the page drives either alike;
// `peers` holds the subscriber connections by member, which the session's statistics read.
// No security code here: every DTLS fingerprint is the media server's, and media are not
// end-to-end encrypted (the page says so instead).

export const SFU_LAYERS = 3; // core/protocol.py's SFU_LAYERS: 0 the smallest
export const SMALL_LAYER = 0;
export const LARGE_LAYER = SFU_LAYERS - 1;
export const NO_VIDEO = -1; // core/protocol.py's SFU_NO_VIDEO: none of the feed's video
/** What we publish: highest first (Janus's "hml" rid order); bitrates fit a 360p room. */
export const SIMULCAST = [
  { rid: 'h', maxBitrate: 400000 },
  { rid: 'm', scaleResolutionDownBy: 2, maxBitrate: 150000 },
  { rid: 'l', scaleResolutionDownBy: 4, maxBitrate: 60000 },
];
const WANTED = { audio: ['audio/opus'], video: ['video/vp8', 'video/rtx'] };
/** What a share publishes: one layer, fit for text, light on the upload. */
export const SHARE_ENCODING = { maxBitrate: 600000, maxFramerate: 5 };
const SHARE = 'share'; // the `track` of every `sfu` message about a share
const RESHARE_MS = 1000; // our share ended at the server while we still share: again after this
const REPUBLISH_MS = [1000, 30000]; // after a failure: first wait, longest wait
const RESTART_AFTER_MS = 2000; // a publisher connection failed: ICE restart after this
const SENT_EVERY_MS = 1000;

/** Whether `userAgent` is a phone's ("Mobi" as browsers' mobile user agents say; a
 * tablet is not a phone: its screen decides, as a computer's). */
export function isPhone(userAgent) {
  return /Mobi|iPhone|iPod/.test(String(userAgent || ''));
}

/** The smallest layer for a narrow screen or a phone, the largest otherwise. */
export function layerFor({ narrow = false, phone = false } = {}) {
  return narrow || phone ? SMALL_LAYER : LARGE_LAYER;
}

export class BrowserSfu {
  /**
   * @param {string} localId our member id (our feed)
   * @param {(message: object) => void} send sends one `sfu` message's fields to the server
   * @param {RTCIceServer[]} iceServers from `admitted`
   * @param {(event: object) => void} emit the page's events, as BrowserMesh's, plus
   *   `{kind: 'sfu', what: 'failed', feed, reason}` (reason null: it works again) and
   *   `{kind: 'sfu', what: 'publisher', state}` for the notices
   * @param {'all'|'relay'} iceTransportPolicy 'relay' in a relay-only room
   * @param {() => number} wantedLayer the layer to ask for now (see layerFor)
   */
  constructor(localId, send, iceServers, emit, iceTransportPolicy = 'all', wantedLayer = () => LARGE_LAYER) {
    this.localId = localId;
    this.sendSfu = send;
    this.iceServers = iceServers;
    this.iceTransportPolicy = iceTransportPolicy;
    this.emit = emit;
    this.wantedLayer = wantedLayer;
    this.media = 'sfu';
    this.peers = new Map(); // member -> subscriber {memberId, pc, stream, layer}
    this.members = new Set();
    this.nothing = new Set(); // feeds that publish nothing (the server said `none`)
    this.quiet = false; // we said `none`: nothing to publish until a track comes
    this.tracks = { audio: null, video: null, share: null };
    this.receiveVideo = true;
    this.closed = false;
    this.incarnation = null; // (the mesh's; nothing of it here)
    this.restarts = {};
    this.publisher = null; // {pc, transceivers: {audio, video}, restartTimer}
    this.published = false; // the media server answered our offer
    this.failed = {}; // feed -> the media server's refusal (for the notice) until it works
    this.failures = 0;
    this.republishTimer = null;
    this.chains = new Map(); // one negotiation step at a time per feed
    this.layersAsked = {}; // feed -> the last layer asked for (tests, support)
    this.offersSent = 0;
    this.sent = {}; // rid -> {width, height, frames, bytes}: what each layer sends (tests, support)
    this.sentTimer = null;
    this.share = null; // our share's publisher {pc, transceiver, published}
    this.sharePeers = new Map(); // member -> the recvonly connection of their share {pc}
    this.reshareTimer = null;
  }

  /** No security code in SFU mode: the page shows the media-server notice instead. */
  async securityCode() {
    return null;
  }

  localFingerprint() {
    return null;
  }

  /** For the page's state: what is published, how, and what is asked of each feed. */
  snapshot() {
    const pc = this.publisher?.pc;
    const sender = this.publisher?.transceivers.video?.sender;
    const encodings = sender ? sender.getParameters().encodings || [] : [];
    return {
      publisher: pc ? pc.connectionState : 'none',
      published: this.published,
      quiet: this.quiet,
      failed: this.failure(),
      offers: this.offersSent,
      rids: encodings.map((e) => e.rid).filter(Boolean),
      layers: { ...this.layersAsked },
      sent: { ...this.sent },
      feeds: Object.fromEntries([...this.peers].map(([id, peer]) => [id, peer.pc.connectionState])),
      share: this.share ? this.share.pc.connectionState : 'none',
      shares: Object.fromEntries([...this.sharePeers].map(([id, peer]) => [id, peer.pc.connectionState])),
    };
  }

  /** Why sound or video cannot get through now ('media_server_refused' first), or null. */
  failure() {
    const reasons = Object.values(this.failed);
    if (!reasons.length) return null;
    return reasons.includes('media_server_refused') ? 'media_server_refused' : reasons[0];
  }

  _settled(feed) {
    if (!(feed in this.failed)) return;
    delete this.failed[feed];
    this.emit({ kind: 'sfu', what: 'failed', feed, reason: null });
  }

  // -- what the page asks (BrowserMesh's methods) -----------------------------------------

  /** Replace what we publish (null: nothing) without renegotiating; a share (kind
   * 'share') is a publication of its own, started with its first track, ended by null. */
  setTrack(kind, track) {
    this.tracks[kind] = track;
    if (kind === SHARE) {
      this._serial(this._shareKey(this.localId), () => this._setShare(track));
      return;
    }
    if (track && this.quiet && !this.closed) {
      // a camera or microphone at last (plugged in, allowed): publish it now
      this.quiet = false;
      this._serial(this.localId, () => this._publish(false));
      return;
    }
    const transceiver = this.publisher?.transceivers[kind];
    if (transceiver && transceiver.sender.track !== track) {
      transceiver.sender.replaceTrack(track).catch((error) => {
        console.warn('groupdesk: the media server gets no new', kind, 'track:', error && error.name);
      });
    }
  }

  /**
   * The private side room: through the media server our one stream reaches every
   * subscriber, so only the server can keep it from the members across (by pausing
   * their subscriptions); what comes from them is neither played nor shown (session.js).
   */
  setBlocked() {}

  /** Audio only: none of everyone's video (the media server stops forwarding it). */
  async setReceiveVideo(enabled) {
    if (enabled === this.receiveVideo) return;
    this.receiveVideo = enabled;
    this.askLayers();
  }

  /** Ask every feed for the layer wanted now (after the screen changed, say). */
  askLayers() {
    for (const peer of this.peers.values()) this._askLayer(peer);
  }

  /** Start publishing (once the page is admitted); subscriptions come from the server. */
  start() {
    if (!this.publisher && !this.closed) this._serial(this.localId, () => this._publish(false));
  }

  memberJoined(memberId) {
    if (this.closed || memberId === this.localId) return;
    this.members.add(memberId);
    const peer = this.peers.get(memberId);
    if (!peer) {
      const state = this.nothing.has(memberId) ? 'connected' : 'connecting';
      this.emit({ kind: 'state', member: memberId, state });
      return;
    }
    // (an offer that came before the page knew the member: show what it brought)
    for (const track of peer.stream.getTracks()) {
      this.emit({ kind: 'track', member: memberId, track, stream: peer.stream });
    }
    this._emitState(peer);
  }

  memberLeft(memberId) {
    this.members.delete(memberId);
    this.nothing.delete(memberId);
    delete this.layersAsked[memberId];
    this._settled(memberId);
    this._dropFeed(memberId);
    this._dropShare(memberId);
  }

  close() {
    this.closed = true;
    clearTimeout(this.republishTimer);
    clearTimeout(this.reshareTimer);
    clearInterval(this.sentTimer);
    for (const memberId of [...this.peers.keys()]) this._dropFeed(memberId);
    for (const memberId of [...this.sharePeers.keys()]) this._dropShare(memberId);
    if (this.share) this._closePc(this.share.pc);
    this.share = null;
    if (this.publisher) this._closePc(this.publisher.pc);
    this.publisher = null;
  }

  // -- the server's `sfu` messages --------------------------------------------------------

  /** One `sfu` message from the server; malformed ones are ignored. */
  handle(message) {
    if (this.closed || !message || typeof message.feed !== 'string') return Promise.resolve();
    const { feed, kind } = message;
    if (message.track === SHARE) return this._serial(this._shareKey(feed), () => this._handleShare(message));
    return this._serial(feed, async () => {
      if (kind === 'answer' && feed === this.localId && typeof message.sdp === 'string') {
        await this._accept(message.sdp);
      } else if (kind === 'offer' && feed !== this.localId && typeof message.sdp === 'string') {
        await this._subscribe(feed, message.sdp);
      } else if (kind === 'none' && feed !== this.localId) {
        this._nothing(feed);
      } else if (kind === 'ended') {
        if (feed === this.localId) await this._publishLater();
        else this._ended(feed);
      } else if (kind === 'failed') {
        this._failed(feed, typeof message.reason === 'string' ? message.reason : 'media_server_unavailable');
      }
    });
  }

  // -- publishing -------------------------------------------------------------------------

  _serial(feed, step) {
    const next = (this.chains.get(feed) || Promise.resolve()).then(step).catch((error) => {
      console.warn('groupdesk: media server negotiation for', feed, 'failed:', error && (error.message || error.name));
    });
    this.chains.set(feed, next);
    return next;
  }

  _config() {
    return { iceServers: this.iceServers, iceTransportPolicy: this.iceTransportPolicy };
  }

  /** Send our offer: a new connection, or (`restart`) an ICE restart of the one we have. */
  async _publish(restart) {
    if (this.closed) return;
    if (!this.tracks.audio && !this.tracks.video) {
      // neither camera nor microphone: nothing to publish, and the others are told so
      if (this.publisher) this._closePc(this.publisher.pc);
      this.publisher = null;
      this.published = false;
      this.quiet = true;
      this.sendSfu({ feed: this.localId, kind: 'none' });
      return;
    }
    if (!this.publisher || !restart) {
      if (this.publisher) this._closePc(this.publisher.pc);
      this.publisher = this._newPublisher();
    }
    const { pc } = this.publisher;
    this.published = false;
    const offer = await pc.createOffer(restart ? { iceRestart: true } : {});
    await pc.setLocalDescription(offer);
    if (this.publisher?.pc !== pc) return;
    this.offersSent += 1;
    this.sendSfu({ feed: this.localId, kind: 'offer', sdp: pc.localDescription.sdp });
  }

  _newPublisher() {
    const pc = new RTCPeerConnection(this._config());
    const publisher = { pc, transceivers: { audio: null, video: null }, restartTimer: null };
    const audio = pc.addTransceiver(this.tracks.audio || 'audio', { direction: 'sendonly' });
    const video = pc.addTransceiver(this.tracks.video || 'video', {
      direction: 'sendonly', sendEncodings: SIMULCAST.map((e) => ({ ...e })),
    });
    if (!this.tracks.video) video.sender.replaceTrack(null).catch(() => {});
    if (!this.tracks.audio) audio.sender.replaceTrack(null).catch(() => {});
    publisher.transceivers = { audio, video };
    for (const [kind, transceiver] of Object.entries(publisher.transceivers)) preferCodecs(transceiver, kind);
    this._trickle(pc, this.localId);
    pc.addEventListener('connectionstatechange', () => {
      if (this.publisher !== publisher || this.closed) return;
      const state = pc.connectionState;
      if (state === 'connected') {
        this.failures = 0;
        clearTimeout(publisher.restartTimer);
      } else if (state === 'failed') {
        this._count('failed');
        clearTimeout(publisher.restartTimer);
        publisher.restartTimer = setTimeout(() => {
          if (this.publisher === publisher && !this.closed) this._serial(this.localId, () => this._publish(true));
        }, RESTART_AFTER_MS);
      }
      this.emit({ kind: 'sfu', what: 'publisher', state });
    });
    return publisher;
  }

  async _accept(sdp) {
    const pc = this.publisher?.pc;
    if (!pc || pc.signalingState !== 'have-local-offer') return;
    await pc.setRemoteDescription({ type: 'answer', sdp });
    this.published = true;
    this.failures = 0;
    this._settled(this.localId);
    if (!this.sentTimer) this.sentTimer = setInterval(() => this._pollSent().catch(() => {}), SENT_EVERY_MS);
  }

  /** What each simulcast layer sends now (the browser may leave one out: a small camera). */
  async _pollSent() {
    const pc = this.publisher?.pc;
    if (!pc) return;
    const report = await pc.getStats();
    const sent = {};
    report.forEach((stat) => {
      if (stat.type === 'outbound-rtp' && stat.kind === 'video' && stat.rid) {
        sent[stat.rid] = {
          width: stat.frameWidth || 0, height: stat.frameHeight || 0, frames: stat.framesEncoded || 0,
          bytes: stat.bytesSent || 0,
        };
      }
    });
    if (this.publisher?.pc === pc) this.sent = sent;
  }

  /** Publish again (the server said our feed ended, or refused it): at once the first
   * time (a resumed seat starts afresh), then after longer and longer waits. */
  _publishLater() {
    clearTimeout(this.republishTimer);
    const wait = this.failures ? Math.min(REPUBLISH_MS[1], REPUBLISH_MS[0] * 2 ** (this.failures - 1)) : 0;
    this.failures += 1;
    this.published = false;
    this.republishTimer = setTimeout(() => {
      if (!this.closed) this._serial(this.localId, () => this._publish(false));
    }, wait);
  }

  _failed(feed, reason) {
    this._count(`failed_${feed === this.localId ? 'publish' : 'subscribe'}`);
    this.failed[feed] = reason;
    this.emit({ kind: 'sfu', what: 'failed', feed, reason });
    if (feed === this.localId) {
      this._publishLater();
    } else {
      this._dropFeed(feed, 'connecting');
    }
  }

  // -- sharing ------------------------------------------------------------------------------

  _shareKey(feed) {
    return `${feed}/${SHARE}`;
  }

  /** Publish `track` as our share (a new connection, or the track replaced), or end it. */
  async _setShare(track) {
    clearTimeout(this.reshareTimer);
    if (this.closed) return;
    if (!track) {
      if (this.share) this._closePc(this.share.pc);
      this.share = null;
      return;
    }
    if (this.share) {
      await this.share.transceiver.sender.replaceTrack(track);
      return;
    }
    const pc = new RTCPeerConnection(this._config());
    const transceiver = pc.addTransceiver(track, { direction: 'sendonly', sendEncodings: [{ ...SHARE_ENCODING }] });
    preferCodecs(transceiver, 'video');
    const share = { pc, transceiver, published: false };
    this.share = share;
    this._trickle(pc, this.localId, SHARE);
    await pc.setLocalDescription(await pc.createOffer());
    if (this.share !== share) return;
    this.sendSfu({ feed: this.localId, kind: 'offer', sdp: pc.localDescription.sdp, track: SHARE });
  }

  /** One `sfu` message about a share: ours (answer, ended, failed) or another member's. */
  async _handleShare(message) {
    const { feed, kind } = message;
    if (feed === this.localId) {
      const share = this.share;
      if (kind === 'answer' && share && share.pc.signalingState === 'have-local-offer' && typeof message.sdp === 'string') {
        await share.pc.setRemoteDescription({ type: 'answer', sdp: message.sdp });
        share.published = true;
      } else if ((kind === 'ended' || kind === 'failed') && share) {
        // The server ended it (a resumed seat, a refusal): offered again while we still
        // share; a permission taken back stops our share first (share.js), so not then.
        this._closePc(share.pc);
        this.share = null;
        clearTimeout(this.reshareTimer);
        this.reshareTimer = setTimeout(() => {
          const track = this.tracks.share;
          if (track && !this.closed && !this.share) this._serial(this._shareKey(this.localId), () => this._setShare(track));
        }, RESHARE_MS);
      }
      return;
    }
    if (kind === 'offer' && typeof message.sdp === 'string') {
      await this._subscribeShare(feed, message.sdp);
    } else if (kind === 'ended' || kind === 'failed') {
      this._dropShare(feed);
    }
  }

  /** The server's offer of `feed`'s share: a recvonly connection whose video is shown large. */
  async _subscribeShare(feed, sdp) {
    this._dropShare(feed);
    const pc = new RTCPeerConnection(this._config());
    const peer = { memberId: feed, pc };
    this.sharePeers.set(feed, peer);
    pc.addEventListener('track', (event) => {
      if (event.track.kind === 'video') this.emit({ kind: 'share-track', member: feed, track: event.track });
    });
    this._trickle(pc, feed, SHARE);
    await pc.setRemoteDescription({ type: 'offer', sdp });
    for (const transceiver of pc.getTransceivers()) transceiver.direction = 'recvonly';
    await pc.setLocalDescription(await pc.createAnswer());
    if (this.sharePeers.get(feed) !== peer) return;
    this.sendSfu({ feed, kind: 'answer', sdp: pc.localDescription.sdp, track: SHARE });
  }

  _dropShare(feed) {
    const peer = this.sharePeers.get(feed);
    if (!peer) return;
    this.sharePeers.delete(feed);
    this._closePc(peer.pc);
    this.emit({ kind: 'share-track', member: feed, track: null });
  }

  // -- receiving ----------------------------------------------------------------------------

  /** The server's offer of `feed`'s stream: a new recvonly connection answers it. */
  async _subscribe(feed, sdp) {
    this.nothing.delete(feed);
    this._dropFeed(feed, null); // a new offer replaces what we had of that feed
    const pc = new RTCPeerConnection(this._config());
    const peer = { memberId: feed, pc, stream: new MediaStream(), layer: null };
    this.peers.set(feed, peer);
    pc.addEventListener('track', (event) => {
      peer.stream.addTrack(event.track);
      if (this.members.has(feed)) this.emit({ kind: 'track', member: feed, track: event.track, stream: peer.stream });
    });
    pc.addEventListener('connectionstatechange', () => {
      if (this.peers.get(feed) === peer && !this.closed) this._emitState(peer);
    });
    this._trickle(pc, feed);
    await pc.setRemoteDescription({ type: 'offer', sdp });
    for (const transceiver of pc.getTransceivers()) transceiver.direction = 'recvonly';
    await pc.setLocalDescription(await pc.createAnswer());
    if (this.peers.get(feed) !== peer) return;
    this.sendSfu({ feed, kind: 'answer', sdp: pc.localDescription.sdp });
    this._settled(feed);
    this._askLayer(peer);
  }

  _askLayer(peer) {
    if (!peer.pc.localDescription) return; // asked once answered
    const layer = this.receiveVideo ? this.wantedLayer() : NO_VIDEO;
    if (peer.layer === layer) return;
    peer.layer = layer;
    this.layersAsked[peer.memberId] = layer;
    this.sendSfu({ feed: peer.memberId, kind: 'layer', layer });
  }

  /** `feed` publishes nothing (no camera, no microphone): there, connected, no picture. */
  _nothing(feed) {
    this._settled(feed);
    this._dropFeed(feed, null);
    this.nothing.add(feed);
    if (this.members.has(feed)) this.emit({ kind: 'state', member: feed, state: 'connected' });
  }

  _ended(feed) {
    this.nothing.delete(feed);
    this._settled(feed);
    this._dropFeed(feed, 'connecting'); // still seated: their stream may come back
  }

  /** Close what we receive of `feed`; `state`: what the page shows of them now, if anything. */
  _dropFeed(feed, state = 'closed') {
    const peer = this.peers.get(feed);
    if (!peer) return;
    this.peers.delete(feed);
    this._closePc(peer.pc);
    if (state) this.emit({ kind: 'state', member: feed, state });
  }

  _emitState(peer) {
    const state = peer.pc.connectionState;
    let shown = 'connecting';
    if (state === 'connected') shown = 'connected';
    else if (state === 'disconnected' || state === 'failed') shown = 'reconnecting';
    this.emit({ kind: 'state', member: peer.memberId, state: shown });
  }

  // -- common ---------------------------------------------------------------------------------

  /** Our candidates for the connection of `feed` (its share's: `track` 'share'), one by
   * one; the end said once. */
  _trickle(pc, feed, track = null) {
    pc.addEventListener('icecandidate', (event) => {
      const c = event.candidate;
      if (c && !c.candidate) return; // one transport's end (Chromium): the null follows
      if (this.closed) return;
      const message = { feed, kind: 'candidate' };
      if (track) message.track = track;
      if (!c) {
        this.sendSfu(message);
        return;
      }
      message.candidate = c.candidate;
      if (c.sdpMid !== null && c.sdpMid !== undefined) message.mid = c.sdpMid;
      if (Number.isInteger(c.sdpMLineIndex)) message.mline = c.sdpMLineIndex;
      this.sendSfu(message);
    });
  }

  _count(cause) {
    this.restarts[cause] = (this.restarts[cause] || 0) + 1;
  }

  _closePc(pc) {
    try {
      pc.close();
    } catch {
      // already closed
    }
  }
}

function preferCodecs(transceiver, kind) {
  if (typeof transceiver.setCodecPreferences !== 'function' || !RTCRtpReceiver.getCapabilities) return;
  const codecs = (RTCRtpReceiver.getCapabilities(kind)?.codecs || [])
    .filter((c) => WANTED[kind].includes(c.mimeType.toLowerCase()));
  if (!codecs.length) return;
  try {
    transceiver.setCodecPreferences(codecs);
  } catch {
    // Some browsers refuse this list: the answer still settles on a codec both take.
  }
}
