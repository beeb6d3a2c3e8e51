// One WebSocket to the GroupDesk server, speaking protocol v1 (core/protocol.py), with
// automatic resume: after `admitted` the resume token is kept (in memory and in
// sessionStorage, never the invite secret); a dropped connection is reopened and
// `resume` sent until the grace period runs out.
//
// Events (EventTarget): 'message' (detail: the parsed server message),
// 'state' (detail: 'connecting' | 'open' | 'reconnecting' | 'closed'),
// 'ended' (detail: a problem code; the session is over for good).
// A hello refused because the server or the network address is busy (RETRY_LATER_ERROR_CODES)
// ends the visit with that code (the page offers to try again); a resume so refused is
// tried again until the grace period runs out.

import {
  CLIENT_MESSAGE, ERROR_CODE, FINAL_ERROR_CODES, FINAL_SERVER_MESSAGES, PROTOCOL_VERSION,
  RETRY_LATER_ERROR_CODES, SERVER_MESSAGE,
} from './protocol.js';

const RETRY_DELAYS_MS = [100, 250, 500, 1000, 2000];

export function tokenKey(room) {
  return `groupdesk.resume.${room}`;
}

/**
 * Before the device check: is the invite good, and what does the room ask? Sends
 * `inquire` on a short-lived socket of its own (the server closes a connection that has
 * not said hello in time, and the device check may take longer). Resolves to the
 * `room_info` or `error` message, or null when the server could not be reached.
 */
export async function inquire(url, room, secret, { tries = 3, timeoutMs = 10000 } = {}) {
  for (let attempt = 0; attempt < tries; attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
    const reply = await inquireOnce(url, room, secret, timeoutMs);
    if (reply) return reply;
  }
  return null;
}

function inquireOnce(url, room, secret, timeoutMs) {
  return new Promise((resolve) => {
    let ws = null;
    let timer = null;
    let done = false;
    const finish = (reply) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        ws?.close();
      } catch {
        // already closed
      }
      resolve(reply);
    };
    timer = setTimeout(() => finish(null), timeoutMs);
    try {
      ws = new WebSocket(url);
    } catch {
      finish(null);
      return;
    }
    ws.addEventListener('open', () => {
      ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: CLIENT_MESSAGE.INQUIRE, room, secret }));
    });
    ws.addEventListener('message', (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message && message.v === PROTOCOL_VERSION && [SERVER_MESSAGE.ROOM_INFO, SERVER_MESSAGE.ERROR].includes(message.type)) {
        finish(message);
      }
    });
    ws.addEventListener('close', () => finish(null));
  });
}

export class Signaling extends EventTarget {
  constructor(url) {
    super();
    this.url = url;
    this.state = 'idle';
    this.ws = null;
    this.hello = null; // the participant hello, to knock again if the lobby connection drops
    this.token = null;
    this.room = null;
    this.member = null;
    this.graceMs = 0;
    this.droppedAt = 0;
    this.ended = false;
    this.queue = []; // non-signal messages sent while reconnecting go out once back
    this.attempt = 0;
  }

  /** Open the socket and send the participant `hello` (room, secret, name, declared). */
  knock(hello) {
    this.hello = hello;
    this._open();
  }

  /** Take a seat back with a resume token (after a reload or a drop). */
  resume(room, token, graceMs) {
    this.room = room;
    this.token = token;
    this.graceMs = graceMs;
    this.droppedAt = Date.now();
    this._open();
  }

  send(message) {
    const body = JSON.stringify({ v: PROTOCOL_VERSION, ...message });
    if (this.ws && this.ws.readyState === WebSocket.OPEN && this.state === 'open') {
      this.ws.send(body);
      return true;
    }
    if (message.type !== CLIENT_MESSAGE.SIGNAL && !this.ended) this.queue.push(body);
    return false;
  }

