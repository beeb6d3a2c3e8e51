// The page's state transitions (web/state.js), without a browser: node --test, run by
// tests/web/test_page_state.py.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  admitted, appEvent, cleanName, createState, inquiryOutcome, inviteFromFragment, memberJoined,
  memberLeft, muteRequested, problemOf, setHand, turnStatus,
} from '../../src/groupdesk/server/web/state.js';

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

test('members join once, with a valid id only', () => {
  const state = seated();
  assert.equal(memberJoined(state, { member: { member: 'not-an-id', display_name: 'X', role: 'participant' } }), null);
  assert.equal(memberJoined(state, { member: { member: 'dddddddddddd', display_name: 'Dan', role: 'participant' } }), 'dddddddddddd');
  assert.equal(memberLeft(state, 'dddddddddddd').name, 'Dan');
});

test('the facilitator\'s turn state gives our place; a participant\'s is ignored', () => {
  const state = seated();
  assert.deepEqual(appEvent(state, { from: ANN, event: 'turn_state', data: { queue: [ME], floor: ANN } }), { turn: null });
  assert.equal(state.turn.place, null);
  const { turn } = appEvent(state, { from: FAC, event: 'turn_state', data: { queue: [ANN, ME], floor: FAC } });
  assert.deepEqual(turn, { placeChanged: true });
  assert.equal(state.turn.place, 2);
  assert.equal(state.self.handRaised, true);
  assert.equal(state.members[ANN].handRaised, true);
  assert.equal(turnStatus(state), 'place');
  appEvent(state, { from: FAC, event: 'turn_state', data: { queue: [], floor: ME } });
  assert.equal(turnStatus(state), 'floor');
  assert.equal(state.self.handRaised, false);
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
  assert.deepEqual(inquiryOutcome({ type: 'error', code: 'bad_message' }), { questions: [] });
  const text = { en: 'Alone?' };
  const { questions } = inquiryOutcome({
    type: 'room_info',
    questions: [{ id: 'alone', text }, { id: 'alone', text }, { id: 'Bad Id', text }, { id: 'blank', text: { en: ' ' } }],
  });
  assert.deepEqual(questions.map((q) => q.id), ['alone']);
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
