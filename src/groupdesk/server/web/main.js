// The participant page: invite link (checked with the server at once) -> device check ->
// name -> the answers the room asks for -> lobby -> session.
// The invite's secret is read from the URL fragment and kept in memory only; the resume
// token (not a secret of the room) may live in sessionStorage for a reload.
// window.groupdeskState is the page's state, for tests and for support.

import { applyStrings, browserLanguage, language, loadStrings, onLanguageChange, setLanguage, t } from './i18n.js';
import { renderChatButton, sendChat as sendChatLine, showChat, updateChatTargets } from './chat.js';
import { meterLoop, openDevices as openCheck, renderCheck as renderCheckStep } from './check.js';
import { Devices } from './devices.js';
import { BrowserMesh } from './mesh.js';
import { LobbyPreview } from './preview.js';
import { PROBLEMS, RETRY } from './problems.js';
import { SessionView } from './session.js';
import { Signaling, inquire, tokenKey } from './signaling.js';

const ROOM = /^[A-Za-z0-9_-]{8,32}$/;
const SECRET = /^[A-Za-z0-9_-]{16,128}$/;
const MEMBER = /^[0-9a-f]{12}$/;
const STEPS = ['check', 'name', 'answers', 'lobby', 'session', 'end'];
const CHECKS = ['private_place', 'alone', 'headphones', 'no_recording', 'group_rules'];
const QUESTION_ID = /^[a-z0-9_]{1,32}$/;
const MAX_QUESTIONS = 16;
// Questions answered in words rather than with a tick, asked in the page's own wording.
const WRITTEN = {
  location: { label: 'answers.location', type: 'text', max: 200, autocomplete: 'off' },
  phone: { label: 'answers.phone', type: 'tel', max: 40, autocomplete: 'tel' },
};
// What `inquire` may answer that ends the visit before the device check.
const INVITE_PROBLEMS = new Set(['bad_invite', 'invite_expired', 'room_ended', 'too_many_attempts']);
const WEAK_SECONDS = 10;

const $ = (id) => document.getElementById(id);
const devices = new Devices();
let invite = null; // {room, secret}: memory only
let signaling = null;
let mesh = null;
let view = null;
// While waiting: the facilitators who asked to see the camera (the lobby preview).
const preview = new LobbyPreview((to, payload) => signaling?.send({ type: 'signal', to, payload }), () => {
  renderLobby();
});
let resumingAfterReload = false;
let inviteChecked = false;
let roomQuestions = []; // [{id, text, input, label}] when the room brought its own questions

const state = {
  step: 'loading',
  steps: [], // every step shown, in order
  questions: [], // the ids of the questions asked
  questionsFrom: 'page', // 'room' when the room brought its own
  language: 'en',
  room: null,
  member: null,
  role: 'participant',
  problem: null,
  checkProblem: null,
  signaling: 'idle',
  audioOnly: false,
  self: { name: '', role: 'participant', muted: false, cameraOff: false, handRaised: false, speaking: false },
  members: {},
  turn: { queue: [], floor: null, place: null },
  chat: { received: 0, sent: 0, unread: 0 },
  safetySent: false,
  weakSeconds: 0,
  resumes: 0,
  soundBlocked: false,
  // the lobby preview: who asked, who sees us, what is sent; read when asked for, as the
  // size sent becomes the small one with a frame, not with an event
  get lobbyPreview() {
    return preview.snapshot();
  },
};
window.groupdeskState = state;

function announce(text) {
  const region = $('announcer');
  region.textContent = '';
  setTimeout(() => { region.textContent = text; }, 50);
}

function showStep(step) {
  state.step = step;
  state.steps.push(step);
  for (const name of STEPS) $(`step-${name}`).hidden = name !== step;
  $('loading').hidden = true;
  const heading = document.querySelector(`#step-${step} h1`);
  if (heading) heading.focus({ preventScroll: false });
}

function end(code) {
  const problem = PROBLEMS[code] ? code : 'internal';
  state.problem = problem;
  // Turned away or gone: the server relays nothing more for this seat, so no stop is sent.
  preview.close({ notify: false });
  if (view) view.stopStats();
  if (mesh) mesh.close();
  devices.stop();
  for (const id of ['preview', 'lobby-preview']) $(id).srcObject = null;
  renderEnd();
  showStep('end');
}

