// The session on screen: the video grid (name, muted, raised hand, speaking, connection
// quality), the controls, the chat, the turn queue and the safety signal. It reads the
// page's state and the mesh's statistics; it sends through the signalling connection.
// A member across the private side room is neither played nor shown (muted, initials).

import { t } from './i18n.js';
import { gridLayout, keyboardInset } from './layout.js';
import { adviseAudioOnly, isApart, isAside, qualityOf, tileVideo } from './state.js';

const SPEAKING_LEVEL = 0.03; // inbound-rtp audioLevel (0..1, linear): about -30 dBFS
const STATS_EVERY_MS = 1000;
const TILE_ASPECT = 16 / 9;
const MIN_TILE_REM = 8; // narrower, a name no longer reads: the grid scrolls instead

const QUALITY_TEXT = {
  good: () => t('quality.good'),
  fair: () => t('quality.fair'),
  poor: () => t('quality.poor'),
};

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function initials(name) {
  const words = String(name || '?').trim().split(/\s+/);
  return words.slice(0, 2).map((w) => w[0] || '').join('').toUpperCase() || '?';
}

export class SessionView {
  /** `hooks.level()`: the local microphone level; `hooks.onStats()`: after each poll. */
  constructor(state, hooks) {
    this.state = state;
    this.hooks = hooks;
    this.grid = document.getElementById('grid');
    this.tiles = new Map();
    this.statsTimer = null;
    this.previous = new Map();
    this.watchLayout();
  }

  /** Lay the grid and the controls out again whenever the room's space changes: the
   * window (turned, resized), the on-screen keyboard, a notice, the chat, the controls. */
  watchLayout() {
    const again = () => this.layout();
    window.addEventListener('resize', again);
    window.visualViewport?.addEventListener('resize', again);
    window.visualViewport?.addEventListener('scroll', again);
    if (typeof ResizeObserver === 'function') {
      const observer = new ResizeObserver(again);
      observer.observe(document.querySelector('#step-session .controls'));
      observer.observe(document.querySelector('#step-session .session-layout'));
      // a notice above the grid (turns, side room, a weak link) moves it down
      observer.observe(document.getElementById('step-session'));
    }
  }

  /** The controls' height and the keyboard's inset for the style sheet, then the grid. */
  layout() {
    const root = document.documentElement.style;
    const controls = document.querySelector('#step-session .controls');
    const viewport = window.visualViewport;
    root.setProperty('--controls-h', `${controls.offsetHeight}px`);
    root.setProperty('--keyboard', `${keyboardInset(window.innerHeight, viewport)}px`);
    root.setProperty('--view-h', `${viewport ? viewport.height : window.innerHeight}px`);
    this.layoutGrid(controls);
  }

  /** Size the tiles from the grid's width, the height left above the controls, and the
   * number of tiles (layout.js); only while the room is on screen. */
  layoutGrid(controls) {
    const grid = this.grid;
    if (!grid.offsetParent || !grid.children.length) return;
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    const gap = parseFloat(getComputedStyle(grid).columnGap) || 0;
    const top = grid.getBoundingClientRect().top + window.scrollY;
    const below = controls.offsetHeight + rem; // the controls and their margin
    const height = window.innerHeight - top - below;
    // the chat beside the grid (desktop) gets the same height: its text box stays on screen
    grid.parentElement.style.setProperty('--room-h', `${Math.max(0, Math.floor(height))}px`);
    const { columns, tileWidth } = gridLayout(grid.clientWidth, height, grid.children.length, {
      gap, aspect: TILE_ASPECT, minWidth: MIN_TILE_REM * rem,
    });
    const width = `${tileWidth}px`;
    if (grid.dataset.columns === String(columns) && grid.style.getPropertyValue('--tile-width') === width) return;
    grid.dataset.columns = String(columns);
    grid.style.setProperty('--columns', String(columns));
    grid.style.setProperty('--tile-width', width);
  }

  /** The tile of a member (created on first use); the local member has `self`. */
  tile(memberId) {
    let tile = this.tiles.get(memberId);
    if (tile) return tile;
    const li = el('li', 'tile');
    li.dataset.member = memberId;
    const video = el('video');
    video.autoplay = true;
    video.playsInline = true;
    video.muted = true; // sound plays through the audio element, so hiding video keeps it
    const audio = el('audio');
    audio.autoplay = true;
    const face = el('div', 'initials');
    face.setAttribute('aria-hidden', 'true');
    const label = el('div', 'label');
    const name = el('span', 'name');
    const badges = el('span', 'badges');
    const quality = el('span', 'quality');
    quality.setAttribute('role', 'img');
    quality.append(el('i'), el('i'), el('i'));
    label.append(name, badges, quality);
    li.append(video, face, label, audio);
    this.grid.append(li);
    tile = { li, video, audio, face, name, badges, quality, frames: 0, callback: false };
    this.tiles.set(memberId, tile);
    if (memberId === this.state.member) li.classList.add('self');
    return tile;
  }

