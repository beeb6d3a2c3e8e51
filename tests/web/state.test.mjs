// The page's state transitions (web/state.js) and its turn lines' ticking (web/turns.js),
// without a browser: node --test, run by tests/web/test_page_protocol.py.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import {
  adviseAudioOnly, admitted, appEvent, blockedSeats, canPass, cleanAnswer, cleanName, clockText, createState, declaredAnswers, inquiryOutcome,
  iceTransportPolicy, inviteFromFragment, relayWithoutTurn, safetyText, memberJoined, memberLeft, muteRequested, newAudioOnlyAdvice, passTurn, problemOf, questionsToAsk,
  setHand, sideRoomView, tileVideo, turnStatus, turnView, unmetRequired, uplinkReport, usableConsent,
} from '../../src/groupdesk/server/web/state.js';
import {
  CONSENT_ANSWER, DEFAULT_QUESTIONS, MAX_DECLARED_VALUE_CHARS, MAX_RULES_CHARS,
} from '../../src/groupdesk/server/web/protocol.js';

const ME = 'aaaaaaaaaaaa';
const FAC = 'bbbbbbbbbbbb';
const ANN = 'cccccccccccc';

function seated() {
  const state = createState();
  admitted(state, {
    member: ME, room: 'room-0001', role: 'participant', resumed: false,
    members: [
      { member: ME, display_name: 'Chloé', role: 'participant' },
      { member: FAC, display_name: 'Ana', role: 'facilitator' },
      { member: ANN, display_name: 'Ann', role: 'participant' },
    ],
  });
  return state;
}

test('a relay-only room uses the relay alone, and says when there is no TURN server', () => {
  const turn = { urls: ['turn:turn.example.org:3478?transport=udp'], username: 'u', credential: 'c' };
  const stun = { urls: 'stun:stun.example.org' };
  assert.equal(iceTransportPolicy({ ice_transport_policy: 'relay' }), 'relay');
  assert.equal(iceTransportPolicy({}), 'all'); // an older server
  assert.equal(iceTransportPolicy({ ice_transport_policy: 'bogus' }), 'all');
  assert.equal(relayWithoutTurn({ ice_transport_policy: 'relay', ice_servers: [stun, turn] }), false);
  assert.equal(relayWithoutTurn({ ice_transport_policy: 'relay', ice_servers: [stun] }), true);
  assert.equal(relayWithoutTurn({ ice_transport_policy: 'relay' }), true);
  assert.equal(relayWithoutTurn({ ice_transport_policy: 'all', ice_servers: [] }), false);
});

test('admission seats everyone else and takes our name', () => {
  const state = seated();
  assert.equal(state.self.name, 'Chloé');
  assert.deepEqual(Object.keys(state.members).sort(), [FAC, ANN].sort());
  assert.equal(state.members[FAC].role, 'facilitator');
});

test('a resume drops who left meanwhile and counts the resume', () => {
  const state = seated();
  const outcome = admitted(state, {
    member: ME, room: 'room-0001', role: 'participant', resumed: true,
    members: [{ member: ME, display_name: 'Chloé', role: 'participant' }, { member: FAC, display_name: 'Ana', role: 'facilitator' }],
  });
  assert.deepEqual(outcome, { first: false, gone: [ANN], present: [FAC] });
  assert.equal(state.resumes, 1);
  assert.equal(memberLeft(state, ANN), null);
});

