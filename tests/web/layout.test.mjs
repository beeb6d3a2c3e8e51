// The video grid's arithmetic (web/layout.js), without a browser: node --test, run by
// tests/web/test_join_layout.py.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { coverage, gridLayout, keyboardInset } from '../../src/groupdesk/server/web/layout.js';

const GAP = 8;

test('one tile takes the whole height of a wide box, at 16:9', () => {
  const l = gridLayout(1600, 600, 1, { gap: GAP });
  assert.deepEqual([l.columns, l.rows], [1, 1]);
  assert.ok(l.tileHeight >= 599 && l.tileHeight <= 600); // whole pixels
  assert.equal(l.tileWidth, Math.floor(600 * 16 / 9));
});

test('four tiles on a laptop go two by two and fill most of the box', () => {
  const l = gridLayout(950, 600, 4, { gap: GAP });
  assert.deepEqual([l.columns, l.rows], [2, 2]);
  assert.equal(l.tileWidth, 471); // (950 - 8) / 2: the width binds
  assert.ok(coverage(l, 4, 950, 600) > 0.85);
});

test('eight tiles on a laptop go three a row, not four or two', () => {
  const l = gridLayout(950, 600, 8, { gap: GAP });
  assert.deepEqual([l.columns, l.rows], [3, 3]);
  assert.ok(coverage(l, 8, 950, 600) > 0.7);
});

test('a tall box stacks the tiles', () => {
  const l = gridLayout(374, 900, 3, { gap: GAP });
  assert.deepEqual([l.columns, l.rows], [1, 3]);
});

test('the tiles never overflow the box', () => {
  for (const [w, h] of [[950, 600], [1500, 900], [374, 500], [300, 120]]) {
    for (let n = 1; n <= 12; n += 1) {
      const l = gridLayout(w, h, n, { gap: GAP });
      assert.ok(l.columns * l.tileWidth + (l.columns - 1) * GAP <= w, `${n} in ${w}x${h}: width`);
      assert.ok(l.rows * l.tileHeight + (l.rows - 1) * GAP <= h, `${n} in ${w}x${h}: height`);
      assert.ok(l.columns * l.rows >= n);
      assert.ok((l.rows - 1) * l.columns < n, 'no empty row');
    }
  }
});

test('many people on a phone: tiles stay readable and the grid scrolls', () => {
  const l = gridLayout(374, 300, 12, { gap: GAP, minWidth: 160 });
  assert.equal(l.columns, 2);
  assert.equal(l.tileWidth, 183);
  assert.equal(l.rows, 6);
});

test('nonsense sizes give an empty tile, not an error', () => {
  const l = gridLayout(-5, 0, 0, { gap: GAP });
  assert.deepEqual([l.columns, l.rows, l.tileWidth, l.tileHeight], [1, 1, 0, 0]);
  assert.equal(coverage(l, 0, 0, 0), 0);
});

test('the keyboard inset is what the visual viewport leaves out at the bottom', () => {
  assert.equal(keyboardInset(844, { offsetTop: 0, height: 500 }), 344);
  assert.equal(keyboardInset(844, { offsetTop: 0, height: 844 }), 0);
  assert.equal(keyboardInset(500, { offsetTop: 10, height: 600 }), 0);
  assert.equal(keyboardInset(844, null), 0);
});
