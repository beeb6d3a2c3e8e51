// The page's state and its transitions: from the server's messages and from what the person
// does. No DOM here (node --test runs it, tests/web/state.test.mjs); main.js renders.
// window.groupdeskState is this object, for tests and for support.

import {
  ADVICE, APP_EVENT, CONSENT_ANSWER, CONSENT_VERSION, DEFAULT_QUESTIONS, INVITE_ERROR_CODES, MAX_DECLARED_VALUE_CHARS,
  FROZEN_AFTER_MS, MAX_DISPLAY_NAME_CHARS, MAX_QUESTIONS, MAX_RULES_CHARS, MEMBER_ID, QUALITY, QUESTION_ID, QUESTION_KINDS,
  RETRY_LATER_ERROR_CODES, ROOM_ID, TOKEN,
} from './protocol.js';

export const STEPS = ['check', 'test', 'name', 'answers', 'lobby', 'session', 'end'];
// How a question answered in words is asked, by its kind (a tick is a checkbox): the
// input's type, what the browser may fill in (not where one is: a shared device would
// offer it to the next person), the longest answer it takes, and whether a hint says it
// is asked each time (where one is now, for an emergency).
export const FIELDS = {
  text: { type: 'text', autocomplete: 'off', max: MAX_DECLARED_VALUE_CHARS, askedEachTime: false },
  phone: { type: 'tel', autocomplete: 'tel', max: 40, askedEachTime: false },
  location: { type: 'text', autocomplete: 'off', max: 200, askedEachTime: true },
};

/** A new page's state. */
export function createState() {
  return {
    step: 'loading',
    steps: [], // every step shown, in order
    questions: [], // the ids of the questions asked
    questionsFrom: 'page', // 'room' when the room brought its own
    rules: null, // the room's group rules ({en, fr_CA}), null when it brought none
    consent: null, // the room's consent to taking part remotely ({version, text}), or null
    unmet: [], // the required questions the notice names (empty: no notice shown)
    language: 'en',
    room: null,
    member: null,
    role: 'participant',
    problem: null,
    checkProblem: null,
    checking: false, // the device check waits for the browser (it may be asking the person)
    checkHelp: null, // the "camera blocked" help shown (platform.js's kind), or null
    testCall: null, // the test call's findings (testcall.js), once the page has one
    cameraLate: 0, // cameras or microphones taken up after the check (allowed or plugged in later)
    signaling: 'idle',
    audioOnly: false,
    self: { name: '', role: 'participant', muted: false, cameraOff: false, handRaised: false, speaking: false },
    members: {},
    // the last turn state (see turnState); receivedAt: the page's monotonic clock, seconds
    turn: {
      queue: [], floor: null, place: null, spotlight: null, timer: null, round: null,
      receivedAt: 0, passSent: false,
    },
    chat: { received: 0, sent: 0, unread: 0 },
    safety: false, // we signal that we cannot talk freely (until we take it back)
    safetyStatus: null, // 'sent' or 'withdrawn': the last confirmation shown
    safetyWording: null, // the room's words for the option (its policy's); null: the page's own
    weakAdvice: newAudioOnlyAdvice(),
    resumes: 0,
    soundBlocked: false,
    // the private side room, as a facilitator last said: its seats (empty: everyone is
    // together) and who said so (see sideRoom)
    sideRoom: { members: [], by: null },
    // how media travel ('mesh': member to member, end to end; 'sfu': through the
    // organisation's media server), from room_info then admitted; and whether the
    // facilitator may see us in the lobby (false in relay-only rooms)
    media: 'mesh',
    previews: true,
  };
}

// -- values typed by the person -----------------------------------------------------

/** One line of text without control characters, at most `max` characters. */
export function cleanText(value, max) {
  return value.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, max).trim();
}

export function cleanName(value) {
  return cleanText(value, MAX_DISPLAY_NAME_CHARS);
}

/** An answer as the hello declares it: a tick true or false; words trimmed, on one
 * line, at most as long as the server takes ('' when nothing is left). */
