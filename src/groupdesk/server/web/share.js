// Screen sharing on the page: what others share, shown large with the speakers small,
// and our own share from the browser (getDisplayMedia) while a facilitator allows it.
// The rules are core/session/share.py's: a facilitator may always share; a participant
// only while the facilitator's `share_permission` names them (the server refuses their
// `share` otherwise); a share no facilitator allowed is not shown; several at once: the
// one started last is shown. In a mesh, a share travels on the third transceiver of every
// connection (mesh.js), so the page tells it from the camera by its place; through the
// organisation's media server, it is a second publication of the sharer's (sfu.js).

import { APP_EVENT, CLIENT_MESSAGE, MEMBER_ID, SHARE_KINDS } from './protocol.js';
import { t } from './i18n.js';

/** The share view's caption: who shares what kind of thing (`name` null: we do). */
function captionOf(kind, name) {
  if (name === null) return kind === 'screen' ? t('share.mine.screen') : t('share.mine.window');
  if (kind === 'screen') return t('share.caption.screen', { name });
  if (kind === 'window') return t('share.caption.window', { name });
  return t('share.caption.document', { name });
}

/** A new page's share state: who may share, who shares (in the order they started), ours. */
export function newShareState() {
  return { allowed: [], sharing: [], mine: null };
}

function mayShare(state, seat) {
  const info = seat === state.member ? { role: state.role } : state.members[seat];
  if (!info) return false;
  return info.role === 'facilitator' || state.share.allowed.includes(seat);
}

/** Whether we may share now (a facilitator, or a participant the facilitator allows). */
export function mayShareNow(state) {
  return Boolean(state.member) && mayShare(state, state.member);
}

/**
 * A `share` or `share_permission` app message. Returns `{changed, revoked, granted}`:
 * whether what is shown (or who may share) changed, whether our own share must stop (the
 * permission was taken back), and whether we may share from now on. Anything else, or a
 * malformed one: nothing changes.
 */
export function shareEvent(state, message) {
  const data = message.data || {};
  const from = state.members[message.from];
  const none = { changed: false, revoked: false, granted: false };
  if (!from) return none;
  if (message.event === APP_EVENT.SHARE_PERMISSION) {
    if (from.role !== 'facilitator') return none;
    const allowed = Array.isArray(data.allowed) ? data.allowed : null;
    if (!allowed || !allowed.every((id) => typeof id === 'string' && MEMBER_ID.test(id))) return none;
    const couldShare = mayShareNow(state);
    state.share.allowed = [...new Set(allowed)].sort();
    state.share.sharing = state.share.sharing.filter((s) => mayShare(state, s.seat));
    const revoked = state.share.mine !== null && !mayShareNow(state);
    return { changed: true, revoked, granted: !couldShare && mayShareNow(state) };
  }
  if (message.event !== APP_EVENT.SHARE) return none;
  const kind = data.kind ?? null;
  if (kind !== null && !SHARE_KINDS.includes(kind)) return none;
  const before = state.share.sharing;
  const others = before.filter((s) => s.seat !== message.from);
  if (kind === null) {
    state.share.sharing = others;
    return { changed: others.length !== before.length, revoked: false, granted: false };
  }
  if (!mayShare(state, message.from)) return none;
  const current = before.find((s) => s.seat === message.from);
  if (current && current.kind === kind) return none; // told again, for a newcomer
  state.share.sharing = [...others, { seat: message.from, kind }];
  return { changed: true, revoked: false, granted: false };
}

/** A member left: their share ends. True when something shown changed. */
export function shareLeft(state, seat) {
  const before = state.share.sharing.length;
  state.share.sharing = state.share.sharing.filter((s) => s.seat !== seat);
  return state.share.sharing.length !== before;
}

/** The share to show large ({seat, kind}, the one started last), or null. */
export function shownShare(state) {
  const { sharing } = state.share;
  return sharing.length ? sharing[sharing.length - 1] : null;
}

/** The kind of a display-capture track: what the person picked in the browser's dialog. */
export function kindOfTrack(track) {
  const surface = track?.getSettings?.().displaySurface;
  return surface === 'monitor' ? 'screen' : 'window';
}

/**
 * The share view (the large picture above the grid, with its caption) and our share
 * button. `mesh()`: the page's BrowserMesh (or null); `send(message)`: to the server.
 */