test('the uplink report sums the browser\'s estimates over the members we send to', () => {
  const state = seated();
  assert.equal(uplinkReport(state, { sendingVideo: true }), null); // nothing connected yet
  state.members[FAC].state = 'connected';
  state.members[FAC].uplink = 250_400;
  state.members[ANN].state = 'connected';
  state.members[ANN].uplink = null; // no estimate yet: not a stream we can speak for
  assert.deepEqual(uplinkReport(state, { sendingVideo: true }), { type: 'uplink', kbps: 250, streams: 1, limited: true });
  state.members[ANN].uplink = 400_000;
  assert.deepEqual(uplinkReport(state, { sendingVideo: true }), { type: 'uplink', kbps: 650, streams: 2, limited: true });
  assert.deepEqual(uplinkReport(state, { sendingVideo: true, blocked: [ANN] }).streams, 1); // aside
  assert.equal(uplinkReport(state, { sendingVideo: false }), null); // camera off: says nothing
  state.members[FAC].state = 'reconnecting';
  state.members[ANN].uplink = Number.NaN;
  assert.equal(uplinkReport(state, { sendingVideo: true }), null);
});

test('members join once, with a valid id only', () => {
  const state = seated();
  assert.equal(memberJoined(state, { member: { member: 'not-an-id', display_name: 'X', role: 'participant' } }), null);
  assert.equal(memberJoined(state, { member: { member: 'dddddddddddd', display_name: 'Dan', role: 'participant' } }), 'dddddddddddd');
  assert.equal(memberLeft(state, 'dddddddddddd').name, 'Dan');
});

test('the facilitator\'s turn state gives our place; a participant\'s is ignored', () => {
  const state = seated();
  assert.deepEqual(appEvent(state, { from: ANN, event: 'turn_state', data: { queue: [ME], floor: ANN } }), { turn: null, side: false });
  assert.equal(state.turn.place, null);
  const { turn } = appEvent(state, { from: FAC, event: 'turn_state', data: { queue: [ANN, ME], floor: FAC } });
  assert.deepEqual(turn, { placeChanged: true, floorGained: false, roundTurnGained: false });
  assert.equal(state.turn.place, 2);
  assert.equal(state.self.handRaised, true);
  assert.equal(state.members[ANN].handRaised, true);
  assert.equal(turnStatus(state), 'place');
  appEvent(state, { from: FAC, event: 'turn_state', data: { queue: [], floor: ME } });
  assert.equal(turnStatus(state), 'floor');
  assert.equal(state.self.handRaised, false);
});

// The facilitator's whole turn state, as core/session/turn_wire.py to_wire sends it.
function turnState(state, data, now) {
  return appEvent(state, { from: FAC, event: 'turn_state', data }, now).turn;
}

test('the speaker\'s timer counts on from what was sent, on the page\'s own clock', () => {
  const state = seated();
  const timer = { elapsed: 100, limit: 180, remaining: 80, warning: false, over: false };
  turnState(state, { queue: [], floor: ANN, timer }, 5000);
  assert.deepEqual(turnView(state, 5000).timer, timer);
  // 30 s later on our clock: 50 s left, still no warning (the facilitator's app sends it).
  assert.deepEqual(turnView(state, 5030).timer, { elapsed: 130, limit: 180, remaining: 50, warning: false, over: false });
  assert.equal(clockText(turnView(state, 5030).timer.remaining), '0:50');
  // A clock that went back counts nothing.
  assert.deepEqual(turnView(state, 4990).timer, timer);
  // The warning comes with the next state, and stays until the limit is reached here ...
  turnState(state, { queue: [], floor: ANN, timer: { elapsed: 150, limit: 180, remaining: 30, warning: true, over: false } }, 5050);
  assert.deepEqual(turnView(state, 5079.5).timer, { elapsed: 179.5, limit: 180, remaining: 0.5, warning: true, over: false });
  assert.equal(clockText(0.5), '0:01');
  // ... then the time is up, counted here without a new message; nothing stops.
  const up = turnView(state, 5081).timer;
  assert.deepEqual(up, { elapsed: 181, limit: 180, remaining: -1, warning: true, over: true });
  assert.equal(clockText(up.remaining), '0:00');
  assert.equal(turnView(state, 5081).speaker, ANN);
  // A turn without a limit has no countdown, no warning.
  turnState(state, { queue: [], floor: ANN, timer: { elapsed: 10 } }, 6000);
  assert.deepEqual(turnView(state, 6500).timer, { elapsed: 510, limit: null, remaining: null, warning: false, over: false });
  // The floor open: no timer, even one sent by mistake.
  turnState(state, { queue: [], timer }, 7000);
  assert.equal(turnView(state, 7000).timer, null);
  assert.equal(clockText(125), '2:05');
});