function renderEnd() {
  if (!state.problem) return;
  const [title, text] = PROBLEMS[state.problem]();
  $('end-title').textContent = title;
  $('end-text').textContent = text;
  $('end-retry').hidden = !RETRY.has(state.problem) || !invite;
}

async function openDevices(cameraId = '', micId = '') {
  await openCheck(devices, state, cameraId, micId);
  // devices opened again (another camera chosen, a retry) while waiting: the previews
  // send the new camera, or say it is off
  if (preview.active) preview.setCamera(!state.self.cameraOff, devices.videoTrack);
}

function renderCheck() {
  renderCheckStep(state);
}

// -- name and answers ---------------------------------------------------------------

/** One line of text without control characters, at most `max` characters. */
function cleanText(value, max) {
  return value.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, max).trim();
}

function cleanName(value) {
  return cleanText(value, 64);
}

function declaredAnswers() {
  if (roomQuestions.length) {
    const declared = {};
    for (const question of roomQuestions) {
      if (question.input.type === 'checkbox') {
        declared[question.id] = question.input.checked;
      } else {
        const value = cleanText(question.input.value, WRITTEN[question.id].max);
        if (value) declared[question.id] = value;
      }
    }
    return declared;
  }
  const form = $('answers-form');
  const declared = {};
  for (const key of CHECKS) declared[key] = form.elements[key].checked;
  for (const key of ['location', 'phone']) {
    const value = cleanText(form.elements[key].value, 200);
    if (value) declared[key] = value;
  }
  return declared;
}

// -- the room's questions ------------------------------------------------------------

/** The question's text in the page's language (else the other one) and that language. */
function questionText(text) {
  const fr = typeof text.fr_CA === 'string' && text.fr_CA.trim() ? text.fr_CA : null;
  const en = typeof text.en === 'string' && text.en.trim() ? text.en : null;
  if (language() === 'fr') return fr ? [fr, 'fr-CA'] : [en, 'en'];
  return en ? [en, 'en'] : [fr, 'fr-CA'];
}

/** Ask the room's questions instead of the page's own (which stay for rooms without any). */
function setQuestions(questions) {
  const usable = (Array.isArray(questions) ? questions : [])
    .filter((q) => q && QUESTION_ID.test(q.id) && q.text && typeof q.text === 'object')
    .filter((q, i, all) => all.findIndex((other) => other.id === q.id) === i && questionText(q.text)[0])
    .slice(0, MAX_QUESTIONS);
  if (!usable.length) {
    state.questions = [...CHECKS, 'location', 'phone'];
    return;
  }
  const checks = $('answers-room-checks');
  const fields = $('answers-room-fields');
  roomQuestions = usable.map((q) => {
    const input = document.createElement('input');
    input.id = `question-${q.id}`;
    input.name = q.id;
    const written = WRITTEN[q.id];
    if (written) {
      const field = document.createElement('div');
      field.className = 'field';
      const label = document.createElement('label');
      label.htmlFor = input.id;
      label.dataset.i18n = written.label;
      label.textContent = t(written.label);
      input.type = written.type;
      input.maxLength = written.max;
      input.autocomplete = written.autocomplete;
      field.append(label, input);
      fields.append(field);
      return { id: q.id, text: q.text, input, label: null };
    }
    const label = document.createElement('label');
    label.className = 'check';
    input.type = 'checkbox';
    const span = document.createElement('span');
    label.append(input, ' ', span);
    checks.append(label);
    return { id: q.id, text: q.text, input, label: span };
  });
  for (const id of ['answers-default-checks', 'answers-default-fields']) {
    $(id).hidden = true;
    for (const input of $(id).querySelectorAll('input')) input.disabled = true;
  }
  checks.hidden = false;
  fields.hidden = false;
  $('answers-checks').hidden = !roomQuestions.some((q) => q.label);
  state.questions = roomQuestions.map((q) => q.id);
  state.questionsFrom = 'room';
  renderQuestions();
}

function renderQuestions() {
  for (const question of roomQuestions) {
    if (!question.label) continue;
    const [text, lang] = questionText(question.text);
    question.label.textContent = text;
    question.label.lang = lang;
  }
}

/** Ask the server about the invite before anything else; false when the visit ends here. */
async function checkInvite() {
  if (inviteChecked) return true;
  $('loading').textContent = t('loading.invite');
  const reply = await inquire(wsUrl(), invite.room, invite.secret);
  if (reply === null) {
    end('unreachable');
    return false;
  }
  if (reply.type === 'error' && INVITE_PROBLEMS.has(reply.code)) {
    end(reply.code);
    return false;
  }
  inviteChecked = true;
  // An error of another kind: a server that does not know `inquire`; ask the page's questions.
  setQuestions(reply.type === 'room_info' ? reply.questions : []);
  return true;
}