  /** Play every member's sound (from a click: the browser then allows it). */
  playAll() {
    for (const tile of this.tiles.values()) {
      if (tile.audio.srcObject) tile.audio.play().catch(() => {});
    }
  }

  removeTile(memberId) {
    const tile = this.tiles.get(memberId);
    if (!tile) return;
    tile.video.srcObject = null;
    tile.audio.srcObject = null;
    tile.li.remove();
    this.tiles.delete(memberId);
  }

  showLocal(stream) {
    const tile = this.tile(this.state.member);
    tile.video.srcObject = stream;
    this.render();
  }

  attachRemote(memberId, track, stream) {
    const tile = this.tile(memberId);
    if (track.kind === 'video') {
      tile.video.srcObject = new MediaStream(stream.getVideoTracks());
      this._countFrames(memberId, tile);
    } else {
      tile.audio.srcObject = new MediaStream(stream.getAudioTracks());
      // Browsers hold back sound until a click on the page (after a reload, say).
      tile.audio.play().catch(() => this.hooks.soundBlocked());
    }
    tile.video.play().catch(() => {});
  }

  /** Count the frames the page actually shows (requestVideoFrameCallback), for the state. */
  _countFrames(memberId, tile) {
    if (tile.callback || typeof tile.video.requestVideoFrameCallback !== 'function') return;
    tile.callback = true;
    const step = () => {
      if (this.tiles.get(memberId) !== tile) return;
      tile.frames += 1;
      const info = this.state.members[memberId];
      if (info) info.video.framesShown = tile.frames;
      tile.video.requestVideoFrameCallback(step);
    };
    tile.video.requestVideoFrameCallback(step);
  }

  /** Redraw names and badges from the state (cheap: a dozen tiles at most). */
  render() {
    const s = this.state;
    const everyone = [[s.member, s.self], ...Object.entries(s.members)];
    const queue = s.turn.queue || [];
    for (const [memberId, info] of everyone) {
      if (!memberId || !info) continue;
      const tile = this.tile(memberId);
      const isSelf = memberId === s.member;
      const apart = !isSelf && isApart(s, memberId); // across the side room
      const name = isSelf ? t('grid.you', { name: info.name }) : info.name;
      tile.name.textContent = name;
      tile.face.textContent = initials(info.name);
      const videoOff = isSelf
        ? info.cameraOff || s.audioOnly || !this.hooks.hasLocalVideo()
        : apart || info.cameraOff || s.audioOnly || !info.hasVideo;
      tile.video.hidden = Boolean(videoOff);
      tile.face.hidden = !videoOff;
      if (!isSelf) tile.audio.muted = apart;
      tile.li.dataset.apart = apart ? 'true' : 'false';
      tile.li.classList.toggle('speaking', Boolean(info.speaking) && !info.muted && !apart);
      tile.badges.replaceChildren();
      const parts = [name];
      if (info.role === 'facilitator') {
        tile.badges.append(el('span', 'badge', t('grid.facilitator')));
        parts.push(t('grid.facilitator'));
      }
      if (info.muted) {
        tile.badges.append(el('span', 'badge muted', t('grid.muted')));
        parts.push(t('grid.muted'));
      }
      const place = queue.indexOf(memberId);
      if (info.handRaised || place >= 0) {
        const text = place >= 0 ? t('grid.hand_place', { place: place + 1 }) : t('grid.hand');
        tile.badges.append(el('span', 'badge hand', text));
        parts.push(text);
      }
      if (isAside(s, memberId) && !isAside(s, s.member)) {
        tile.badges.append(el('span', 'badge aside', t('side.tile')));
        parts.push(t('side.tile'));
      }
      if (s.turn.floor === memberId) {
        tile.badges.append(el('span', 'badge', t('grid.floor')));
        parts.push(t('grid.floor'));
      }
      if (!isSelf && !apart && info.videoStalled) {
        // the last picture stays: the link stopped it, not the camera
        tile.badges.append(el('span', 'badge state', t('grid.connection_problem')));
        parts.push(t('grid.connection_problem'));
      }
      if (!isSelf && info.state !== 'connected') {
        const text = info.state === 'reconnecting' ? t('grid.reconnecting') : t('grid.connecting');
        tile.badges.append(el('span', 'badge state', text));
        parts.push(text);
      }
      const quality = isSelf ? null : info.quality;
      tile.quality.hidden = !quality;
      if (quality) {
        tile.quality.dataset.q = quality;
        const text = QUALITY_TEXT[quality]();
        tile.quality.setAttribute('aria-label', text);
        parts.push(text);
      }
      tile.li.setAttribute('aria-label', parts.join(', '));
    }
    for (const memberId of [...this.tiles.keys()]) {
      if (memberId !== s.member && !(memberId in s.members)) this.removeTile(memberId);
    }
    this.layout();
  }

  /** Poll each connection's statistics: bytes and frames received, level, loss, RTT. */
  startStats(mesh) {
    clearInterval(this.statsTimer);
    this.statsTimer = setInterval(() => this._stats(mesh).catch(() => {}), STATS_EVERY_MS);
  }