test('our place follows the queue; being given the floor lowers our hand', () => {
  const state = seated();
  assert.equal(setHand(state, true), 'raise_hand');
  assert.deepEqual(turnState(state, { queue: [ANN, ME] }, 1), { placeChanged: true, floorGained: false, roundTurnGained: false });
  assert.deepEqual([turnView(state, 1).place, turnView(state, 1).handRaised, state.self.handRaised], [2, true, true]);
  assert.deepEqual(turnState(state, { queue: [ME], floor: ANN }, 2), { placeChanged: true, floorGained: false, roundTurnGained: false });
  assert.equal(turnView(state, 2).place, 1);
  assert.equal(state.members[ANN].handRaised, false);
  // The facilitator gives us the floor: their app takes us out of the queue.
  const timer = { elapsed: 0, limit: 120, remaining: 120, warning: false, over: false };
  assert.deepEqual(turnState(state, { queue: [], floor: ME, timer }, 3), { placeChanged: false, floorGained: true, roundTurnGained: false });
  assert.deepEqual([turnView(state, 3).place, state.self.handRaised, turnStatus(state)], [null, false, 'floor']);
  // The same state again says nothing new.
  assert.deepEqual(turnState(state, { queue: [], floor: ME, timer }, 4), { placeChanged: false, floorGained: false, roundTurnGained: false });
});

test('an older facilitator\'s app sends only the spotlight: nobody has a place', () => {
  const state = seated();
  setHand(state, true);
  assert.deepEqual(turnState(state, { spotlight: ANN }, 1), { placeChanged: false, floorGained: false, roundTurnGained: false });
  const view = turnView(state, 1);
  assert.deepEqual([view.place, view.queue, view.speaker, view.timer, view.round], [null, [], null, null, null]);
  assert.equal(state.turn.spotlight, ANN);
  // our own hand stays as we raised it, and says so
  assert.deepEqual([state.self.handRaised, turnStatus(state)], [true, 'raised']);
});

test('a round: its progress, whose turn, and "pass" only when it is ours', () => {
  const state = seated();
  turnState(state, { queue: [], floor: ANN, round: { order: 'current', done: 0, total: 2, current: ANN, next: ME } }, 1);
  let view = turnView(state, 1);
  assert.deepEqual(view.round, { order: 'current', done: 0, total: 2, current: ANN, next: ME });
  assert.equal(view.myTurnInRound, false);
  assert.equal(canPass(state), false);
  assert.equal(passTurn(state), null);
  const mine = { queue: [], floor: ME, round: { order: 'current', done: 1, total: 2, current: ME } };
  assert.deepEqual(turnState(state, mine, 2), { placeChanged: false, floorGained: true, roundTurnGained: true });
  view = turnView(state, 2);
  assert.deepEqual([view.round.done, view.round.total, view.myTurnInRound], [1, 2, true]);
  assert.equal(passTurn(state), 'pass_turn');
  assert.equal(canPass(state), false); // sent once, until the facilitator's next state
  assert.equal(passTurn(state), null);
  // still our turn (the same state again): "Pass" again, nothing new to announce
  assert.deepEqual(turnState(state, mine, 3), { placeChanged: false, floorGained: false, roundTurnGained: false });
  assert.equal(canPass(state), true);
  turnState(state, { queue: [] }, 4); // the round is over
  assert.deepEqual([turnView(state, 4).round, canPass(state)], [null, false]);
});

test('before admission, a finished round is nobody\'s turn', () => {
  const state = createState();
  state.members[FAC] = { name: 'Ana', role: 'facilitator' }; // as if we had been seated
  turnState(state, { round: { order: 'current', done: 2, total: 2 } }, 1);
  assert.deepEqual(turnView(state, 1).round, { order: 'current', done: 2, total: 2, current: null, next: null });
  assert.deepEqual([turnView(state, 1).myTurnInRound, canPass(state)], [false, false]);
});