export function cleanAnswer(kind, value) {
  if (kind === 'tick') return value === true;
  return cleanText(typeof value === 'string' ? value : '', MAX_DECLARED_VALUE_CHARS);
}

/** The invite in a URL fragment (`r`: room, `k`: secret), or null when it is not whole. */
export function inviteFromFragment(fragment) {
  const fields = new URLSearchParams(fragment.replace(/^#/, ''));
  const room = fields.get('r');
  const secret = fields.get('k');
  if (!room || !secret || !ROOM_ID.test(room) || !TOKEN.test(secret)) return null;
  return { room, secret };
}

// -- the room's questions ------------------------------------------------------------

/** The question's text in `lang` ('fr' or 'en'; else the other one) and its language. */
export function questionText(text, lang) {
  const fr = typeof text.fr_CA === 'string' && text.fr_CA.trim() ? text.fr_CA : null;
  const en = typeof text.en === 'string' && text.en.trim() ? text.en : null;
  if (lang === 'fr') return fr ? [fr, 'fr-CA'] : [en, 'en'];
  return en ? [en, 'en'] : [fr, 'fr-CA'];
}

/** How a question is answered: its kind; none (an older app): a tick; a kind this page
 * does not know (a newer app): words. */
export function questionKind(kind) {
  if (kind === undefined || kind === null) return 'tick';
  return QUESTION_KINDS.includes(kind) ? kind : 'text';
}

/**
 * The room's questions the page can ask, as `{id, text, kind, required}`: well formed,
 * each id once (not the consent's key), at most MAX_QUESTIONS; `required` only when it
 * says so (absent: an older app's, optional).
 */
export function usableQuestions(questions) {
  return (Array.isArray(questions) ? questions : [])
    .filter((q) => q && typeof q.id === 'string' && QUESTION_ID.test(q.id) && q.id !== CONSENT_ANSWER)
    .filter((q) => q.text && typeof q.text === 'object')
    .filter((q, i, all) => all.findIndex((other) => other.id === q.id) === i && questionText(q.text, 'en')[0])
    .slice(0, MAX_QUESTIONS)
    .map((q) => ({ id: q.id, text: q.text, kind: questionKind(q.kind), required: q.required === true }));
}

/** What the page asks: the room's questions, else its own list (DEFAULT_QUESTIONS, the
 * default checklist of resources/checklists/participant.json). */
export function questionsToAsk(roomQuestions) {
  const room = usableQuestions(roomQuestions);
  return room.length ? { questions: room, from: 'room' } : { questions: usableQuestions(DEFAULT_QUESTIONS), from: 'page' };
}

/**
 * What the hello declares: each question's answer from `values` (id -> a checkbox's
 * checked, or a field's text), a tick true or false, words cleaned and left out when
 * empty; and the consent's version under CONSENT_ANSWER when `consentVersion` (the
 * person agreed to the room's consent text), else nothing of it.
 */
export function declaredAnswers(questions, values, consentVersion = null) {
  const declared = {};
  for (const q of questions) {
    const answer = cleanAnswer(q.kind, values[q.id]);
    if (answer !== '') declared[q.id] = answer;
  }
  if (consentVersion) declared[CONSENT_ANSWER] = consentVersion;
  return declared;
}

/** The required questions `declared` leaves unanswered (a tick not ticked, words not
 * given), in the order asked. */
export function unmetRequired(questions, declared) {
  return questions.filter((q) => q.required && (q.kind === 'tick' ? declared[q.id] !== true : !declared[q.id]));
}

/** The room's consent to taking part remotely the page can offer: `{version, text}` with a
 * version the server takes and a text in en or fr_CA; else null (not asked on the page). */
export function usableConsent(consent) {
  if (!consent || typeof consent !== 'object') return null;
  if (typeof consent.version !== 'string' || !CONSENT_VERSION.test(consent.version)) return null;
  const text = usableRules(consent.text);
  return text ? { version: consent.version, text } : null;
}

/** The room's group rules (or another long text of the room) the page can show:
 * `{en, fr_CA}` with at least one text, else null. */
export function usableRules(rules) {
  if (!rules || typeof rules !== 'object') return null;
  const usable = {};
  for (const lang of ['en', 'fr_CA']) {
    const text = rules[lang];
    if (typeof text === 'string' && text.trim() && text.length <= MAX_RULES_CHARS) usable[lang] = text;
  }
  return Object.keys(usable).length ? usable : null;
}

/**
 * What the answer to `inquire` means: `{end: code}` (the visit ends before the device
 * check) or `{questions, safety, rules, consent, media, previews}` (the room's; none: the
 * page's own questions and words, no rules text, no consent asked; see roomMedia). Null:
 * no answer.
 */
export function inquiryOutcome(reply) {
  if (reply === null) return { end: 'unreachable' };
  if (reply.type === 'error' && (INVITE_ERROR_CODES.has(reply.code) || RETRY_LATER_ERROR_CODES.has(reply.code))) {
    return { end: reply.code };
  }
  // An error of another kind: a server that does not know `inquire`; ask the page's questions.
  if (reply.type !== 'room_info') return { questions: [], safety: null, rules: null, consent: null };
  return {
    questions: usableQuestions(reply.questions),
    safety: usableSafetyWording(reply.safety),
    rules: usableRules(reply.rules),
    consent: usableConsent(reply.consent),
    ...roomMedia(reply),
  };
}

/**
 * How a room's media travel and whether its facilitator may see a waiting person's
 * camera (`room_info`): `{media: 'mesh'|'sfu', previews}`. An older server says neither:
 * a mesh, previews on (what it did).
 */
export function roomMedia(reply) {
  return { media: reply && reply.media === 'sfu' ? 'sfu' : 'mesh', previews: !(reply && reply.previews === false) };
}

// -- the discreet safety option ------------------------------------------------------

const SAFETY_TEXTS = ['option', 'sent', 'withdraw', 'withdrawn'];

/** The room's words for the safety option when all four are usable texts, else null. */
export function usableSafetyWording(wording) {
  if (!wording || typeof wording !== 'object') return null;
  const usable = SAFETY_TEXTS.every((key) => {
    const text = wording[key];
    return text && typeof text === 'object' && questionText(text, 'en')[0];
  });
  return usable ? wording : null;
}

/** The safety option's `key` text ('option', 'sent', 'withdraw', 'withdrawn') in `lang`:
 * the room's words, else null (the page's own strings then). */
export function safetyText(wording, key, lang) {
  return wording ? questionText(wording[key], lang)[0] : null;
}

// -- the session ---------------------------------------------------------------------

/** The ICE servers of `waiting` or `admitted`, as RTCPeerConnection takes them. */
export function rtcIceServers(list) {
  return (Array.isArray(list) ? list : [])
    .filter((s) => s && (typeof s.urls === 'string' || Array.isArray(s.urls)))
    .map((s) => ({ urls: s.urls, ...(s.username ? { username: s.username, credential: s.credential } : {}) }));
}

/** `admitted`'s ICE transport policy: 'relay' in a relay-only room, else 'all'. */
export function iceTransportPolicy(message) {
  return message && message.ice_transport_policy === 'relay' ? 'relay' : 'all';
}

/** A relay-only room with no TURN server to relay through: no call can connect. */
export function relayWithoutTurn(message) {
  if (iceTransportPolicy(message) !== 'relay') return false;
  const urls = rtcIceServers(message.ice_servers).flatMap((s) => [].concat(s.urls));
  return !urls.some((url) => /^turns?:/.test(String(url)));
}

export function blankMember(info) {
  return {
    name: info.display_name, role: info.role, state: 'connecting', quality: null, speaking: false,
    handRaised: false, muted: false, cameraOff: false, hasVideo: false, videoStalled: false, rtt: 0,
    video: {
      framesDecoded: 0, framesReceived: 0, framesShown: 0, bytesReceived: 0, packetsReceived: 0, width: 0, height: 0,
      codec: null,
    },
    audio: { bytesReceived: 0, packetsReceived: 0, level: 0, codec: null },
    sent: { audio: { packets: 0, bytes: 0 }, video: { packets: 0, bytes: 0 } }, // what we send them
    route: null, // the selected ICE pair's candidate types, {local, remote} (e.g. 'relay')
    uplink: null, // bit/s the browser estimates it can send them (availableOutgoingBitrate)
  };
}

/**
 * The `uplink` report of a mesh room that asks for one (media_mode auto): what the
 * browser estimates it can send (each connection's availableOutgoingBitrate, summed over
 * the connected members we send to: they share our uplink). A bandwidth estimate is a
 * ceiling (`limited`). Null when there is nothing to say: no video sent, no estimate yet.
 */
export function uplinkReport(state, { sendingVideo, blocked = [] }) {
  if (!sendingVideo) return null;
  const aside = new Set(blocked);
  const links = Object.entries(state.members).filter(
    ([seat, info]) => seat !== state.member && !aside.has(seat) && info.state === 'connected'
      && typeof info.uplink === 'number' && Number.isFinite(info.uplink) && info.uplink > 0,
  );
  if (!links.length) return null;
  const bps = links.reduce((sum, [, info]) => sum + info.uplink, 0);
  return { type: 'uplink', kbps: Math.min(10_000_000, Math.round(bps / 1000)), streams: Math.min(256, links.length), limited: true };
}

/** Seat a member someone else than us (known ones stay as they are); true if it is new. */
export function addMember(state, info) {
  if (info.member === state.member || state.members[info.member]) return false;
  state.members[info.member] = blankMember(info);
  return true;
}

/** `member_joined`: the member's id, or null when the message is not usable. */
export function memberJoined(state, message) {
  if (!message.member || !MEMBER_ID.test(message.member.member)) return null;
  addMember(state, message.member);
  return message.member.member;
}

/** `member_left`: the member who left (their last known info), or null if unknown. */
export function memberLeft(state, memberId) {
  const info = state.members[memberId];
  if (!info) return null;
  delete state.members[memberId];
  leftSideRoom(state, [memberId]);
  return info;
}

/**
 * `admitted` (first time, or again after a resume): who we are and who is there.
 * Returns `{first, gone, present}`: the first admission, the ids no longer there, and the
 * ids there now (sorted; us excepted).
 */
export function admitted(state, message) {
  const first = !state.member;
  state.member = message.member;
  state.room = message.room;
  state.role = message.role;
  state.self.role = message.role;
  if (message.resumed) state.resumes += 1;
  for (const info of message.members) {
    if (info.member === message.member && !state.self.name) state.self.name = info.display_name;
  }
  const present = new Set(message.members.map((m) => m.member).filter((id) => id !== state.member));
  const gone = Object.keys(state.members).filter((id) => !present.has(id));
  for (const memberId of gone) delete state.members[memberId];
  leftSideRoom(state, gone);
  for (const info of message.members) addMember(state, info);
  return { first, gone, present: [...present].sort() };
}

/** A chat line came in; true when it counts as unread (the chat is folded). */
export function chatReceived(state, chatOpen) {
  state.chat.received += 1;
  if (!chatOpen) state.chat.unread += 1;
  return !chatOpen;
}

/**
 * An `app` message, received at `now` (the page's monotonic clock, seconds). Returns
 * `{turn, side}`: the outcome of a turn state (see turnState), or null when it was not
 * one; and whether the private side room changed (see sideRoom).
 */
export function appEvent(state, message, now) {
  const data = message.data || {};
  const from = state.members[message.from];
  const fromFacilitator = from && from.role === 'facilitator';
  if (message.event === APP_EVENT.TURN_STATE && fromFacilitator) {
    return { turn: turnState(state, data, now), side: false };
  }
  if (message.event === APP_EVENT.SIDE_ROOM) {
    return { turn: null, side: fromFacilitator ? sideRoom(state, data, message.from) : false };
  }
  if (message.event === APP_EVENT.MEDIA_STATE && 'request_mute' in data) {
    // the old form of a mute request (a control, not a state): mute_requested now
  } else if (message.event === APP_EVENT.MEDIA_STATE && from) {
    if (typeof data.muted === 'boolean') from.muted = data.muted;
    if (typeof data.camera_off === 'boolean') from.cameraOff = data.camera_off;
  } else if ((message.event === APP_EVENT.RAISE_HAND || message.event === APP_EVENT.LOWER_HAND) && from) {
    from.handRaised = message.event === APP_EVENT.RAISE_HAND;
  }
  return { turn: null, side: false };
}

// -- the private side room -----------------------------------------------------------
// A facilitator steps aside with a member: the two see and hear only each other while
// the group goes on. Each page keeps away from the other side on both ends of every link
// (core/session/side_room.py): it sends nothing to the seats across, and neither plays
// nor shows what comes from them, so a page that has not heard of the side room yet
// still cannot reach the pair. Only a facilitator's word counts (the server relays it
// from facilitators only; the page checks again).

/**
 * A facilitator's `side_room` (`data.members`: the seats aside; empty: everyone is
 * together again), from `by`. Returns true when the side room changed; a malformed
 * list changes nothing.
 */
export function sideRoom(state, data, by) {
  const members = data && Array.isArray(data.members) ? data.members : null;
  if (!members || members.length === 1 || !members.every((id) => memberIdOrNull(id))) return false;
  if (new Set(members).size !== members.length) return false;
  const sorted = [...members].sort();
  const before = state.sideRoom.members;
  if (sorted.length === before.length && sorted.every((id, i) => id === before[i])) return false;
  state.sideRoom = { members: sorted, by: sorted.length ? by : null };
  return true;
}

/** Seats that left: when one of the pair is among them, everyone is together again.
 * True when the side room closed. */
export function leftSideRoom(state, seats) {
  if (!seats.some((id) => state.sideRoom.members.includes(id))) return false;
  state.sideRoom = { members: [], by: null };
  return true;
}

/** Whether `seat` is in the side room. */
export function isAside(state, seat) {
  return state.sideRoom.members.includes(seat);
}

/** Whether we and `seat` are on two sides of the side room (we neither send to them nor
 * take what comes from them). */
export function isApart(state, seat) {
  return seat !== state.member && state.sideRoom.members.length > 0 && isAside(state, state.member) !== isAside(state, seat);
}

/** The seats we know whose media we leave alone now (sorted; none when all are together). */
export function blockedSeats(state) {
  return Object.keys(state.members).filter((seat) => isApart(state, seat)).sort();
}

/**
 * What the page says of the side room: null (nobody aside); `{inside: true}` (we are
 * in it); or `{inside: false, names}`: the names of the members aside who are not
 * facilitators (those the group waits for), or of all aside when only facilitators are.
 */
export function sideRoomView(state) {
  const aside = state.sideRoom.members;
  if (!aside.length) return null;
  if (isAside(state, state.member)) return { inside: true };
  const known = aside.map((seat) => state.members[seat]).filter(Boolean);
  const waitedFor = known.filter((info) => info.role !== 'facilitator');
  return { inside: false, names: (waitedFor.length ? waitedFor : known).map((info) => info.name) };
}

// -- the speaking turns ------------------------------------------------------------
// The facilitator's app sends its whole turn state after every change (queue, floor,
// timer, round, spotlight): the page keeps the last one with the time it came on the
// page's monotonic clock (seconds), and counts the speaker's timer on from there, as
// Python's ReceivedTurns.view_for does (core/session/turn_wire.py). No clock time
// crosses the wire. An older facilitator's app sends only the spotlight: no queue, so
// nobody has a place in line.

function memberIdOrNull(value) {
  return typeof value === 'string' && MEMBER_ID.test(value) ? value : null;
}

function secondsOrNull(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The wire's `timer` as the page keeps it, or null (absent or not a timer). */
function keptTimer(timer) {
  if (!timer || typeof timer !== 'object') return null;
  const elapsed = secondsOrNull(timer.elapsed);
  if (elapsed === null) return null;
  const limit = secondsOrNull(timer.limit);
  const remaining = secondsOrNull(timer.remaining);
  const limited = limit !== null && remaining !== null; // no limit: nothing to warn of
  return {
    elapsed,
    limit: limited ? limit : null,
    remaining: limited ? remaining : null,
    warning: limited && timer.warning === true,
    over: limited && timer.over === true,
  };
}

/** The wire's `round` as the page keeps it, or null (absent or not a round). */
function keptRound(round) {
  if (!round || typeof round !== 'object') return null;
  const { done, total } = round;
  if (!Number.isInteger(done) || !Number.isInteger(total) || done < 0 || done > total) return null;
  return {
    order: typeof round.order === 'string' ? round.order : 'current',
    done,
    total,
    current: memberIdOrNull(round.current),
    next: memberIdOrNull(round.next),
  };
}

/**
 * The facilitator's turn state (`data`), received at `now` (the page's monotonic clock,
 * in seconds). It is whole: what it leaves out is not there. Returns
 * `{placeChanged, floorGained, roundTurnGained}`: our place in line changed to a place,
 * the floor became ours, our turn in a round came (to announce).
 */
export function turnState(state, data, now) {
  const turn = state.turn;
  const before = { place: turn.place, floor: turn.floor, roundTurn: myTurnInRound(state) };
  const queue = Array.isArray(data.queue) ? data.queue.filter((id) => memberIdOrNull(id)) : null;
  turn.queue = queue || [];
  turn.floor = memberIdOrNull(data.floor);
  turn.spotlight = memberIdOrNull(data.spotlight);
  turn.timer = turn.floor ? keptTimer(data.timer) : null; // a timer is the speaker's
  turn.round = keptRound(data.round);
  turn.receivedAt = now;
  turn.passSent = false;
  const place = turn.queue.indexOf(state.member);
  turn.place = place >= 0 ? place + 1 : null;
  if (queue) {
    // Our hand follows the queue: the facilitator's app takes it out when we get the floor.
    state.self.handRaised = place >= 0;
    for (const [memberId, info] of Object.entries(state.members)) {
      info.handRaised = turn.queue.includes(memberId);
    }
  }
  return {
    placeChanged: turn.place !== before.place && Boolean(turn.place),
    floorGained: turn.floor === state.member && before.floor !== state.member,
    roundTurnGained: myTurnInRound(state) && !before.roundTurn,
  };
}

/** The speaker's timer at `now`, counted on from what was sent; the warning stays as
 * sent until the limit is reached here, then the time is up (ReceivedTurns.timer_at). */
export function timerAt(state, now) {
  const { timer, receivedAt } = state.turn;
  if (!timer) return null;
  const gone = Math.max(0, now - receivedAt);
  const remaining = timer.remaining === null ? null : timer.remaining - gone;
  const over = timer.over || (remaining !== null && remaining <= 0);
  return { elapsed: timer.elapsed + gone, limit: timer.limit, remaining, warning: timer.warning || over, over };
}

/** What the page shows of the turns at `now` (ReceivedTurns.view_for, for us). */
export function turnView(state, now) {
  const { turn } = state;
  return {
    handRaised: turn.place !== null,
    place: turn.place,
    queue: [...turn.queue],
    speaker: turn.floor,
    timer: timerAt(state, now),
    round: turn.round ? { ...turn.round } : null,
    myTurnInRound: myTurnInRound(state),
  };
}

/** Whether a round runs and it is our turn in it (ReceivedTurns.my_turn_in_round). */
function myTurnInRound(state) {
  return state.turn.round !== null && state.member !== null && state.turn.round.current === state.member;
}

/** Whether the page offers "Pass": it is our turn in a round, and we have not passed yet. */
export function canPass(state) {
  return myTurnInRound(state) && !state.turn.passSent;
}

/** Pass our turn in the round: the app event to send, or null when it is not ours. */
export function passTurn(state) {
  if (!canPass(state)) return null;
  state.turn.passSent = true; // until the facilitator's next turn state
  return APP_EVENT.PASS_TURN;
}

/** Seconds as the timer shows them: m:ss, whole seconds rounded up, never below 0:00. */
export function clockText(seconds) {
  const whole = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** What the turn line tells us: 'floor' (ours), 'place' (in line), 'raised' (a hand), or null. */
export function turnStatus(state) {
  if (state.turn.floor && state.turn.floor === state.member) return 'floor';
  if (state.turn.place) return 'place';
  if (state.self.handRaised) return 'raised';
  return null;
}

/** `mute_requested`: true when we are to mute now (a facilitator of the room asked us). */
export function muteRequested(state, message) {
  const from = state.members[message.from];
  if (!from || from.role !== 'facilitator' || message.member !== state.member) return false;
  return !state.self.muted;
}

/** Raise or lower our hand; returns the app event to send. */
export function setHand(state, raised) {
  state.self.handRaised = raised;
  if (!raised) state.turn.place = null;
  return raised ? APP_EVENT.RAISE_HAND : APP_EVENT.LOWER_HAND;
}

/** The `media_state` we tell the others. */
export function mediaState(state) {
  return { muted: state.self.muted, camera_off: state.self.cameraOff || state.audioOnly };
}

/** The problem the end step shows for a code (`known`: the codes it has words for). */
export function problemOf(code, known) {
  if (code === 'unsupported_version') return 'internal';
  return Object.hasOwn(known, code) ? code : 'internal';
}

/** What a member's tile shows, poll after poll: `shown` (their picture, else initials) and
 * `stalled` (the picture stopped coming: "Connection problem" over the last one).
 * Initials only when the camera is off (or we asked for no video, or none ever came): a
 * picture that stops while the camera is on is the link's doing, and initials would read
 * as "camera off" (issue 14). `wasShown`: what the previous poll said. */
export function tileVideo(wasShown, { cameraOff, audioOnly, connected, frames, sinceFrameMs }) {
  const fresh = frames > 0 && sinceFrameMs < FROZEN_AFTER_MS;
  const shown = !cameraOff && !audioOnly && (fresh || Boolean(wasShown));
  return { shown, stalled: shown && !fresh && connected };
}

/** A fresh audio-only advice: `adviseAudioOnly` keeps it, reading after reading. */
export function newAudioOnlyAdvice() {
  return { shown: false, loss: null, rtt: null, at: null, badSince: null, goodSince: null };
}

function smoothed(average, value, weight) {
  if (value === null || value === undefined) return average;
  if (average === null) return value;
  return average + weight * (value - average);
}

/** Whether to suggest audio only, from one reading of the worst link (`now` in seconds,
 * `loss` 0..1, `rtt` in seconds; null: not measured): moving averages with hysteresis,
 * so one fair reading does not reset it. The same rule as core/call_quality.py's
 * AudioOnlyAdvice, tested on the same table (tests/web/audio_only_cases.json). */
export function adviseAudioOnly(advice, now, loss, rtt) {
  const a = advice;
  const weight = a.at === null ? 1 : 1 - Math.exp(-Math.max(0, now - a.at) / ADVICE.SMOOTHING_S);
  a.at = now;
  a.loss = smoothed(a.loss, loss, weight);
  a.rtt = smoothed(a.rtt, rtt, weight);
  const lossNow = a.loss || 0;
  const rttNow = a.rtt || 0;
  if (!a.shown) {
    if (lossNow >= ADVICE.SHOW_LOSS || rttNow >= ADVICE.SHOW_RTT_S) {
      if (a.badSince === null) a.badSince = now;
      if (now - a.badSince >= ADVICE.SHOW_AFTER_S) {
        a.shown = true;
        a.goodSince = null;
      }
    } else {
      a.badSince = null;
    }
  } else if (lossNow < QUALITY.LOSS_GOOD_BELOW && rttNow < QUALITY.RTT_GOOD_BELOW_S) {
    if (a.goodSince === null) a.goodSince = now;
    if (now - a.goodSince >= ADVICE.HIDE_AFTER_S) {
      a.shown = false;
      a.badSince = null;
    }
  } else {
    a.goodSince = null;
  }
  return a.shown;
}

/** good / fair / poor from the share of packets lost and the round-trip time (seconds). */
export function qualityOf(loss, rtt) {
  if (loss < QUALITY.LOSS_GOOD_BELOW && rtt < QUALITY.RTT_GOOD_BELOW_S) return 'good';
  if (loss < QUALITY.LOSS_FAIR_BELOW && rtt < QUALITY.RTT_FAIR_BELOW_S) return 'fair';
  return 'poor';
}