function wsUrl() {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

function connect() {
  signaling = new Signaling(wsUrl());
  signaling.addEventListener('message', (event) => onMessage(event.detail));
  signaling.addEventListener('state', (event) => onSignalingState(event.detail));
  signaling.addEventListener('ended', (event) => onEnded(event.detail));
  return signaling;
}

function knock() {
  state.self.name = cleanName($('name-input').value);
  $('lobby-status').textContent = t('lobby.connecting');
  renderLobby();
  showStep('lobby');
  connect().knock({
    room: invite.room, secret: invite.secret, display_name: state.self.name, declared: declaredAnswers(),
  });
}

// -- messages from the server ---------------------------------------------------------

function onSignalingState(value) {
  state.signaling = value;
  if (state.step === 'session') {
    $('reconnecting').hidden = value !== 'reconnecting';
    if (value === 'reconnecting') announce(t('session.reconnecting'));
  } else if (state.step === 'lobby' && value === 'connecting' && signaling.attempt > 0) {
    $('lobby-status').textContent = t('session.reconnecting');
  }
}

function onEnded(code) {
  if (code === null) {
    end('left');
  } else if (resumingAfterReload && code === 'resume_expired' && !state.member) {
    resumingAfterReload = false; // the seat is gone: start again from the device check
    startCheck();
  } else {
    end(code === 'unsupported_version' ? 'internal' : code);
  }
}

/** The ICE servers of `waiting` or `admitted`, as RTCPeerConnection takes them. */
function rtcIceServers(list) {
  return (Array.isArray(list) ? list : [])
    .filter((s) => s && (typeof s.urls === 'string' || Array.isArray(s.urls)))
    .map((s) => ({ urls: s.urls, ...(s.username ? { username: s.username, credential: s.credential } : {}) }));
}

function onMessage(message) {
  switch (message.type) {
    case 'waiting':
      $('lobby-status').textContent = t('lobby.text');
      if (state.step !== 'lobby') showStep('lobby');
      preview.start(rtcIceServers(message.ice_servers), state.self.cameraOff ? null : devices.videoTrack);
      renderLobby();
      break;
    case 'admitted':
      onAdmitted(message);
      break;
    case 'member_joined':
      if (message.member && MEMBER.test(message.member.member)) {
        addMember(message.member);
        mesh?.memberJoined(message.member.member);
        announce(t('session.joined', { name: message.member.display_name }));
        sendMediaState();
        view?.render();
      }
      break;
    case 'member_left': {
      const info = state.members[message.member];
      if (info) {
        delete state.members[message.member];
        mesh?.memberLeft(message.member);
        announce(t('session.left', { name: info.name }));
        updateChatTargets(state);
        view?.render();
      }
      break;
    }
    case 'signal':
      if (message.payload && String(message.payload.type).startsWith('preview.')) {
        preview.handle(message.from, message.payload);
      } else if (mesh && message.payload && String(message.payload.type).startsWith('media.')) {
        mesh.handleSignal(message.from, message.payload);
      }
      break;
    case 'chat':
      state.chat.received += 1;
      view?.addChat(state.members[message.from]?.name || '?', message.text, { private: message.private });
      if ($('chat').hidden) {
        state.chat.unread += 1;
        renderChatButton(state);
      }
      break;
    case 'app':
      onApp(message);
      break;
    case 'mute_requested':
      onMuteRequested(message);
      break;
    default:
      break;
  }
}

function blankMember(info) {
  return {
    name: info.display_name, role: info.role, state: 'connecting', quality: null, speaking: false,
    handRaised: false, muted: false, cameraOff: false, hasVideo: false, rtt: 0,
    video: { framesDecoded: 0, framesReceived: 0, framesShown: 0, bytesReceived: 0, width: 0, height: 0, codec: null },
    audio: { bytesReceived: 0, level: 0, codec: null },
  };
}

function addMember(info) {
  if (info.member === state.member) return;
  if (!state.members[info.member]) state.members[info.member] = blankMember(info);
  updateChatTargets(state);
}

function onAdmitted(message) {
  preview.close(); // says stop to each facilitator who watched; the camera stays on
  const first = !state.member;
  state.member = message.member;
  state.room = message.room;
  state.role = message.role;
  state.self.role = message.role;
  resumingAfterReload = false;
  if (message.resumed) state.resumes += 1;
  for (const info of message.members) {
    if (info.member === message.member && !state.self.name) state.self.name = info.display_name;
  }
  const present = new Set(message.members.map((m) => m.member).filter((id) => id !== state.member));
  if (!mesh) {
    const iceServers = rtcIceServers(message.ice_servers);
    mesh = new BrowserMesh(state.member, (to, payload) => signaling.send({ type: 'signal', to, payload }), iceServers, onMeshEvent);
    state.incarnation = mesh.incarnation;
    state.meshRestarts = mesh.restarts; // why connections were replaced (for tests, support)
    mesh.setTrack('audio', devices.audioTrack);
    mesh.setTrack('video', state.audioOnly || state.self.cameraOff ? null : devices.videoTrack);
    if (state.audioOnly) mesh.setReceiveVideo(false);
    view = new SessionView(state, {
      level: () => devices.level(),
      hasLocalVideo: () => Boolean(devices.videoTrack),
      soundBlocked: () => {
        state.soundBlocked = true;
        $('sound-blocked').hidden = false;
      },
      onStats: () => {
        $('weak-hint').hidden = state.audioOnly || state.weakSeconds < WEAK_SECONDS;
      },
    });
    view.startStats(mesh);
    if (window.matchMedia('(max-width: 30rem)').matches) showChat(state, false);
  }
  for (const memberId of Object.keys(state.members)) {
    if (!present.has(memberId)) {
      delete state.members[memberId];
      mesh.memberLeft(memberId);
    }
  }
  for (const info of message.members) addMember(info);
  showStep('session');
  $('reconnecting').hidden = true;
  view.showLocal(devices.stream);
  for (const memberId of [...present].sort()) mesh.memberJoined(memberId);
  renderControls();
  view.render();
  sendMediaState();
  if (first) announce(t('session.welcome'));
}

function onMeshEvent(event) {
  const info = state.members[event.member];
  if (!info) return;
  if (event.kind === 'state') {
    info.state = event.state;
    if (event.state !== 'connected') info.quality = null;
  } else if (event.kind === 'track') {
    view.attachRemote(event.member, event.track, event.stream);
  }
  view.render();
}

function onApp(message) {
  const data = message.data || {};
  const from = state.members[message.from];
  const fromFacilitator = from && from.role === 'facilitator';
  if (message.event === 'turn_state' && fromFacilitator) {
    onTurnState(data);
  } else if (message.event === 'media_state' && 'request_mute' in data) {
    // the old form of a mute request (a control, not a state): mute_requested now
  } else if (message.event === 'media_state' && from) {
    if (typeof data.muted === 'boolean') from.muted = data.muted;
    if (typeof data.camera_off === 'boolean') from.cameraOff = data.camera_off;
  } else if ((message.event === 'raise_hand' || message.event === 'lower_hand') && from) {
    from.handRaised = message.event === 'raise_hand';
  }
  view?.render();
}

/** A facilitator asks to mute us: honoured only when a facilitator of the room asked. */
function onMuteRequested(message) {
  const from = state.members[message.from];
  if (!from || from.role !== 'facilitator' || message.member !== state.member) return;
  if (!state.self.muted) {
    setMuted(true);
    $('mute-request').hidden = false;
  }
}

/** The facilitator's turn manager: `queue` (member ids in order), `floor`, `spotlight`. */
function onTurnState(data) {
  if (Array.isArray(data.queue)) state.turn.queue = data.queue.filter((id) => typeof id === 'string');
  if ('floor' in data) state.turn.floor = typeof data.floor === 'string' ? data.floor : null;
  const place = state.turn.queue.indexOf(state.member);
  const before = state.turn.place;
  state.turn.place = place >= 0 ? place + 1 : null;
  if (Array.isArray(data.queue)) {
    state.self.handRaised = place >= 0;
    for (const [memberId, info] of Object.entries(state.members)) {
      info.handRaised = state.turn.queue.includes(memberId);
    }
  }
  renderTurn();
  renderControls();
  if (state.turn.place !== before && state.turn.place) {
    announce(t('turn.place', { place: state.turn.place }));
  }
}

function renderTurn() {
  const status = $('turn-status');
  let text = '';
  if (state.turn.floor && state.turn.floor === state.member) text = t('turn.floor');
  else if (state.turn.place) text = t('turn.place', { place: state.turn.place });
  else if (state.self.handRaised) text = t('turn.raised');
  status.textContent = text;
  status.hidden = !text;
}

// -- the controls ---------------------------------------------------------------------

function sendApp(event, data = {}) {
  return signaling?.send({ type: 'app', event, data });
}

function sendMediaState() {
  if (state.step !== 'session') return;
  sendApp('media_state', { muted: state.self.muted, camera_off: state.self.cameraOff || state.audioOnly });
}

function setMuted(muted) {
  state.self.muted = muted;
  const track = devices.audioTrack;
  if (track) track.enabled = !muted;
  if (!muted) $('mute-request').hidden = true;
  sendMediaState();
  renderControls();
  view?.render();
}

async function setCameraOff(off) {
  state.self.cameraOff = off;
  await applyVideo();
  preview.setCamera(!state.self.cameraOff, devices.videoTrack);
  if (state.step === 'lobby') $('lobby-preview').srcObject = devices.stream; // the new camera track
  sendMediaState();
  renderControls();
  renderLobby();
  view?.render();
}

/** Send video only when the camera is on and audio-only mode is off; the light goes off too. */
async function applyVideo() {
  const wanted = !state.self.cameraOff && !state.audioOnly;
  if (!wanted) {
    devices.stopCamera();
  } else if (!devices.videoTrack && devices.stream && state.checkProblem !== 'no_camera') {
    if (!(await devices.startCamera())) {
      state.self.cameraOff = true;
      announce(t('device.in_use.title'));
    }
  }
  mesh?.setTrack('video', wanted ? devices.videoTrack : null);
  view?.showLocal(devices.stream);
}

async function setAudioOnly(enabled) {
  state.audioOnly = enabled;
  $('weak-hint').hidden = true;
  await applyVideo();
  await mesh?.setReceiveVideo(!enabled);
  sendMediaState();
  renderControls();
  view?.render();
  announce(enabled ? t('session.audio_only_on') : t('session.audio_only_off'));
}

function setHand(raised) {
  state.self.handRaised = raised;
  sendApp(raised ? 'raise_hand' : 'lower_hand');
  if (!raised) state.turn.place = null;
  renderTurn();
  renderControls();
  view?.render();
}

function renderControls() {
  const s = state.self;
  const noMic = !devices.audioTrack;
  const noCamera = !devices.stream || state.checkProblem === 'no_camera' || state.checkProblem === 'no_devices';
  setToggle('btn-mic', s.muted, s.muted ? t('control.unmute') : t('control.mute'), noMic);
  setToggle('btn-camera', s.cameraOff, s.cameraOff ? t('control.camera_on') : t('control.camera_off'), noCamera || state.audioOnly);
  setToggle('btn-hand', s.handRaised, s.handRaised ? t('control.lower_hand') : t('control.raise_hand'), false);
  setToggle('btn-audio-only', state.audioOnly, state.audioOnly ? t('control.video_back') : t('control.audio_only'), false);
}

/** The lobby: the camera button, the self view, and whether a facilitator sees us now. */
function renderLobby() {
  const noCamera = !devices.stream || state.checkProblem === 'no_camera' || state.checkProblem === 'no_devices';
  const off = state.self.cameraOff || !devices.videoTrack;
  setToggle('lobby-camera', off, off ? t('control.camera_on') : t('control.camera_off'), false);
  $('lobby-camera').hidden = noCamera;
  $('lobby-preview').hidden = off;
  const seen = $('lobby-seen');
  let text = '';
  if (preview.isSeen()) text = t('lobby.seen');
  else if (off && !noCamera) text = t('lobby.camera_is_off');
  if (seen.textContent !== text) seen.textContent = text;
  seen.hidden = !text;
  seen.dataset.seen = preview.isSeen() ? 'true' : 'false';
}

function setToggle(id, on, label, disabled) {
  const button = $(id);
  button.textContent = label;
  button.dataset.on = on ? 'true' : 'false'; // the label says what a click does
  button.disabled = disabled;
}

function sendChat() {
  const sent = sendChatLine(state, signaling);
  if (sent) view?.addChat(state.self.name, sent[0], { private: sent[1], mine: true });
}

// -- start ----------------------------------------------------------------------------

function readInvite() {
  const fields = new URLSearchParams(location.hash.slice(1));
  const room = fields.get('r');
  const secret = fields.get('k');
  if (!room || !secret || !ROOM.test(room) || !SECRET.test(secret)) return null;
  return { room, secret };
}

function savedToken(room) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(tokenKey(room)) || 'null');
    return saved && typeof saved.token === 'string' ? saved : null;
  } catch {
    return null;
  }
}

