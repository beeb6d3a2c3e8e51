// The device check step: the preview, the choice of camera and microphone, the level
// meter, and what went wrong in plain words.

import { t } from './i18n.js';
import { DEVICE_PROBLEMS } from './problems.js';

const $ = (id) => document.getElementById(id);

/** Open the devices (chosen ones, or the defaults) and show the result. */
export async function openDevices(devices, state, cameraId = '', micId = '') {
  const problem = await devices.open(cameraId, micId);
  state.checkProblem = problem;
  $('preview').srcObject = devices.stream;
  $('lobby-preview').srcObject = devices.stream;
  renderCheck(state);
  await fillSelects(devices);
}

export function renderCheck(state) {
  const problem = state.checkProblem;
  $('check-problem').hidden = !problem;
  $('check-retry').hidden = !problem;
  if (problem) {
    const [title, text] = DEVICE_PROBLEMS[problem]();
    $('check-problem-title').textContent = title;
    $('check-problem-text').textContent = text;
  }
  let label = t('check.continue');
  if (problem === 'no_camera') label = t('check.continue_no_camera');
  else if (problem) label = t('check.continue_anyway');
  $('check-continue').textContent = label;
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

/** Move the level bar while the check is shown. */
export function meterLoop(devices, state) {
  const meter = $('mic-level');
  let last = 0;
  const frame = (now) => {
    if (state.step === 'check') {
      const level = Math.round(devices.level() * 100);
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
