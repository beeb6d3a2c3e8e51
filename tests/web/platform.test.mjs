// Which "camera blocked" help the page gives (web/platform.js), without a browser:
// node --test, run by tests/web/test_page_platform.py.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HELP_KINDS, helpFor, isTouchHelp } from '../../src/groupdesk/server/web/platform.js';

const UA = {
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  iphoneChrome: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1',
  ipadDesktop: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  android: 'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  samsung: 'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
  androidFirefox: 'Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0',
  windowsChrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  windowsEdge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.68',
  headless: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
  firefox: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
  macSafari: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
};

test('an iPhone with Safari gets the iPhone steps', () => {
  assert.deepEqual(helpFor({ userAgent: UA.iphone, platform: 'iPhone', maxTouchPoints: 5 }), { kind: 'ios_safari', browser: 'Safari' });
});

test('Chrome on an iPhone is an app whose own settings hold the camera', () => {
  assert.deepEqual(helpFor({ userAgent: UA.iphoneChrome, platform: 'iPhone', maxTouchPoints: 5 }), { kind: 'ios_app', browser: 'Chrome' });
});

test('an iPad that says Macintosh but has a touch screen is an iPad', () => {
  assert.equal(helpFor({ userAgent: UA.ipadDesktop, platform: 'MacIntel', maxTouchPoints: 5 }).kind, 'ios_safari');
  assert.equal(helpFor({ userAgent: UA.macSafari, platform: 'MacIntel', maxTouchPoints: 0 }).kind, 'desktop_safari');
});

test('Android Chrome and Samsung Internet get the Android steps; Firefox on Android its own', () => {
  assert.equal(helpFor({ userAgent: UA.android, platform: 'Linux armv81', maxTouchPoints: 5 }).kind, 'android_chrome');
  assert.equal(helpFor({ userAgent: UA.samsung, platform: 'Linux armv8l', maxTouchPoints: 5 }).kind, 'android_chrome');
  assert.equal(helpFor({ userAgent: UA.androidFirefox, platform: 'Linux armv81', maxTouchPoints: 5 }).kind, 'android_firefox');
});

test('desktop Chrome, Edge and headless Chromium get the computer steps, naming the browser', () => {
  assert.deepEqual(helpFor({ userAgent: UA.windowsChrome, platform: 'Win32' }), { kind: 'desktop_chrome', browser: 'Chrome' });
  assert.deepEqual(helpFor({ userAgent: UA.windowsEdge, platform: 'Win32' }), { kind: 'desktop_chrome', browser: 'Edge' });
  assert.equal(helpFor({ userAgent: UA.headless, platform: 'Linux x86_64' }).kind, 'desktop_chrome');
});

test('Firefox on a computer gets the Firefox steps', () => {
  assert.deepEqual(helpFor({ userAgent: UA.firefox, platform: 'Win32' }), { kind: 'desktop_firefox', browser: 'Firefox' });
});

test('an unknown phone gets phone words, an unknown computer computer words', () => {
  assert.equal(helpFor({ userAgent: 'Opera/9.80 (J2ME/MIDP; Opera Mini/9.80) Mobile', platform: '' }).kind, 'phone');
  assert.equal(helpFor({ userAgent: '', platform: '' }).kind, 'desktop');
  assert.equal(helpFor().kind, 'desktop');
});

test('phones are told to tap, never to click', () => {
  for (const [ua, platform] of [[UA.iphone, 'iPhone'], [UA.iphoneChrome, 'iPhone'], [UA.android, 'Linux'], [UA.androidFirefox, 'Linux']]) {
    assert.ok(isTouchHelp(helpFor({ userAgent: ua, platform, maxTouchPoints: 5 }).kind), ua);
  }
  for (const ua of [UA.windowsChrome, UA.firefox, UA.macSafari]) assert.ok(!isTouchHelp(helpFor({ userAgent: ua }).kind), ua);
  assert.equal(HELP_KINDS.filter(isTouchHelp).length, 5);
});
