// Which browser and device the person uses, for help written for what they see: the
// steps to allow a blocked camera are not the same on an iPhone, an Android phone, or a
// computer, and desktop words ("click at the top of the page") mean nothing on a phone.
// Pure (no DOM): node --test runs it (tests/web/platform.test.mjs).

/** The kinds of help the page has words for (`device.blocked.<kind>` in strings.json). */
export const HELP_KINDS = [
  'ios_safari', // iPhone or iPad, Safari
  'ios_app', // iPhone or iPad, another browser app (Chrome, Firefox, Edge: {browser})
  'android_chrome', // Android, Chrome, Edge, Samsung Internet (Chromium's site settings)
  'android_firefox',
  'phone', // another phone or tablet browser
  'desktop_chrome', // a computer: Chrome, Edge, another Chromium
  'desktop_firefox',
  'desktop_safari',
  'desktop', // another computer browser
];

/**
 * The help for `{userAgent, platform, maxTouchPoints}` (navigator's): `{kind, browser}`,
 * `kind` one of HELP_KINDS, `browser` the app's name where the words name it (else '').
 * An iPad in desktop mode says "Macintosh" but has a touch screen: it is an iPad.
 */
export function helpFor({ userAgent = '', platform = '', maxTouchPoints = 0 } = {}) {
  const ua = String(userAgent);
  const ios = /iPhone|iPad|iPod/.test(ua) || /iPhone|iPad|iPod/.test(String(platform))
    || (/Macintosh/.test(ua) && Number(maxTouchPoints) > 1);
  if (ios) {
    const app = [['CriOS', 'Chrome'], ['FxiOS', 'Firefox'], ['EdgiOS', 'Edge'], ['OPiOS', 'Opera']]
      .find(([mark]) => ua.includes(mark));
    return app ? { kind: 'ios_app', browser: app[1] } : { kind: 'ios_safari', browser: 'Safari' };
  }
  const android = /Android/.test(ua);
  const firefox = /Firefox\//.test(ua);
  const chromium = /Chrome\/|Chromium\/|EdgA?\/|SamsungBrowser\//.test(ua);
  if (android) {
    if (firefox) return { kind: 'android_firefox', browser: 'Firefox' };
    if (chromium) return { kind: 'android_chrome', browser: 'Chrome' };
    return { kind: 'phone', browser: '' };
  }
  if (/Mobile|Tablet|Silk|KAIOS/i.test(ua)) return { kind: 'phone', browser: '' };
  if (firefox) return { kind: 'desktop_firefox', browser: 'Firefox' };
  if (chromium) return { kind: 'desktop_chrome', browser: /Edg\//.test(ua) ? 'Edge' : 'Chrome' };
  if (/Safari\//.test(ua) && /Macintosh/.test(ua)) return { kind: 'desktop_safari', browser: 'Safari' };
  return { kind: 'desktop', browser: '' };
}

/** Whether the help is for a phone or tablet (tap, never click). */
export function isTouchHelp(kind) {
  return kind.startsWith('ios') || kind.startsWith('android') || kind === 'phone';
}