export class ShareView {
  constructor(state, mesh, send, announce) {
    this.state = state;
    this.mesh = mesh;
    this.send = send;
    this.announce = announce;
    this.figure = document.getElementById('share');
    this.video = document.getElementById('share-video');
    this.caption = document.getElementById('share-caption');
    this.button = document.getElementById('btn-share');
    this.tracks = new Map(); // seat -> the share track that came from them
    this.own = null; // our display-capture track
    this.shownSeat = null;
    this.button.addEventListener('click', () => (this.own ? this.stop() : this.start()));
  }

  /** A share track came from `seat` (mesh.js: the third transceiver; sfu.js: their share's
   * own connection), or null: it ended. */
  attach(seat, track) {
    this.tracks.set(seat, track);
    this.render();
  }

  /** What changed: a share event, a member gone, the language. */
  render() {
    const shown = shownShare(this.state);
    const mine = shown && shown.seat === this.state.member;
    const track = shown ? (mine ? this.own : this.tracks.get(shown.seat)) : null;
    const seat = shown ? shown.seat : null;
    if (!shown) {
      this.figure.hidden = true;
      if (this.video.srcObject) this.video.srcObject = null;
    } else {
      const name = shown.seat === this.state.member
        ? null
        : (this.state.members[shown.seat]?.name || t('turn.someone'));
      this.caption.textContent = captionOf(shown.kind, name);
      this.figure.hidden = false;
      this.figure.dataset.member = shown.seat;
      this.figure.dataset.kind = shown.kind;
      const stream = track ? new MediaStream([track]) : null;
      if (!stream) {
        this.video.srcObject = null;
      } else if (this.video.srcObject?.getVideoTracks()[0] !== track) {
        this.video.srcObject = stream;
        this.video.play().catch(() => {});
      }
    }
    if (seat !== this.shownSeat) {
      this.shownSeat = seat;
      if (shown && seat !== this.state.member) this.announce(this.caption.textContent);
    }
    this.renderButton();
  }

  renderButton() {
    const may = mayShareNow(this.state);
    this.button.hidden = !may && !this.own;
    this.button.textContent = this.own ? t('share.stop') : t('share.start');
    this.button.setAttribute('aria-pressed', this.own ? 'true' : 'false');
  }

  /** Ask the browser for a screen or a window, and share it (only while allowed). */
  async start() {
    if (!mayShareNow(this.state) || this.own) return;
    let stream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({
        video: { frameRate: { max: 5 }, width: { max: 1280 }, height: { max: 720 } },
        audio: false,
      });
    } catch (error) {
      this.announce(t('share.refused'));
      console.warn('groupdesk: no screen to share:', error && error.name);
      return;
    }
    const track = stream.getVideoTracks()[0];
    if (!track) return;
    if (!mayShareNow(this.state)) { // taken back while the browser asked
      track.stop();
      return;
    }
    if ('contentHint' in track) track.contentHint = 'text';
    track.addEventListener('ended', () => this.stop());
    this.own = track;
    const kind = kindOfTrack(track);
    this.state.share.mine = kind;
    this.mesh()?.setTrack('share', track);
    this.send({ type: CLIENT_MESSAGE.APP, event: APP_EVENT.SHARE, data: { kind } });
    this.state.share.sharing = [
      ...this.state.share.sharing.filter((s) => s.seat !== this.state.member),
      { seat: this.state.member, kind },
    ];
    this.render();
  }

  /** Stop our share (the button, the browser's own "stop sharing", or the permission gone). */
  stop() {
    const track = this.own;
    if (!track) return;
    this.own = null;
    track.stop();
    this.state.share.mine = null;
    this.mesh()?.setTrack('share', null);
    this.send({ type: CLIENT_MESSAGE.APP, event: APP_EVENT.SHARE, data: {} });
    this.state.share.sharing = this.state.share.sharing.filter((s) => s.seat !== this.state.member);
    this.render();
  }

  /** The room's call was replaced (the room moved to the media server): our share, still
   * announced, goes on through the new call; nobody has to pick a screen again. */
  carryOn() {
    if (this.own) this.mesh()?.setTrack('share', this.own);
  }

  /** Someone joined: they hear of our share from us. */
  tellNewcomer() {
    if (this.own && this.state.share.mine) {
      this.send({ type: CLIENT_MESSAGE.APP, event: APP_EVENT.SHARE, data: { kind: this.state.share.mine } });
    }
  }
}