test('a malformed turn state is read as far as it goes, never thrown on', () => {
  const state = seated();
  turnState(state, { queue: [ME, 'not an id', 7], floor: 'nobody', timer: { elapsed: 'x' }, round: { done: 3, total: 2 } }, 1);
  assert.deepEqual(turnView(state, 1), {
    handRaised: true, place: 1, queue: [ME], speaker: null, timer: null, round: null, myTurnInRound: false,
  });
});

test('hands, media states and mute requests', () => {
  const state = seated();
  appEvent(state, { from: ANN, event: 'raise_hand', data: {} });
  appEvent(state, { from: ANN, event: 'media_state', data: { muted: true, camera_off: true } });
  assert.equal(state.members[ANN].handRaised, true);
  assert.equal(state.members[ANN].muted, true);
  assert.equal(setHand(state, true), 'raise_hand');
  assert.equal(turnStatus(state), 'raised');
  assert.equal(setHand(state, false), 'lower_hand');
  assert.equal(muteRequested(state, { from: ANN, member: ME }), false);
  assert.equal(muteRequested(state, { from: FAC, member: ANN }), false);
  assert.equal(muteRequested(state, { from: FAC, member: ME }), true);
});

test('the answer to inquire: ended, the room\'s questions, or the page\'s own', () => {
  assert.deepEqual(inquiryOutcome(null), { end: 'unreachable' });
  assert.deepEqual(inquiryOutcome({ type: 'error', code: 'bad_invite' }), { end: 'bad_invite' });
  assert.deepEqual(inquiryOutcome({ type: 'error', code: 'too_many_connections' }), { end: 'too_many_connections' });
  assert.deepEqual(
    inquiryOutcome({ type: 'error', code: 'bad_message' }), { questions: [], safety: null, rules: null, consent: null },
  );
  const text = { en: 'Alone?' };
  const { questions } = inquiryOutcome({
    type: 'room_info',
    questions: [{ id: 'alone', text }, { id: 'alone', text }, { id: 'Bad Id', text }, { id: 'blank', text: { en: ' ' } }],
  });
  assert.deepEqual(questions.map((q) => q.id), ['alone']);
});

test('each question keeps its kind and whether it is required; older and newer apps are read safely', () => {
  const text = { en: 'Q' };
  const { questions } = inquiryOutcome({
    type: 'room_info',
    questions: [
      { id: 'alone', text, kind: 'tick', required: true },
      { id: 'where', text, kind: 'location', required: true },
      { id: 'phone', text, kind: 'phone' },
      { id: 'words', text, kind: 'text', required: 'yes' }, // not a boolean: optional
      { id: 'older', text }, // an older app: an optional tick
      { id: 'newer', text, kind: 'drawing', required: true }, // a newer app's kind: words
      { id: CONSENT_ANSWER, text }, // the consent's key is not a question
    ],
  });
  assert.deepEqual(questions.map((q) => [q.id, q.kind, q.required]), [
    ['alone', 'tick', true], ['where', 'location', true], ['phone', 'phone', false],
    ['words', 'text', false], ['older', 'tick', false], ['newer', 'text', true],
  ]);
});

test('a room without usable questions is asked the default checklist, with its kinds', () => {
  const asked = questionsToAsk([{ id: 'Bad Id', text: { en: 'x' } }]);
  assert.equal(asked.from, 'page');
  assert.deepEqual(asked.questions.map((q) => q.id), DEFAULT_QUESTIONS.map((q) => q.id));
  const contact = asked.questions.find((q) => q.id === 'emergency_contact');
  assert.deepEqual([contact.kind, contact.required], ['text', false]);
  assert.equal(asked.questions.find((q) => q.id === 'location').kind, 'location');
  assert.equal(questionsToAsk([{ id: 'alone', text: { en: 'Alone?' } }]).from, 'room');
});

