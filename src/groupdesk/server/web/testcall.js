// The test call: a person checks their camera, microphone and speaker before the first
// group, with nobody else present (the facilitator's /test link, or the button of the
// device check). They see themselves, watch the microphone's bar, hear a test sound
// ("Did you hear it?"), record a few seconds of their voice and hear it back. Nothing
// leaves the page: no connection is opened, the recording stays in memory (a blob: URL).
// state.testCall is what was found, for tests and for support.

import { t } from './i18n.js';
import { openDevices as openCheck, renderProblem } from './check.js';

const $ = (id) => document.getElementById(id);
const RECORD_MS = 5000;
// A recording whose loudest moment stayed below this (about -42 dBFS) heard no voice.
const HEARD_LEVEL = 0.3;

/** A new test call's findings. */
export function createTestCall(standalone) {
  return {
    standalone, // opened from /test (no group to go back to)
    speaker: null, // 'yes' or 'no': the person heard the test sound
    maxLevel: 0, // the loudest the microphone heard while the test was shown (0..1)
    recording: 'idle', // 'recording', 'recorded', or 'failed' (no microphone, no recorder)
    recordedLevel: 0, // the loudest moment of the recording
    recordedBytes: 0,
    playback: 'none', // 'playing', then 'ended'
    voice: null, // 'yes' or 'no': the person heard their recorded voice
  };
}

export class TestCall {
  /** `devices`: the page's Devices; `state`: the page's state (its testCall is ours). */
  constructor(devices, state) {
    this.devices = devices;
    this.state = state;
    this.url = null;
    this.wire();
  }

  get found() {
    return this.state.testCall;
  }

  wire() {
    $('test-retry').addEventListener('click', () => this.open());
    $('test-play').addEventListener('click', () => {
      this.devices.playTestSound();
      $('test-heard').hidden = false;
    });
    for (const [id, key, value] of [
      ['test-heard-yes', 'speaker', 'yes'], ['test-heard-no', 'speaker', 'no'],
      ['test-voice-yes', 'voice', 'yes'], ['test-voice-no', 'voice', 'no'],
    ]) {
      $(id).addEventListener('click', () => {
        this.found[key] = value;
        this.render();
      });
    }
    $('test-record').addEventListener('click', () => this.record());
    const playback = $('test-playback');
    playback.addEventListener('playing', () => {
      this.found.playback = 'playing';
    });
    playback.addEventListener('ended', () => {
      this.found.playback = 'ended';
      this.render();
    });
  }

  /** A level the meter showed (0..1): the loudest is kept, during the recording too. */
  heard(level) {
    this.found.maxLevel = Math.max(this.found.maxLevel, level);
    if (this.found.recording === 'recording') this.found.recordedLevel = Math.max(this.found.recordedLevel, level);
  }

  /** Open the camera and microphone (or again, after "Try again") and show them. */
  async open() {
    this.state.checking = true;
    this.render();
    await openCheck(this.devices, this.state);
    this.show();
  }

  /** Show the devices as they are now (opened by the device check, or taken up later). */
  show() {
    $('test-preview').srcObject = this.devices.stream;
    this.render();
  }

  /** Record a few seconds of the microphone, then play them back. */
  async record() {
    const found = this.found;
    const track = this.devices.audioTrack;
    if (!track || typeof MediaRecorder === 'undefined' || found.recording === 'recording') {
      if (found.recording !== 'recording') found.recording = 'failed';
      this.render();
      return;
    }
    this.devices.wake();
    const recorder = new MediaRecorder(new MediaStream([track]));
    const chunks = [];
    recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size) chunks.push(event.data);
    });
    const stopped = new Promise((resolve) => recorder.addEventListener('stop', resolve, { once: true }));
    Object.assign(found, { recording: 'recording', recordedLevel: 0, playback: 'none', voice: null });
    $('test-voice').hidden = true;
    this.render();
    recorder.start();
    setTimeout(() => {
      if (recorder.state !== 'inactive') recorder.stop();
    }, RECORD_MS);
    await stopped;
    const blob = new Blob(chunks, { type: recorder.mimeType || 'audio/webm' });
    found.recordedBytes = blob.size;
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = URL.createObjectURL(blob); // in this page's memory only
    const playback = $('test-playback');
    playback.src = this.url;
    playback.hidden = false;
    found.recording = 'recorded';
    $('test-voice').hidden = false;
    this.render();
    // After the person's click: browsers let it play. If not, its controls do.
    playback.play().catch(() => {});
  }

  /** Every result in plain words, with what to do next. */
  render() {
    const found = this.found;
    const state = this.state;
    const problem = state.checking ? null : state.checkProblem;
    $('test-asking').hidden = !state.checking;
    renderProblem('test', problem);
    $('test-back').hidden = found.standalone;
    const camera = Boolean(this.devices.videoTrack);
    const microphone = Boolean(this.devices.audioTrack);
    $('test-preview').hidden = !camera;
    let cameraText = '';
    if (!state.checking) cameraText = camera ? t('test.camera_ok') : t('test.camera_none');
    setText('test-camera-result', cameraText);
    let speakerText = '';
    if (found.speaker === 'yes') speakerText = t('test.speaker_ok');
    else if (found.speaker === 'no') speakerText = t('test.speaker_no');
    setText('test-speaker-result', speakerText);
    $('test-record').disabled = !microphone || found.recording === 'recording';
    let recording = '';
    if (found.recording === 'recording') recording = t('test.recording');
    else if (found.recording === 'recorded') recording = t('test.recorded');
    else if (found.recording === 'failed') recording = t('test.record_failed');
    setText('test-recording', recording);
    setText('test-mic-result', this.microphoneText(microphone));
    setText('test-summary', this.summary(camera, microphone));
  }

  microphoneText(microphone) {
    const found = this.found;
    if (this.state.checking) return '';
    if (!microphone) return t('test.mic_none');
    if (found.voice === 'yes') return t('test.mic_ok');
    if (found.voice === 'no') return found.recordedLevel >= HEARD_LEVEL ? t('test.voice_not_heard') : t('test.mic_silent');
    return '';
  }

  summary(camera, microphone) {
    const found = this.found;
    if (this.state.checking) return '';
    if (camera && microphone && found.speaker === 'yes' && found.voice === 'yes') {
      return `${t('test.all_ok')} ${found.standalone ? t('test.all_ok_close') : ''}`.trim();
    }
    if (!camera || !microphone || found.speaker === 'no' || found.voice === 'no') return t('test.not_yet');
    return t('test.steps');
  }
}

function setText(id, text) {
  const node = $(id);
  if (node.textContent !== text) node.textContent = text;
  node.hidden = !text;
}
