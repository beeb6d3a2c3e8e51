// The device check step: the preview, the choice of camera and microphone, the level
// meter, and what went wrong in plain words.

import { t } from './i18n.js';
import { helpFor } from './platform.js';
import { DEVICE_PROBLEMS } from './problems.js';

const $ = (id) => document.getElementById(id);
// The blocked ones: the steps to allow them, for the browser and device in use.
const BLOCKED = new Set(['denied', 'camera_denied', 'microphone_denied']);

// The steps for each kind of platform.js's help (phones are told to tap, never to click).
const BLOCKED_HELP = {
  ios_safari: (vars) => t('device.blocked.ios_safari', vars),
  ios_app: (vars) => t('device.blocked.ios_app', vars),
  android_chrome: (vars) => t('device.blocked.android_chrome', vars),
  android_firefox: (vars) => t('device.blocked.android_firefox', vars),
  phone: (vars) => t('device.blocked.phone', vars),
  desktop_chrome: (vars) => t('device.blocked.desktop_chrome', vars),
  desktop_firefox: (vars) => t('device.blocked.desktop_firefox', vars),
  desktop_safari: (vars) => t('device.blocked.desktop_safari', vars),
  desktop: (vars) => t('device.blocked.desktop', vars),
};

/** The help for this browser and device (see platform.js), read once. */
export const HELP = helpFor({
  userAgent: navigator.userAgent, platform: navigator.platform, maxTouchPoints: navigator.maxTouchPoints,
});

/**
 * Open the devices (chosen ones, or the defaults) and show the result. Until the browser
 * answers (it may be asking the person), the step says what to do and offers no way on:
 * going on then would join without the camera the person is about to allow.
 */
export async function openDevices(devices, state, cameraId = '', micId = '') {
  state.checking = true;
  renderCheck(state);
  let problem;
  try {
    problem = await devices.open(cameraId, micId);
  } finally {
    state.checking = false;
  }
  state.checkProblem = problem;
  $('preview').srcObject = devices.stream;
  $('lobby-preview').srcObject = devices.stream;
  renderCheck(state);
  await fillSelects(devices);
}

export function renderCheck(state) {
  const problem = state.checking ? null : state.checkProblem;
  $('check-asking').hidden = !state.checking;
  $('check-continue').hidden = state.checking;
  $('check-retry').hidden = !problem;
  state.checkHelp = BLOCKED.has(problem) ? HELP.kind : null;
  renderProblem('check', problem);
  $('check-continue').textContent = continueLabel(problem);
}

/** The device problem in the notice `${prefix}-problem` (its title, the steps to allow a
 * blocked camera for this browser and device, what it means); hidden when none. */
export function renderProblem(prefix, problem) {
  $(`${prefix}-problem`).hidden = !problem;
  if (!problem) return;
  const [title, text] = DEVICE_PROBLEMS[problem]();
  const steps = BLOCKED.has(problem) ? BLOCKED_HELP[HELP.kind]({ browser: HELP.browser }) : '';
  $(`${prefix}-problem-title`).textContent = title;
  $(`${prefix}-problem-steps`).textContent = steps;
  $(`${prefix}-problem-steps`).hidden = !steps;
  $(`${prefix}-problem-text`).textContent = text;
}

function continueLabel(problem) {
  switch (problem) {
    case null: return t('check.continue');
    case 'no_camera':
    case 'camera_denied': return t('check.continue_no_camera');
    case 'denied':
    case 'no_devices': return t('check.continue_without');
    default: return t('check.continue_anyway');
  }
}

async function fillSelects(devices) {
  const { cameras, microphones } = await devices.list();
  const current = { camera: devices.videoTrack?.getSettings().deviceId, mic: devices.audioTrack?.getSettings().deviceId };
  for (const [id, list, selected, fallback] of [
    ['camera-select', cameras, current.camera, 'check.camera_n'],
    ['mic-select', microphones, current.mic, 'check.microphone_n'],
  ]) {
    const select = $(id);
    select.replaceChildren();
    list.forEach((device, i) => {
      const option = document.createElement('option');
      option.value = device.deviceId;
      option.textContent = device.label || (fallback === 'check.camera_n'
        ? t('check.camera_n', { n: i + 1 }) : t('check.microphone_n', { n: i + 1 }));
      option.selected = device.deviceId === selected;
      select.append(option);
    });
    select.disabled = list.length < 2;
  }
}

/** Move the level bar while the check or the test call is shown (`onLevel(level)`: each
 * level shown, 0 to 1). */
export function meterLoop(devices, state, onLevel = () => {}) {
  const meters = { check: $('mic-level'), test: $('test-level') };
  let last = 0;
  const frame = (now) => {
    const meter = meters[state.step];
    if (meter) {
      const level = Math.round(devices.level() * 100);
      onLevel(level / 100);
      meter.firstElementChild.style.width = `${level}%`;
      if (now - last > 500) {
        meter.setAttribute('aria-valuenow', String(level));
        last = now;
      }
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}