test('answers: a tick true or false, words trimmed on one line and cut, empty words left out', () => {
  const questions = [
    { id: 'alone', kind: 'tick', required: true },
    { id: 'headphones', kind: 'tick', required: false },
    { id: 'location', kind: 'location', required: true },
    { id: 'phone', kind: 'phone', required: true },
    { id: 'contact', kind: 'text', required: false },
  ];
  const values = { alone: true, headphones: false, location: '  Rimouski,\n  QC\u0007 ', phone: '   ', contact: 'x'.repeat(900) };
  const declared = declaredAnswers(questions, values);
  assert.deepEqual(Object.keys(declared), ['alone', 'headphones', 'location', 'contact']);
  assert.equal(declared.alone, true);
  assert.equal(declared.headphones, false);
  assert.equal(declared.location, 'Rimouski, QC');
  assert.equal(declared.contact.length, MAX_DECLARED_VALUE_CHARS);
  assert.equal(cleanAnswer('tick', 'on'), false); // only a checked box is a yes
  assert.equal(cleanAnswer('phone', undefined), '');
  // the required ones unmet, in the order asked: the phone left blank
  assert.deepEqual(unmetRequired(questions, declared).map((q) => q.id), ['phone']);
  assert.deepEqual(unmetRequired(questions, {}).map((q) => q.id), ['alone', 'location', 'phone']);
  assert.deepEqual(unmetRequired(questions, { alone: true, location: 'Gaspé', phone: '555' }), []);
});

test('the consent: its version declared only when the person agreed; a broken one is not offered', () => {
  const questions = [{ id: 'alone', kind: 'tick', required: false }];
  assert.deepEqual(declaredAnswers(questions, { alone: true }, '2026-03'), { alone: true, [CONSENT_ANSWER]: '2026-03' });
  assert.equal(CONSENT_ANSWER in declaredAnswers(questions, { alone: true }, null), false);
  const consent = { version: '2026-03', text: { en: 'Remote work has advantages and drawbacks.', fr_CA: 'Avantages…' } };
  assert.deepEqual(inquiryOutcome({ type: 'room_info', questions: [], consent }).consent, consent);
  assert.equal(inquiryOutcome({ type: 'room_info', questions: [] }).consent, null); // an older server
  assert.equal(usableConsent({ ...consent, version: '-bad version' }), null);
  assert.equal(usableConsent({ ...consent, version: 'v'.repeat(41) }), null);
  assert.equal(usableConsent({ ...consent, text: { en: ' ' } }), null);
  assert.deepEqual(usableConsent({ version: 'v1', text: { fr_CA: 'Texte' } }), { version: 'v1', text: { fr_CA: 'Texte' } });
});

test("the safety option's words are the room's when all four are usable, else the page's", () => {
  const words = {
    option: { en: 'Switch to text only', fr_CA: 'Passer en mode texte seulement' },
    sent: { en: 'Text-only mode requested.' },
    withdraw: { fr_CA: 'Revenir au mode normal' },
    withdrawn: { en: 'Normal mode restored.' },
  };
  const { safety } = inquiryOutcome({ type: 'room_info', questions: [], safety: words });
  assert.equal(safetyText(safety, 'option', 'fr'), 'Passer en mode texte seulement');
  assert.equal(safetyText(safety, 'sent', 'fr'), 'Text-only mode requested.'); // no French: English
  assert.equal(safetyText(safety, 'withdraw', 'en'), 'Revenir au mode normal');
  const broken = inquiryOutcome({ type: 'room_info', questions: [], safety: { ...words, sent: { en: ' ' } } });
  assert.equal(broken.safety, null);
  assert.equal(safetyText(broken.safety, 'option', 'en'), null); // the page's own strings then
  assert.equal(inquiryOutcome({ type: 'room_info', questions: [] }).safety, null); // an older server
});