  /** Leave for good: the seat is freed at once. */
  leave() {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: CLIENT_MESSAGE.LEAVE }));
    }
    this._forget();
    this._end(null);
  }

  _setState(state) {
    if (state === this.state) return;
    this.state = state;
    this.dispatchEvent(new CustomEvent('state', { detail: state }));
  }

  _open() {
    if (this.ended) return;
    this._setState(this.token ? 'reconnecting' : 'connecting');
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this._dropped(null);
      return;
    }
    this.ws = ws;
    ws.addEventListener('open', () => {
      if (this.token) {
        ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: CLIENT_MESSAGE.RESUME, token: this.token }));
      } else {
        ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: CLIENT_MESSAGE.HELLO, role: 'participant', ...this.hello }));
      }
    });
    ws.addEventListener('message', (event) => this._onFrame(event.data));
    ws.addEventListener('close', () => this._dropped(ws));
  }

  _onFrame(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (!message || message.v !== PROTOCOL_VERSION || typeof message.type !== 'string') return;
    if (message.type === SERVER_MESSAGE.WELCOME || message.type === SERVER_MESSAGE.WAITING) {
      this.attempt = 0;
    }
    if (message.type === SERVER_MESSAGE.ADMITTED) {
      this.attempt = 0;
      this.room = message.room;
      this.member = message.member;
      this.token = message.resume_token;
      this.graceMs = Math.max(0, Number(message.grace_seconds) || 0) * 1000;
      try {
        sessionStorage.setItem(tokenKey(message.room), JSON.stringify({
          token: message.resume_token, grace: message.grace_seconds,
        }));
      } catch {
        // No storage: reconnection still works while the page stays open.
      }
      this._setState('open');
      this.dispatchEvent(new CustomEvent('message', { detail: message }));
      this._flush();
      return;
    }
    if (message.type === SERVER_MESSAGE.ERROR) {
      this.dispatchEvent(new CustomEvent('message', { detail: message }));
      // Refusals of a hello or a resume end the session; errors about one message do not.
      const refused = this.state !== 'open' || message.code === ERROR_CODE.TOO_MANY_ATTEMPTS;
      if (FINAL_ERROR_CODES.has(message.code) && refused) {
        if (message.code === ERROR_CODE.RESUME_EXPIRED) this._forget();
        this._end(message.code);
      } else if (RETRY_LATER_ERROR_CODES.has(message.code) && this.state !== 'open') {
        if (this.token) this._closeSocket(); // a resume: tried again while the grace lasts
        else this._end(message.code);
      }
      return;
    }
    if (FINAL_SERVER_MESSAGES.has(message.type)) {
      this._forget();
      this.dispatchEvent(new CustomEvent('message', { detail: message }));
      this._end(message.type);
      return;
    }
    if (this.state === 'connecting' || this.state === 'reconnecting') {
      if (message.type === SERVER_MESSAGE.WELCOME || message.type === SERVER_MESSAGE.WAITING) this._setState('open');
    }
    this.dispatchEvent(new CustomEvent('message', { detail: message }));
  }

  _flush() {
    const queued = this.queue.splice(0);
    for (const body of queued) this.ws.send(body);
  }

  _dropped(ws) {
    if (ws !== null && ws !== this.ws) return; // an older socket
    if (this.ended) return;
    if (this.token) {
      if (this.state === 'open') this.droppedAt = Date.now();
      if (Date.now() - this.droppedAt > this.graceMs + 2000) {
        this._forget();
        this._end('resume_expired');
        return;
      }
    } else if (!this.hello) {
      this._end('unreachable');
      return;
    } else if (this.state === 'connecting' && this.attempt >= 3) {
      this._end('unreachable'); // never got through: the server is not there
      return;
    }
    this._setState(this.token ? 'reconnecting' : 'connecting');
    const delay = RETRY_DELAYS_MS[Math.min(this.attempt, RETRY_DELAYS_MS.length - 1)];
    this.attempt += 1;
    setTimeout(() => this._open(), delay);
  }

  _forget() {
    if (this.room) {
      try {
        sessionStorage.removeItem(tokenKey(this.room));
      } catch {
        // nothing stored
      }
    }
    this.token = null;
  }

  /** Close the socket; its close event then decides what comes next (_dropped). */
  _closeSocket() {
    if (!this.ws) return;
    try {
      this.ws.close();
    } catch {
      // already closed
    }
  }

  _end(code) {
    if (this.ended) return;
    this.ended = true;
    this.queue = [];
    this._closeSocket();
    this._setState('closed');
    this.dispatchEvent(new CustomEvent('ended', { detail: code }));
  }
}
