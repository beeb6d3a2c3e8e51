// The room's security code, as groupdesk.core.security_code computes it: the same text
// hashed, the same digits. tests/web/test_page_security_code.py checks that both agree on
// fixed inputs; change neither without the other.

const DIGITS = 12;
const GROUP = 3;
const DOMAIN = 'groupdesk-security-code-v1\n';
const FINGERPRINT = /^\s*([A-Za-z0-9-]+)\s+((?:[0-9A-Fa-f]{2}:)*[0-9A-Fa-f]{2})\s*$/;
const SHA256_LINE = /^a=fingerprint:sha-256 ([0-9A-Fa-f:]+)\s*$/m;

/** "sha-256 ab:cd:…" in one spelling (algorithm lower case, hex upper case). */
export function normalizeFingerprint(text) {
  const match = FINGERPRINT.exec(text);
  if (!match) throw new Error(`not a DTLS fingerprint: ${text}`);
  return `${match[1].toLowerCase()} ${match[2].toUpperCase()}`;
}

/** One "seat<TAB>fingerprint" line per member, sorted by seat (code point order). */
export function canonicalText(pairs) {
  const seats = Object.keys(pairs).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return seats.map((seat) => {
    if (!seat || /[\t\n\r]/.test(seat)) throw new Error(`not a seat id: ${seat}`);
    return `${seat}\t${normalizeFingerprint(pairs[seat])}\n`;
  }).join('');
}

/** The security code of `pairs` (seat -> fingerprint), e.g. "482 915 307 221". */
export async function codeFor(pairs) {
  if (!Object.keys(pairs).length) throw new Error('a security code needs at least one member');
  const bytes = new TextEncoder().encode(DOMAIN + canonicalText(pairs));
  const digest = new DataView(await crypto.subtle.digest('SHA-256', bytes));
  const number = digest.getBigUint64(0, false) % 10n ** BigInt(DIGITS);
  const digits = number.toString().padStart(DIGITS, '0');
  const groups = [];
  for (let i = 0; i < DIGITS; i += GROUP) groups.push(digits.slice(i, i + GROUP));
  return groups.join(' ');
}

/**
 * The code as `ownSeat` sees the room: `peers` maps every other seat to the fingerprint
 * its connection announced, or null while it is not up (then no code: `waiting` says
 * how many are missing).
 */
export async function roomCode(ownSeat, ownFingerprint, peers) {
  const members = [ownSeat, ...Object.keys(peers)];
  const waiting = Object.values(peers).filter((fp) => !fp).length;
  if (waiting) return { code: null, waiting, members };
  return { code: await codeFor({ ...peers, [ownSeat]: ownFingerprint }), waiting: 0, members };
}

/** The sha-256 fingerprint an SDP announced ("sha-256 AB:…"), or null. */
export function sdpFingerprint(sdp) {
  const match = SHA256_LINE.exec(sdp || '');
  return match ? `sha-256 ${match[1]}` : null;
}