test('the room\'s group rules: a text in en or fr_CA, else none', () => {
  const info = (rules) => inquiryOutcome({ type: 'room_info', questions: [], rules }).rules;
  assert.deepEqual(info({ en: 'Rules', fr_CA: 'Règles' }), { en: 'Rules', fr_CA: 'Règles' });
  assert.deepEqual(info({ fr_CA: 'Règles', de: 'Regeln', en: '  ' }), { fr_CA: 'Règles' });
  assert.equal(info(undefined), null); // an older server
  assert.equal(info({ en: 7 }), null);
  assert.equal(info('Rules'), null);
  assert.equal(info({ en: 'x'.repeat(MAX_RULES_CHARS + 1) }), null);
});

test('an invite needs a whole room id and secret; names lose control characters', () => {
  assert.deepEqual(inviteFromFragment('#r=room-0001&k=' + 's'.repeat(16)), { room: 'room-0001', secret: 's'.repeat(16) });
  assert.equal(inviteFromFragment('#r=abc'), null);
  assert.equal(inviteFromFragment('#r=room-0001&k=short'), null);
  assert.equal(cleanName('  Chloé\u0007 \n  B. '), 'Chloé B.');
  assert.equal(cleanName('x'.repeat(100)).length, 64);
});

test('codes the end step has no words for are an internal problem', () => {
  const known = { room_full: 1, internal: 1 };
  assert.equal(problemOf('room_full', known), 'room_full');
  assert.equal(problemOf('unsupported_version', known), 'internal');
  assert.equal(problemOf('sign_in_busy', known), 'internal');
  assert.equal(problemOf('constructor', known), 'internal'); // not a key of every object
});

test('the turn lines tick once a second only while a timer counts down in the session', async (t) => {
  // turns.js renders into these few elements (a stand-in for the page's DOM); its words
  // are the string keys here, as no string table is loaded.
  const ids = ['turns', 'turn-status', 'turn-speaker', 'turn-timer', 'turn-round', 'btn-pass'];
  const elements = Object.fromEntries(ids.map((id) => [id, { textContent: '', hidden: true, dataset: {} }]));
  globalThis.document = { getElementById: (id) => elements[id] };
  t.after(() => { delete globalThis.document; });
  const intervals = new Map();
  let nextId = 1;
  t.mock.method(globalThis, 'setInterval', (fn, ms) => { intervals.set(nextId, ms); return nextId++; });
  t.mock.method(globalThis, 'clearInterval', (id) => { intervals.delete(id); });
  const { TurnsView } = await import('../../src/groupdesk/server/web/turns.js');
  const state = seated();
  state.step = 'session';
  let now = 100;
  const view = new TurnsView(state, () => now);
  const timer = { elapsed: 0, limit: 60, remaining: 60, warning: false, over: false };
  turnState(state, { queue: [], floor: ANN, timer }, now);
  view.render();
  assert.deepEqual([...intervals.values()], [1000]);
  assert.equal(elements['turn-timer'].textContent, 'turn.time_left');
  assert.equal(elements['turn-speaker'].textContent, 'turn.speaker');
  view.render(); // a render while ticking starts no second interval
  assert.equal(intervals.size, 1);
  now = 161; // over, counted here: nothing left to count down
  view.render();
  assert.equal(elements['turn-timer'].textContent, 'turn.time_up');
  assert.equal(elements['turn-timer'].dataset.over, 'true');
  assert.equal(intervals.size, 0);
  turnState(state, { queue: [], floor: ANN, timer }, now);
  view.render();
  assert.equal(intervals.size, 1);
  turnState(state, { queue: [ME] }, now); // the floor open: no timer
  view.render();
  assert.equal(intervals.size, 0);
  assert.equal(elements['turn-timer'].hidden, true);
  turnState(state, { queue: [], floor: ANN, timer: { elapsed: 30 } }, now); // no limit: no countdown
  view.render();
  assert.deepEqual([intervals.size, elements['turn-timer'].hidden], [0, true]);
  turnState(state, { queue: [], floor: ANN, timer }, now);
  view.render();
  view.stop(); // the page leaves the session
  state.step = 'end';
  view.render();
  assert.equal(intervals.size, 0);
});