  stopStats() {
    clearInterval(this.statsTimer);
  }

  async _stats(mesh) {
    let worstLoss = null; // over the connected links, for the audio-only suggestion
    let worstRtt = null;
    for (const [memberId, peer] of mesh.peers) {
      const info = this.state.members[memberId];
      if (!info) continue;
      const report = await peer.pc.getStats();
      let lost = 0;
      let received = 0;
      let rtt = 0;
      const shareMid = peer.transceivers?.share?.mid ?? null; // a share's own stream: not the camera
      report.forEach((stat) => {
        if (shareMid !== null && stat.mid === shareMid) return;
        if (stat.type === 'inbound-rtp' && stat.kind === 'video') {
          info.video.framesDecoded = stat.framesDecoded || 0;
          info.video.framesReceived = stat.framesReceived || 0;
          info.video.bytesReceived = stat.bytesReceived || 0;
          info.video.width = stat.frameWidth || 0;
          info.video.height = stat.frameHeight || 0;
          info.video.codec = this._codec(report, stat.codecId);
          info.video.packetsReceived = stat.packetsReceived || 0;
          lost += stat.packetsLost || 0;
          received += stat.packetsReceived || 0;
        } else if (stat.type === 'inbound-rtp' && stat.kind === 'audio') {
          info.audio.bytesReceived = stat.bytesReceived || 0;
          info.audio.packetsReceived = stat.packetsReceived || 0;
          info.audio.level = stat.audioLevel || 0;
          info.audio.codec = this._codec(report, stat.codecId);
          lost += stat.packetsLost || 0;
          received += stat.packetsReceived || 0;
        } else if (stat.type === 'outbound-rtp' && (stat.kind === 'audio' || stat.kind === 'video')) {
          // what we send them (it stops across the side room)
          info.sent[stat.kind] = { packets: stat.packetsSent || 0, bytes: stat.bytesSent || 0 };
        } else if (stat.type === 'candidate-pair' && stat.nominated && stat.state === 'succeeded') {
          rtt = stat.currentRoundTripTime || 0;
          info.uplink = typeof stat.availableOutgoingBitrate === 'number' ? stat.availableOutgoingBitrate : null;
          // which way the media goes: 'relay' on both ends in a relay-only room (support, tests)
          const type = (id) => report.get(id)?.candidateType ?? null;
          info.route = { local: type(stat.localCandidateId), remote: type(stat.remoteCandidateId) };
        }
      });
      const now = performance.now();
      const before = this.previous.get(memberId) || { lost: 0, received: 0, frames: 0, framesAt: 0 };
      const frames = info.video.framesDecoded;
      const framesAt = frames > before.frames ? now : before.framesAt;
      this.previous.set(memberId, { lost, received, frames, framesAt });
      const dLost = Math.max(0, lost - before.lost);
      const dReceived = Math.max(0, received - before.received);
      const loss = dLost + dReceived > 0 ? dLost / (dLost + dReceived) : 0;
      info.quality = info.state === 'connected' ? qualityOf(loss, rtt) : null;
      info.rtt = rtt;
      info.speaking = info.audio.level > SPEAKING_LEVEL && !isApart(this.state, memberId);
      // The last picture stays when frames stop with the camera on (a connection problem);
      // initials only for a camera off, or when we asked for no video.
      const video = tileVideo(info.hasVideo, {
        cameraOff: info.cameraOff,
        audioOnly: this.state.audioOnly,
        connected: info.state === 'connected',
        frames,
        sinceFrameMs: now - framesAt,
      });
      info.hasVideo = video.shown;
      info.videoStalled = video.stalled;
      if (info.state === 'connected') {
        if (dLost + dReceived > 0) worstLoss = Math.max(worstLoss ?? 0, loss);
        if (rtt > 0) worstRtt = Math.max(worstRtt ?? 0, rtt);
      }
    }
    const local = this.state.self;
    local.speaking = !local.muted && this.hooks.level() > 0.45;
    adviseAudioOnly(this.state.weakAdvice, performance.now() / 1000, worstLoss, worstRtt);
    this.render();
    this.hooks.onStats();
  }

  _codec(report, codecId) {
    const codec = codecId ? report.get(codecId) : null;
    return codec ? codec.mimeType : null;
  }

  /** A chat line in the log (ours or someone's), announced by the log's live region. */
  addChat(fromName, text, { private: isPrivate = false, mine = false } = {}) {
    const li = el('li');
    const who = el('span', 'who', mine ? t('chat.me') : fromName);
    li.append(who, document.createTextNode(': '));
    if (isPrivate) li.append(el('span', 'private', `${t('chat.private')} `));
    li.append(document.createTextNode(text));
    document.getElementById('chat-lines').append(li);
    const log = document.getElementById('chat-log'); // the scrolling log around the list
    log.scrollTop = log.scrollHeight;
  }
}
