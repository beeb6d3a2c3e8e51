// The page's side of an SFU room (web/sfu.js) without a browser: what it sends the server
// for each of the server's `sfu` messages, over a stand-in RTCPeerConnection. node --test,
// run by tests/web/test_sfu_page.py (the real thing, with Janus, is tested there too).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BrowserSfu, LARGE_LAYER, NO_VIDEO, SMALL_LAYER, isPhone, layerFor } from '../../src/groupdesk/server/web/sfu.js';
import { roomMedia } from '../../src/groupdesk/server/web/state.js';

const ME = 'aaaaaaaaaaaa';
const ANA = 'bbbbbbbbbbbb';

/** Just enough of RTCPeerConnection for sfu.js: descriptions, transceivers, events. */
class FakePc extends EventTarget {
  constructor(config) {
    super();
    this.config = config;
    this.transceivers = [];
    this.localDescription = null;
    this.remoteDescription = null;
    this.signalingState = 'stable';
    this.connectionState = 'new';
    this.closed = false;
    FakePc.made.push(this);
  }

  addTransceiver(trackOrKind, init = {}) {
    const kind = typeof trackOrKind === 'string' ? trackOrKind : trackOrKind.kind;
    const encodings = init.sendEncodings || [{}];
    const sender = {
      track: typeof trackOrKind === 'string' ? null : trackOrKind,
      replaceTrack: async (track) => { sender.track = track; },
      getParameters: () => ({ encodings }),
    };
    const transceiver = { kind, direction: init.direction, sender, receiver: { track: { kind } } };
    this.transceivers.push(transceiver);
    return transceiver;
  }

  getTransceivers() {
    return this.transceivers;
  }

  async createOffer() {
    return { type: 'offer', sdp: `v=0 offer ${this.transceivers.length}` };
  }

  async createAnswer() {
    return { type: 'answer', sdp: 'v=0 answer' };
  }

  async setLocalDescription(description) {
    this.localDescription = description;
    this.signalingState = description.type === 'offer' ? 'have-local-offer' : 'stable';
  }

  async setRemoteDescription(description) {
    this.remoteDescription = description;
    if (description.type === 'offer') {
      this.signalingState = 'have-remote-offer';
      this.addTransceiver('audio', { direction: 'sendonly' });
      this.addTransceiver('video', { direction: 'sendonly' });
    } else {
      this.signalingState = 'stable';
    }
  }

  async getStats() {
    return new Map();
  }

  close() {
    this.closed = true;
  }

  /** The browser found a candidate (null: no more). */
  found(candidate) {
    const event = new Event('icecandidate');
    event.candidate = candidate;
    this.dispatchEvent(event);
  }

  becomes(state) {
    this.connectionState = state;
    this.dispatchEvent(new Event('connectionstatechange'));
  }
}
FakePc.made = [];
globalThis.RTCPeerConnection = FakePc;
globalThis.MediaStream = class {
  constructor() { this.tracks = []; }
  addTrack(track) { this.tracks.push(track); }
  getTracks() { return this.tracks; }
};

function room({ layer = LARGE_LAYER } = {}) {
  FakePc.made = [];
  const sent = [];
  const events = [];
  const wanted = { layer };
  const sfu = new BrowserSfu(ME, (m) => sent.push(m), [], (e) => events.push(e), 'all', () => wanted.layer);
  return { sfu, sent, events, wanted };
}

async function settled(sfu, feed) {
  await sfu.chains.get(feed);
}

test('the layer: the small one on a narrow screen or a phone, else the large one', () => {
  assert.equal(layerFor({}), LARGE_LAYER);
  assert.equal(layerFor({ narrow: true }), SMALL_LAYER);
  assert.equal(layerFor({ phone: true }), SMALL_LAYER);
  assert.equal(SMALL_LAYER, 0);
  assert.equal(LARGE_LAYER, 2);
});

test('a phone is told by its user agent; a tablet or a computer is not a phone', () => {
  const phones = [
    'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0',
  ];
  const others = [
    'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0 Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    '',
  ];
  for (const ua of phones) assert.equal(isPhone(ua), true, ua);
  for (const ua of others) assert.equal(isPhone(ua), false, ua);
});

test('room_info says how media travel and whether previews are on; older servers say neither', () => {
  assert.deepEqual(roomMedia({ media: 'sfu', previews: false }), { media: 'sfu', previews: false });
  assert.deepEqual(roomMedia({ media: 'mesh', previews: true }), { media: 'mesh', previews: true });
  assert.deepEqual(roomMedia({}), { media: 'mesh', previews: true });
  assert.deepEqual(roomMedia({ media: 'elsewhere', previews: 'no' }), { media: 'mesh', previews: true });
});