test('the speaker is told once that time is almost up, then once that it is up', async (t) => {
  const elements = Object.fromEntries(
    ['turns', 'turn-status', 'turn-speaker', 'turn-timer', 'turn-round', 'btn-pass'].map((id) => [
      id,
      { textContent: '', hidden: true, dataset: {} },
    ]),
  );
  globalThis.document = { getElementById: (id) => elements[id] };
  t.after(() => { delete globalThis.document; });
  t.mock.method(globalThis, 'setInterval', () => 1);
  t.mock.method(globalThis, 'clearInterval', () => {});
  const { TurnsView } = await import('../../src/groupdesk/server/web/turns.js');
  const state = seated();
  state.step = 'session';
  let now = 100;
  const said = [];
  const view = new TurnsView(state, () => now, (text) => said.push(text));
  const timer = { elapsed: 0, limit: 60, remaining: 60, warning: false, over: false };
  turnState(state, { queue: [], floor: ME, timer }, now);
  view.render();
  assert.deepEqual(said, []);
  turnState(state, { queue: [], floor: ME, timer: { elapsed: 45, limit: 60, remaining: 15, warning: true, over: false } }, now);
  view.render();
  view.render(); // the ticking says nothing more
  assert.deepEqual(said, ['turn.time_almost_up']);
  now = 116; // over, counted here
  view.render();
  view.render();
  assert.deepEqual(said, ['turn.time_almost_up', 'turn.time_up']);
  turnState(state, { queue: [], floor: ANN, timer }, now); // someone else's timer: not told
  view.render();
  turnState(state, { queue: [], floor: ANN, timer: { ...timer, elapsed: 59, remaining: 1, warning: true } }, now);
  view.render();
  assert.equal(said.length, 2);
});

// -- the private side room (core/session/side_room.py, tests/core/session/test_room_side.py)

const BEN = 'dddddddddddd';

function inRoomOfFour() {
  const state = seated();
  memberJoined(state, { member: { member: BEN, display_name: 'Ben', role: 'participant' } });
  return state;
}

function side(state, from, members) {
  return appEvent(state, { from, event: 'side_room', data: { members } }, 0);
}

test('aside with the facilitator: every other seat is blocked, the notice says we are inside', () => {
  const state = inRoomOfFour();
  assert.deepEqual(blockedSeats(state), []);
  assert.equal(sideRoomView(state), null);
  assert.deepEqual(side(state, FAC, [FAC, ME]), { turn: null, side: true });
  assert.deepEqual(blockedSeats(state), [ANN, BEN].sort());
  assert.deepEqual(sideRoomView(state), { inside: true });
  // the same again changes nothing
  assert.deepEqual(side(state, FAC, [ME, FAC]), { turn: null, side: false });
});

test('outside: only the pair is blocked, and the notice names the member, not the facilitator', () => {
  const state = inRoomOfFour();
  side(state, FAC, [FAC, ANN]);
  assert.deepEqual(blockedSeats(state), [FAC, ANN].sort());
  assert.deepEqual(sideRoomView(state), { inside: false, names: ['Ann'] });
  // a newcomer (outside) is not blocked; one of the pair seen later is
  memberJoined(state, { member: { member: 'eeeeeeeeeeee', display_name: 'Eve', role: 'participant' } });
  assert.deepEqual(blockedSeats(state), [FAC, ANN].sort());
  // everyone together again
  assert.deepEqual(side(state, FAC, []), { turn: null, side: true });
  assert.deepEqual(blockedSeats(state), []);
  assert.equal(sideRoomView(state), null);
});

