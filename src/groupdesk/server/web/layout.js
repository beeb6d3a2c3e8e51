// The video grid's layout: how many columns, and how wide the tiles, so that `count`
// tiles of one shape fill the space the grid has. Pure arithmetic (node tests:
// tests/web/layout.test.mjs); session.js measures the space and applies the result.

/**
 * The columns, rows and tile size (CSS pixels) that give the largest tiles of `aspect`
 * (width / height) for `count` tiles in a box of `width` by `height` with `gap` between
 * tiles. When even the best tiles would be narrower than `minWidth` (many people on a
 * small screen), the rows fill the width at `minWidth` or more and the grid scrolls.
 */
export function gridLayout(width, height, count, { gap = 0, aspect = 16 / 9, minWidth = 0 } = {}) {
  const n = Math.max(1, Math.floor(count) || 1);
  const w = Math.max(0, width);
  const h = Math.max(0, height);
  let best = null;
  for (let columns = 1; columns <= n; columns += 1) {
    const rows = Math.ceil(n / columns);
    if ((rows - 1) * columns >= n) continue; // a whole row left empty: never the best
    const byWidth = (w - gap * (columns - 1)) / columns;
    const byHeight = ((h - gap * (rows - 1)) / rows) * aspect;
    const tileWidth = Math.floor(Math.max(0, Math.min(byWidth, byHeight)));
    if (!best || tileWidth > best.tileWidth) best = { columns, rows, tileWidth };
  }
  if (best.tileWidth < minWidth) {
    const columns = Math.max(1, Math.min(n, Math.floor((w + gap) / (minWidth + gap))));
    const tileWidth = Math.floor(Math.max(0, (w - gap * (columns - 1)) / columns));
    best = { columns, rows: Math.ceil(n / columns), tileWidth };
  }
  return { ...best, tileHeight: Math.floor(best.tileWidth / aspect) };
}

/** The share of a `width` by `height` box that `layout`'s tiles cover (0..1). */
export function coverage(layout, count, width, height) {
  const area = Math.max(0, width) * Math.max(0, height);
  if (!area) return 0;
  return Math.min(1, (count * layout.tileWidth * layout.tileHeight) / area);
}

/** How much of the window's bottom the on-screen keyboard hides (0 when the browser
 * resizes the page for it, `interactive-widget=resizes-content`, or has none). */
export function keyboardInset(innerHeight, viewport) {
  if (!viewport) return 0;
  return Math.max(0, Math.round(innerHeight - (viewport.offsetTop + viewport.height)));
}