test('publishing: one offer of our feed with three simulcast layers, highest first', async () => {
  const { sfu, sent } = room();
  sfu.setTrack('audio', { kind: 'audio' });
  sfu.setTrack('video', { kind: 'video' });
  sfu.start();
  await settled(sfu, ME);
  assert.deepEqual(sent, [{ feed: ME, kind: 'offer', sdp: 'v=0 offer 2' }]);
  const [pc] = FakePc.made;
  const video = pc.transceivers.find((t) => t.kind === 'video');
  assert.equal(video.direction, 'sendonly');
  assert.deepEqual(video.sender.getParameters().encodings.map((e) => e.rid), ['h', 'm', 'l']);
  assert.deepEqual(sfu.snapshot().rids, ['h', 'm', 'l']);
  // candidates trickle, with their m-line; the end is said once, with no field
  pc.found({ candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 });
  pc.found({ candidate: '', sdpMid: '0', sdpMLineIndex: 0 });
  pc.found(null);
  assert.deepEqual(sent.slice(1), [
    { feed: ME, kind: 'candidate', candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', mid: '0', mline: 0 },
    { feed: ME, kind: 'candidate' },
  ]);
  await sfu.handle({ type: 'sfu', feed: ME, kind: 'answer', sdp: 'v=0 janus' });
  assert.equal(pc.remoteDescription.sdp, 'v=0 janus');
  assert.equal(sfu.snapshot().published, true);
  sfu.close();
});

test('an offer of a feed: a recvonly answer, then the layer wanted, asked again only when it changes', async () => {
  const { sfu, sent, wanted } = room();
  sfu.memberJoined(ANA);
  await sfu.handle({ type: 'sfu', feed: ANA, kind: 'offer', sdp: 'v=0 ana' });
  assert.deepEqual(sent, [
    { feed: ANA, kind: 'answer', sdp: 'v=0 answer' },
    { feed: ANA, kind: 'layer', layer: LARGE_LAYER },
  ]);
  const pc = sfu.peers.get(ANA).pc;
  assert.ok(pc.transceivers.every((t) => t.direction === 'recvonly'));
  sent.length = 0;
  sfu.askLayers();
  assert.deepEqual(sent, []); // unchanged: nothing sent
  wanted.layer = SMALL_LAYER; // the window became narrow
  sfu.askLayers();
  assert.deepEqual(sent, [{ feed: ANA, kind: 'layer', layer: SMALL_LAYER }]);
  wanted.layer = LARGE_LAYER; // wide again
  sfu.askLayers();
  sent.length = 0;
  await sfu.setReceiveVideo(false); // audio only: none of the video, whatever the screen
  assert.deepEqual(sent, [{ feed: ANA, kind: 'layer', layer: NO_VIDEO }]);
  assert.deepEqual(sfu.snapshot().layers, { [ANA]: NO_VIDEO });
  assert.equal(NO_VIDEO, -1);
  sent.length = 0;
  await sfu.setReceiveVideo(true); // video again: the layer the screen wants
  assert.deepEqual(sent, [{ feed: ANA, kind: 'layer', layer: LARGE_LAYER }]);
  sfu.close();
  assert.equal(pc.closed, true);
});

test('ended: the feed\'s connection closes and the member waits for a new offer', async () => {
  const { sfu, events } = room();
  sfu.memberJoined(ANA);
  await sfu.handle({ type: 'sfu', feed: ANA, kind: 'offer', sdp: 'v=0 ana' });
  const pc = sfu.peers.get(ANA).pc;
  pc.becomes('connected');
  events.length = 0;
  await sfu.handle({ type: 'sfu', feed: ANA, kind: 'ended' });
  assert.equal(pc.closed, true);
  assert.equal(sfu.peers.has(ANA), false);
  assert.deepEqual(events, [{ kind: 'state', member: ANA, state: 'connecting' }]);
  await sfu.handle({ type: 'sfu', feed: ANA, kind: 'offer', sdp: 'v=0 ana again' });
  assert.equal(sfu.peers.get(ANA).pc.remoteDescription.sdp, 'v=0 ana again');
  sfu.close();
});

test('failed: the reason is kept for the notice until that feed works again', async () => {
  const { sfu, events } = room();
  sfu.memberJoined(ANA);
  sfu.setTrack('audio', { kind: 'audio' });
  sfu.start();
  await settled(sfu, ME);
  await sfu.handle({ type: 'sfu', feed: ANA, kind: 'failed', reason: 'media_server_unavailable' });
  assert.equal(sfu.failure(), 'media_server_unavailable');
  await sfu.handle({ type: 'sfu', feed: ME, kind: 'failed', reason: 'media_server_refused' });
  assert.equal(sfu.failure(), 'media_server_refused'); // a refusal is said first
  assert.ok(events.some((e) => e.kind === 'sfu' && e.what === 'failed' && e.reason === 'media_server_refused'));
  await sfu.handle({ type: 'sfu', feed: ANA, kind: 'offer', sdp: 'v=0 ana' });
  assert.equal(sfu.failure(), 'media_server_refused');
  await sfu.handle({ type: 'sfu', feed: ME, kind: 'answer', sdp: 'v=0 janus' }); // (to the first offer)
  assert.equal(sfu.failure(), null);
  sfu.close(); // (and the publish tried again after the refusal is not sent)
});

test('neither camera nor microphone: none instead of an offer, and an offer once a camera comes', async () => {
  const { sfu, sent } = room();
  sfu.setTrack('audio', null);
  sfu.setTrack('video', null);
  sfu.start();
  await settled(sfu, ME);
  assert.deepEqual(sent, [{ feed: ME, kind: 'none' }]);
  assert.equal(FakePc.made.length, 0); // no connection to the media server
  assert.equal(sfu.snapshot().quiet, true);
  await sfu.handle({ type: 'sfu', feed: ME, kind: 'ended' }); // a resumed seat: said again
  await new Promise((resolve) => setTimeout(resolve, 0)); // (the republish timer, at once)
  await settled(sfu, ME);
  assert.deepEqual(sent, [{ feed: ME, kind: 'none' }, { feed: ME, kind: 'none' }]);
  sent.length = 0;
  sfu.setTrack('video', { kind: 'video' }); // a camera plugged in
  await settled(sfu, ME);
  assert.deepEqual(sent, [{ feed: ME, kind: 'offer', sdp: 'v=0 offer 2' }]);
  assert.equal(FakePc.made[0].transceivers.find((t) => t.kind === 'video').sender.track.kind, 'video');
  assert.equal(sfu.snapshot().quiet, false);
  sfu.close();
});

test('none for a feed: shown connected (no picture, no connection) until it offers', async () => {
  const { sfu, events } = room();
  await sfu.handle({ type: 'sfu', feed: ANA, kind: 'none' }); // before signalling said who
  assert.deepEqual(events, []);
  sfu.memberJoined(ANA);
  assert.deepEqual(events, [{ kind: 'state', member: ANA, state: 'connected' }]);
  assert.equal(sfu.peers.has(ANA), false);
  await sfu.handle({ type: 'sfu', feed: ANA, kind: 'offer', sdp: 'v=0 ana' }); // a camera now
  const pc = sfu.peers.get(ANA).pc;
  events.length = 0;
  await sfu.handle({ type: 'sfu', feed: ANA, kind: 'none' }); // unplugged again
  assert.equal(pc.closed, true);
  assert.equal(sfu.peers.has(ANA), false);
  assert.deepEqual(events, [{ kind: 'state', member: ANA, state: 'connected' }]);
  sfu.close();
});

test('a share: a second publication of one layer, and others\' shares on connections of their own', async () => {
  const { sfu, sent, events } = room();
  sfu.setTrack('audio', { kind: 'audio' });
  sfu.setTrack('video', { kind: 'video' });
  sfu.start();
  await settled(sfu, ME);
  sent.length = 0;
  const screen = { kind: 'video' };
  sfu.setTrack('share', screen);
  await settled(sfu, `${ME}/share`);
  assert.deepEqual(sent, [{ feed: ME, kind: 'offer', sdp: 'v=0 offer 1', track: 'share' }]);
  const pc = FakePc.made[1];
  assert.equal(pc.transceivers.length, 1); // video only, the camera's connection untouched
  assert.equal(pc.transceivers[0].sender.track, screen);
  assert.deepEqual(pc.transceivers[0].sender.getParameters().encodings, [{ maxBitrate: 600000, maxFramerate: 5 }]);
  pc.found(null);
  assert.deepEqual(sent[1], { feed: ME, kind: 'candidate', track: 'share' });
  await sfu.handle({ type: 'sfu', feed: ME, kind: 'answer', sdp: 'v=0 janus share', track: 'share' });
  assert.equal(pc.remoteDescription.sdp, 'v=0 janus share');
  assert.equal(FakePc.made[0].remoteDescription, null); // not the camera's
  // Ana's share: a recvonly connection of its own, its video shown as a share; her
  // camera's connection is another
  sfu.memberJoined(ANA);
  await sfu.handle({ type: 'sfu', feed: ANA, kind: 'offer', sdp: 'v=0 ana', track: 'share' });
  assert.equal(sfu.peers.has(ANA), false);
  const theirs = sfu.sharePeers.get(ANA).pc;
  assert.ok(theirs.transceivers.every((t) => t.direction === 'recvonly'));
  assert.deepEqual(sent.at(-1), { feed: ANA, kind: 'answer', sdp: 'v=0 answer', track: 'share' });
  const track = new Event('track');
  track.track = { kind: 'video' };
  theirs.dispatchEvent(track);
  assert.deepEqual(events.at(-1), { kind: 'share-track', member: ANA, track: track.track });
  await sfu.handle({ type: 'sfu', feed: ANA, kind: 'ended', track: 'share' });
  assert.equal(theirs.closed, true);
  assert.deepEqual(events.at(-1), { kind: 'share-track', member: ANA, track: null });
  // we stop: our share's connection closes; the camera's goes on
  sfu.setTrack('share', null);
  await settled(sfu, `${ME}/share`);
  assert.equal(pc.closed, true);
  assert.equal(FakePc.made[0].closed, false);
  assert.equal(sfu.snapshot().share, 'none');
  sfu.close();
});