test('a side room from a participant, or malformed, is ignored', () => {
  const state = inRoomOfFour();
  assert.deepEqual(side(state, ANN, [ANN, ME]), { turn: null, side: false });
  assert.deepEqual(side(state, 'ffffffffffff', [FAC, ME]), { turn: null, side: false }); // not seated
  assert.deepEqual(side(state, FAC, [ME]), { turn: null, side: false });
  assert.deepEqual(side(state, FAC, [ME, ME]), { turn: null, side: false });
  assert.deepEqual(side(state, FAC, [ME, 'not-a-seat']), { turn: null, side: false });
  assert.deepEqual(appEvent(state, { from: FAC, event: 'side_room', data: {} }, 0), { turn: null, side: false });
  assert.deepEqual(blockedSeats(state), []);
  assert.equal(sideRoomView(state), null);
});

test('when one of the pair leaves, everyone is together again', () => {
  const state = inRoomOfFour();
  side(state, FAC, [FAC, ANN]);
  assert.equal(memberLeft(state, BEN).name, 'Ben'); // not one of the pair
  assert.deepEqual(blockedSeats(state), [FAC, ANN].sort());
  memberLeft(state, ANN);
  assert.deepEqual(blockedSeats(state), []);
  assert.equal(sideRoomView(state), null);
  // one of the pair gone while we were away (a resume)
  side(state, FAC, [FAC, ME]);
  admitted(state, {
    member: ME, room: 'room-0001', role: 'participant', resumed: true,
    members: [{ member: ME, display_name: 'Chloé', role: 'participant' }],
  });
  assert.equal(sideRoomView(state), null);
});

test('a picture that stops with the camera on stays, marked as a connection problem', () => {
  const on = { cameraOff: false, audioOnly: false, connected: true, frames: 120 };
  const moving = tileVideo(false, { ...on, sinceFrameMs: 200 });
  assert.deepEqual(moving, { shown: true, stalled: false });
  // no new frame for 10 s: the last picture stays, with the notice (not the initials)
  assert.deepEqual(tileVideo(moving.shown, { ...on, sinceFrameMs: 10000 }), { shown: true, stalled: true });
  // while reconnecting the tile says so instead; the picture still stays
  assert.deepEqual(
    tileVideo(true, { ...on, connected: false, sinceFrameMs: 10000 }), { shown: true, stalled: false });
  // frames again: the notice goes
  assert.deepEqual(tileVideo(true, { ...on, sinceFrameMs: 100 }), { shown: true, stalled: false });
});

test('initials only for a camera off, audio only, or no picture yet', () => {
  const base = { cameraOff: false, audioOnly: false, connected: true, frames: 120, sinceFrameMs: 10000 };
  assert.deepEqual(tileVideo(true, { ...base, cameraOff: true }), { shown: false, stalled: false });
  assert.deepEqual(tileVideo(true, { ...base, audioOnly: true }), { shown: false, stalled: false });
  // back from audio only: initials until a fresh frame, never the old picture
  assert.deepEqual(tileVideo(false, base), { shown: false, stalled: false });
  assert.deepEqual(tileVideo(false, { ...base, frames: 0, sinceFrameMs: 0 }), { shown: false, stalled: false });
});

test('the audio-only suggestion: the same table of cases as core/call_quality.py', () => {
  const table = JSON.parse(readFileSync(new URL('./audio_only_cases.json', import.meta.url), 'utf-8'));
  assert.ok(table.cases.length >= 6);
  for (const c of table.cases) {
    const advice = newAudioOnlyAdvice();
    const flips = [];
    let shown = false;
    let t = 0;
    for (const [seconds, loss, rtt] of c.segments) {
      for (let i = 0; i < seconds; i += 1) {
        const value = Array.isArray(loss) ? loss[i % 2] : loss;
        if (adviseAudioOnly(advice, t * table.every_s, value, rtt) !== shown) {
          shown = !shown;
          flips.push([t * table.every_s, shown]);
        }
        t += 1;
      }
    }
    assert.deepEqual(flips, c.flips, c.case);
  }
});