async function startCheck() {
  if (!(await checkInvite())) return;
  showStep('check');
  await openDevices();
}

function wire() {
  $('lang-switch').addEventListener('click', () => setLanguage(language() === 'fr' ? 'en' : 'fr'));
  document.addEventListener('pointerdown', () => devices.wake());
  document.addEventListener('keydown', () => devices.wake());
  $('check-retry').addEventListener('click', () => openDevices());
  $('camera-select').addEventListener('change', () => openDevices($('camera-select').value, $('mic-select').value));
  $('mic-select').addEventListener('change', () => openDevices($('camera-select').value, $('mic-select').value));
  $('test-sound').addEventListener('click', () => devices.playTestSound());
  $('check-continue').addEventListener('click', () => {
    state.self.cameraOff = !devices.videoTrack;
    showStep('name');
  });
  $('name-back').addEventListener('click', () => showStep('check'));
  $('name-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const ok = Boolean(cleanName($('name-input').value));
    $('name-error').hidden = ok;
    $('name-input').setAttribute('aria-invalid', ok ? 'false' : 'true');
    if (ok) showStep('answers');
    else $('name-input').focus();
  });
  $('answers-back').addEventListener('click', () => showStep('name'));
  $('answers-form').addEventListener('submit', (event) => {
    event.preventDefault();
    knock();
  });
  $('lobby-leave').addEventListener('click', () => {
    preview.close(); // the stops go out before the leave
    signaling?.leave();
  });
  $('lobby-camera').addEventListener('click', () => setCameraOff(!state.self.cameraOff));
  $('btn-mic').addEventListener('click', () => setMuted(!state.self.muted));
  $('btn-camera').addEventListener('click', () => setCameraOff(!state.self.cameraOff));
  $('btn-hand').addEventListener('click', () => setHand(!state.self.handRaised));
  $('btn-audio-only').addEventListener('click', () => setAudioOnly(!state.audioOnly));
  $('weak-audio-only').addEventListener('click', () => setAudioOnly(true));
  $('btn-chat').addEventListener('click', () => showChat(state, $('chat').hidden));
  $('btn-leave').addEventListener('click', () => signaling?.leave());
  $('sound-on').addEventListener('click', () => {
    state.soundBlocked = false;
    $('sound-blocked').hidden = true;
    devices.wake();
    view?.playAll();
  });
  $('chat-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sendChat();
  });
  $('chat-input').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      sendChat();
    }
  });
  $('safety').addEventListener('click', () => {
    sendApp('safety_signal', {});
    state.safetySent = true;
    $('safety-sent').hidden = false;
  });
  $('end-retry').addEventListener('click', () => location.reload());
  // Another invite pasted into this tab changes only the fragment: start again with it.
  window.addEventListener('hashchange', () => {
    const next = readInvite();
    if (next && (!invite || next.room !== invite.room || next.secret !== invite.secret)) location.reload();
  });
  // The skip link must not touch the fragment: it holds the invite.
  document.querySelector('.skip').addEventListener('click', (event) => {
    event.preventDefault();
    $('main').focus();
  });
  onLanguageChange((lang) => {
    state.language = lang;
    renderCheck();
    renderQuestions();
    renderEnd();
    renderControls();
    renderLobby();
    renderTurn();
    renderChatButton(state);
    view?.render();
  });
}

async function main() {
  await loadStrings();
  setLanguage(browserLanguage());
  state.language = language();
  applyStrings(document);
  wire();
  meterLoop(devices, state);
  invite = readInvite();
  if (!invite) {
    end('bad_link');
    return;
  }
  state.room = invite.room;
  if (typeof RTCPeerConnection === 'undefined') {
    end('unsupported');
    return;
  }
  const saved = savedToken(invite.room);
  if (saved) {
    // A reload during the session: take the seat back with the same camera and microphone.
    resumingAfterReload = true;
    await devices.open();
    state.checkProblem = devices.problem;
    state.self.cameraOff = !devices.videoTrack;
    connect().resume(invite.room, saved.token, Math.max(0, Number(saved.grace) || 0) * 1000);
    return;
  }
  await startCheck();
}

main().catch((error) => {
  console.error('groupdesk:', error);
  end('internal');
});
