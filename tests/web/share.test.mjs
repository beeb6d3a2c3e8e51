// The page's share rules (web/share.js), without a browser: node --test, run by
// tests/web/test_page_share_rules.py. The same rules as core/session/share.py.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { kindOfTrack, mayShareNow, newShareState, shareEvent, shareLeft, shownShare } from '../../src/groupdesk/server/web/share.js';

const ME = 'aaaaaaaaaaaa';
const FAC = 'bbbbbbbbbbbb';
const ANN = 'cccccccccccc';

function room() {
  return {
    member: ME,
    role: 'participant',
    members: {
      [FAC]: { name: 'Julie', role: 'facilitator' },
      [ANN]: { name: 'Ann', role: 'participant' },
    },
    share: newShareState(),
  };
}

const app = (from, event, data) => ({ type: 'app', from, event, data });

test('a facilitator\'s share is shown; a participant\'s only while allowed', () => {
  const state = room();
  assert.deepEqual(shareEvent(state, app(ANN, 'share', { kind: 'screen' })), { changed: false, revoked: false, granted: false });
  assert.equal(shownShare(state), null);
  assert.deepEqual(shareEvent(state, app(FAC, 'share', { kind: 'document' })), { changed: true, revoked: false, granted: false });
  assert.deepEqual(shownShare(state), { seat: FAC, kind: 'document' });
  shareEvent(state, app(FAC, 'share_permission', { allowed: [ANN] }));
  shareEvent(state, app(ANN, 'share', { kind: 'window' }));
  assert.deepEqual(shownShare(state), { seat: ANN, kind: 'window' }); // the last started
  shareEvent(state, app(FAC, 'share_permission', { allowed: [] }));
  assert.deepEqual(shownShare(state), { seat: FAC, kind: 'document' }); // Ann's is gone
});

test('we may share only while a facilitator names us; taken back, our share stops', () => {
  const state = room();
  assert.equal(mayShareNow(state), false);
  assert.equal(shareEvent(state, app(FAC, 'share_permission', { allowed: [ME] })).granted, true);
  assert.equal(mayShareNow(state), true);
  state.share.mine = 'screen';
  assert.deepEqual(
    shareEvent(state, app(FAC, 'share_permission', { allowed: [] })),
    { changed: true, revoked: true, granted: false },
  );
  assert.equal(mayShareNow(state), false);
});

test('in a room through the media server, the same rule: we share while allowed', () => {
  const state = room();
  state.media = 'sfu';
  assert.equal(mayShareNow(state), false);
  shareEvent(state, app(FAC, 'share_permission', { allowed: [ME] }));
  assert.equal(mayShareNow(state), true);
});

test('a participant acting as a facilitator changes nothing', () => {
  const state = room();
  assert.deepEqual(shareEvent(state, app(ANN, 'share_permission', { allowed: [ANN, ME] })), { changed: false, revoked: false, granted: false });
  assert.deepEqual(state.share.allowed, []);
});

test('a malformed share changes nothing; one who leaves stops sharing', () => {
  const state = room();
  assert.equal(shareEvent(state, app(FAC, 'share', { kind: 'camera' })).changed, false);
  assert.equal(shareEvent(state, app(FAC, 'share_permission', { allowed: ['x'] })).changed, false);
  shareEvent(state, app(FAC, 'share', { kind: 'screen' }));
  assert.equal(shareEvent(state, app(FAC, 'share', { kind: 'screen' })).changed, false); // told again
  assert.equal(shareLeft(state, FAC), true);
  assert.equal(shownShare(state), null);
});

test('the browser\'s choice names the kind of share', () => {
  assert.equal(kindOfTrack({ getSettings: () => ({ displaySurface: 'monitor' }) }), 'screen');
  assert.equal(kindOfTrack({ getSettings: () => ({ displaySurface: 'window' }) }), 'window');
  assert.equal(kindOfTrack({ getSettings: () => ({ displaySurface: 'browser' }) }), 'window');
});
