// The participant page: invite link (checked with the server at once) -> device check ->
// name -> the answers the room asks for -> lobby -> session.
// The invite's secret is read from the URL fragment and kept in memory only; the resume
// token (not a secret of the room) may live in sessionStorage for a reload.
// This module renders and wires the DOM; the state and its transitions are in state.js.
// window.groupdeskState is the page's state, for tests and for support.

import { applyStrings, browserLanguage, language, loadStrings, onLanguageChange, setLanguage, t } from './i18n.js';
import { renderChatButton, sendChat as sendChatLine, showChat, updateChatTargets } from './chat.js';
import { meterLoop, openDevices as openCheck, renderCheck as renderCheckStep } from './check.js';
import { Devices } from './devices.js';
import { BrowserMesh } from './mesh.js';
import { BrowserSfu, isPhone, layerFor } from './sfu.js';
import { SecurityCodeView } from './securityview.js';
import { LobbyPreview } from './preview.js';
import { PROBLEMS, RETRY } from './problems.js';
import { SessionView } from './session.js';
import { ShareView, newShareState, shareEvent, shareLeft } from './share.js';
import { TestCall, createTestCall } from './testcall.js';
import { TurnsView, pageClock } from './turns.js';
import { APP_EVENT, CLIENT_MESSAGE, PREVIEW_SIGNAL_PREFIX, SERVER_MESSAGE } from './protocol.js';
import { Signaling, inquire, tokenKey } from './signaling.js';
import * as rules from './state.js';
import { STEPS, cleanName } from './state.js';
import { renderRules, setRules, showRules } from './grouprules.js';
import {
  completeUnmet, declaredAnswers, hideUnmet, readyToKnock, renderConsent, renderQuestions, setConsent, setQuestions,
} from './questions.js';

const $ = (id) => document.getElementById(id);
const devices = new Devices();
let invite = null; // {room, secret}: memory only
let signaling = null;
let mesh = null; // the media: a BrowserMesh, or a BrowserSfu in an SFU room (same methods)
let iceServers = []; // the seat's STUN/TURN servers (admitted), for a call made later
let uplinkTimer = null; // a mesh room that may move to the media server: our uplink reports
const UPLINK_EVERY_MS = 5000;
let view = null;
const securityView = new SecurityCodeView(); // the room's security code, read aloud
// While waiting: the facilitators who asked to see the camera (the lobby preview).
const preview = new LobbyPreview((to, payload) => signaling?.send({ type: CLIENT_MESSAGE.SIGNAL, to, payload }), () => {
  renderLobby();
});
let resumingAfterReload = false;
let inviteChecked = false;
// The camera is off because there was none (or it was refused) when the person went on,
// not by their choice: one that comes later (allowed, plugged in) is turned on.
let cameraMissing = false;
let takingUp = Promise.resolve(); // the device steps, one after the other (see serially)

const state = rules.createState();
// an SFU room: what we publish (the simulcast's rids), the layers asked, a refusal
Object.defineProperty(state, 'sfu', { enumerable: true, get: () => (mesh?.media === 'sfu' ? mesh.snapshot() : null) });
// the lobby preview: who asked, who sees us, what is sent; read when asked for, as the
// size sent becomes the small one with a frame, not with an event
Object.defineProperty(state, 'lobbyPreview', { enumerable: true, get: () => preview.snapshot() });
state.share = newShareState(); // who may share, who shares, ours (share.js)
window.groupdeskState = state;
const shareView = new ShareView(state, () => mesh, (message) => signaling?.send(message), (text) => announce(text));
let announcing = null; // the announcement about to be written (see announce)
function announce(text) {
  if (state.step === 'end') return; // nothing said in the session is left for the end page
  const region = $('announcer');
  region.textContent = '';
  clearTimeout(announcing);
  announcing = setTimeout(() => { region.textContent = text; }, 50);
}

/** The session is over: what was announced in it ("Your hand is raised…") goes, so that
 * a screen reader reading the end page finds none of it. */
function clearAnnouncements() {
  clearTimeout(announcing);
  announcing = null;
  $('announcer').textContent = '';
}

const turns = new TurnsView(state, pageClock, announce); // the turn lines
// The test call (/test, or the check's "Test my camera and sound"): nothing leaves the page.
const testPage = location.pathname === '/test';
state.testCall = createTestCall(testPage);
const testCall = new TestCall(devices, state);

function showStep(step) {
  state.step = step;
  state.steps.push(step);
  for (const name of STEPS) $(`step-${name}`).hidden = name !== step;
  $('loading').hidden = true;
  const heading = document.querySelector(`#step-${step} h1`);
  if (heading) heading.focus({ preventScroll: false });
}

function end(code) {
  state.problem = rules.problemOf(code, PROBLEMS);
  // Turned away or gone: the server relays nothing more for this seat, so no stop is sent.
  preview.close({ notify: false });
  if (view) view.stopStats();
  turns.stop();
  stopUplinkReports();
  if (mesh) mesh.close();
  devices.stop();
  for (const id of ['preview', 'lobby-preview']) $(id).srcObject = null;
  clearAnnouncements();
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

/**
 * Run `task` after every device step already under way (opening the devices, taking up a
 * late camera): two of them at once would each open the camera and leave the check with a
 * half result (a "Try again" tapped just as the browser's permission changes).
 */
function serially(task) {
  const run = takingUp.then(task);
  takingUp = run.catch((error) => {
    console.warn('groupdesk: opening the camera or microphone failed:', error && error.name);
  });
  return run;
}

function openDevices(cameraId = '', micId = '') {
  return serially(() => openDevicesNow(cameraId, micId));
}

async function openDevicesNow(cameraId, micId) {
  await openCheck(devices, state, cameraId, micId);
  testCall.show(); // the test call may be open (from the check) while the browser asked
  // devices opened again (another camera chosen, a retry) while waiting: the previews
  // send the new camera, or say it is off
  if (preview.active) preview.setCamera(!state.self.cameraOff, devices.videoTrack);
}

function renderCheck() {
  renderCheckStep(state);
}

/** A camera or microphone may have become usable (see Devices.watch): take it up. */
function onDevicesChanged() {
  serially(takeUpDevices);
}

/**
 * A camera or microphone allowed or plugged in after the check: from now on it is used.
 * A camera missing when the person went on is turned on (the person is told); one they
 * turned off stays off. The mesh sends the new tracks on the connections it has
 * (replaceTrack: every connection has a sender of each kind from the start).
 */
async function takeUpDevices() {
  if (state.step === 'loading' || state.step === 'end' || state.checking || !devices.stream && !state.checkProblem) return;
  const added = await devices.takeUp({ video: true, audio: true });
  if (!added.length || state.step === 'end') return;
  state.cameraLate += added.length;
  state.checkProblem = devices.problem;
  if (added.includes('audio')) {
    devices.audioTrack.enabled = !state.self.muted;
    mesh?.setTrack('audio', devices.audioTrack);
  }
  const checking = state.step === 'check' || state.step === 'test';
  if (added.includes('video') && !checking) {
    if (cameraMissing) {
      cameraMissing = false;
      state.self.cameraOff = false;
    }
    await applyVideo();
    preview.setCamera(!state.self.cameraOff, devices.videoTrack);
  }
  for (const id of ['preview', 'lobby-preview']) $(id).srcObject = devices.stream;
  view?.showLocal(devices.stream);
  renderCheck();
  testCall.show();
  sendMediaState();
  renderControls();
  renderLobby();
  view?.render();
  if (!checking) {
    const seen = added.includes('video') && !state.self.cameraOff && !state.audioOnly;
    if (seen) announce(t('device.late_camera'));
    else if (added.includes('audio')) announce(t('device.late_microphone'));
  }
}

/** Ask the server about the invite before anything else; false when the visit ends here. */
async function checkInvite() {
  if (inviteChecked) return true;
  $('loading').textContent = t('loading.invite');
  const outcome = rules.inquiryOutcome(await inquire(wsUrl(), invite.room, invite.secret));
  if (outcome.end) {
    end(outcome.end);
    return false;
  }
  inviteChecked = true;
  setQuestions(state, outcome.questions);
  state.safetyWording = outcome.safety;
  setRules(state, outcome.rules);
  setConsent(state, outcome.consent);
  state.media = outcome.media ?? 'mesh';
  state.previews = outcome.previews ?? true;
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
  hideUnmet(state); // asked anyway, or nothing was missing
  state.self.name = cleanName($('name-input').value);
  $('lobby-status').textContent = t('lobby.connecting');
  renderLobby();
  showStep('lobby');
  connect().knock({
    room: invite.room, secret: invite.secret, display_name: state.self.name, declared: declaredAnswers(state),
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
    end(code);
  }
}

function onMessage(message) {
  switch (message.type) {
    case SERVER_MESSAGE.WAITING:
      $('lobby-status').textContent = t('lobby.text');
      if (state.step !== 'lobby') showStep('lobby');
      // a room without previews (relay-only): the page said nobody sees us; none is answered
      if (state.previews) preview.start(rules.rtcIceServers(message.ice_servers), state.self.cameraOff ? null : devices.videoTrack);
      renderLobby();
      break;
    case SERVER_MESSAGE.ADMITTED:
      onAdmitted(message);
      break;
    case SERVER_MESSAGE.MEMBER_JOINED: {
      const joined = rules.memberJoined(state, message);
      if (joined) {
        updateChatTargets(state);
        mesh?.setBlocked(rules.blockedSeats(state)); // one of the pair: blocked from the start
        mesh?.memberJoined(joined);
        securityView.update(mesh, state);
        renderSideRoom();
        announce(t('session.joined', { name: message.member.display_name }));
        sendMediaState();
        shareView.tellNewcomer();
        view?.render();
      }
      break;
    }
    case SERVER_MESSAGE.MEMBER_LEFT: {
      const info = rules.memberLeft(state, message.member);
      if (info) {
        mesh?.memberLeft(message.member);
        securityView.update(mesh, state);
        applySideRoom(); // one of the pair gone: everyone is together again
        if (shareLeft(state, message.member)) shareView.render();
        announce(t('session.left', { name: info.name }));
        updateChatTargets(state);
        view?.render();
      }
      break;
    }
    case SERVER_MESSAGE.SIGNAL:
      if (message.payload && String(message.payload.type).startsWith(PREVIEW_SIGNAL_PREFIX)) {
        preview.handle(message.from, message.payload);
      } else if (mesh && mesh.media !== 'sfu' && message.payload && String(message.payload.type).startsWith('media.')) {
        mesh.handleSignal(message.from, message.payload);
      }
      break;
    case SERVER_MESSAGE.SFU:
      if (mesh?.media === 'sfu') mesh.handle(message);
      break;
    case SERVER_MESSAGE.MEDIA:
      if (message.media !== 'sfu') break;
      if (mesh && mesh.media !== 'sfu') {
        moveToMediaServer();
      } else if (!mesh) { // waiting: the lobby says how media travel now
        state.media = 'sfu';
        renderLobby();
      }
      break;
    case SERVER_MESSAGE.CHAT:
      view?.addChat(state.members[message.from]?.name || '?', message.text, { private: message.private });
      if (rules.chatReceived(state, !$('chat').hidden)) renderChatButton(state);
      break;
    case SERVER_MESSAGE.APP:
      onApp(message);
      break;
    case SERVER_MESSAGE.MUTE_REQUESTED:
      onMuteRequested(message);
      break;
    default:
      break;
  }
}

function onAdmitted(message) {
  preview.close(); // says stop to each facilitator who watched; the camera stays on
  resumingAfterReload = false;
  const { first, gone, present } = rules.admitted(state, message);
  iceServers = rules.rtcIceServers(message.ice_servers);
  if (mesh && message.media === 'sfu' && mesh.media !== 'sfu') moveToMediaServer(); // while away
  if (!mesh) {
    makeCall(message.media === 'sfu' ? 'sfu' : 'mesh', rules.iceTransportPolicy(message));
    view = new SessionView(state, {
      level: () => devices.level(),
      hasLocalVideo: () => Boolean(devices.videoTrack),
      soundBlocked: () => {
        state.soundBlocked = true;
        $('sound-blocked').hidden = false;
      },
      onStats: () => {
        $('weak-hint').hidden = state.audioOnly || !state.weakAdvice.shown;
      },
    });
    view.startStats(mesh);
    if (window.matchMedia('(max-width: 30rem)').matches) showChat(state, false);
    // publish once; seated again after a drop, the server ends our feed and sfu.js
    // publishes afresh
    if (state.media === 'sfu') mesh.start();
  }
  if (message.uplink && mesh.media === 'mesh') startUplinkReports();
  renderMedia();
  $('relay-missing').hidden = !rules.relayWithoutTurn(message);
  for (const memberId of gone) mesh.memberLeft(memberId);
  updateChatTargets(state);
  showStep('session');
  $('reconnecting').hidden = true;
  view.showLocal(devices.stream);
  mesh.setBlocked(rules.blockedSeats(state));
  renderSideRoom();
  for (const memberId of present) mesh.memberJoined(memberId);
  renderControls();
  view.render();
  sendMediaState();
  shareView.tellNewcomer(); // back after a drop: our share goes on
  shareView.render();
  if (first) announce(t('session.welcome'));
}

/** The room's call: a mesh, or through the media server (`media`), with our tracks. */
function makeCall(media, policy) {
  state.media = media;
  if (media === 'sfu') {
    const sendSfu = (fields) => signaling.send({ type: CLIENT_MESSAGE.SFU, ...fields });
    mesh = new BrowserSfu(state.member, sendSfu, iceServers, onMeshEvent, policy, wantedLayer);
    watchLayer();
  } else {
    const send = (to, payload) => signaling.send({ type: CLIENT_MESSAGE.SIGNAL, to, payload });
    mesh = new BrowserMesh(state.member, send, iceServers, onMeshEvent, policy);
  }
  state.incarnation = mesh.incarnation;
  state.meshRestarts = mesh.restarts; // why connections were replaced (for tests, support)
  mesh.setTrack('audio', devices.audioTrack);
  mesh.setTrack('video', state.audioOnly || state.self.cameraOff ? null : devices.videoTrack);
  if (state.audioOnly) mesh.setReceiveVideo(false);
}

/**
 * The room moved to the organisation's media server while open (a member's connection
 * was too poor for the mesh; media_mode auto): close the mesh's connections, publish to
 * the media server and take everyone's stream from it. Nobody rejoins; the security code
 * gives way to the notice that sound and video are not end-to-end encrypted.
 */
function moveToMediaServer() {
  stopUplinkReports();
  view?.stopStats();
  mesh.close();
  makeCall('sfu', 'all'); // only the media server's address is seen: no relay to force
  shareView.carryOn(); // our share went on the mesh's connections: it goes on through sfu.js
  view?.startStats(mesh);
  mesh.start();
  mesh.setBlocked(rules.blockedSeats(state));
  for (const memberId of Object.keys(state.members)) {
    if (memberId !== state.member) mesh.memberJoined(memberId);
  }
  securityView.update(mesh, state);
  renderMedia();
  shareView.render();
  view?.render();
  announce(t('media.moved'));
}

/** Every few seconds, our uplink as the browser estimates it (state.js uplinkReport). */
function startUplinkReports() {
  if (uplinkTimer !== null) return;
  uplinkTimer = setInterval(() => {
    if (mesh?.media !== 'mesh' || state.step !== 'session') return;
    const sendingVideo = Boolean(devices.videoTrack) && !state.self.cameraOff && !state.audioOnly;
    const report = rules.uplinkReport(state, { sendingVideo, blocked: rules.blockedSeats(state) });
    if (report) signaling?.send(report);
  }, UPLINK_EVERY_MS);
}

function stopUplinkReports() {
  clearInterval(uplinkTimer);
  uplinkTimer = null;
}

function onMeshEvent(event) {
  if (event.kind === 'sfu') {
    renderMedia();
    return;
  }
  if (event.kind === 'state') securityView.update(mesh, state);
  const info = state.members[event.member];
  if (!info) return;
  if (event.kind === 'state') {
    info.state = event.state;
    if (event.state !== 'connected') info.quality = null;
  } else if (event.kind === 'track') {
    view.attachRemote(event.member, event.track, event.stream);
  } else if (event.kind === 'share-track') {
    shareView.attach(event.member, event.track);
  }
  view.render();
}

// -- an SFU room: the organisation's media server --------------------------------------

const NARROW = '(max-width: 40rem)';

/** The layer of the others' video to ask for: the small one on a narrow screen or a phone. */
function wantedLayer() {
  return layerFor({ narrow: window.matchMedia(NARROW).matches, phone: isPhone(navigator.userAgent) });
}

/** The screen turned or was resized past the narrow width: ask for the layer it needs. */
function watchLayer() {
  window.matchMedia(NARROW).addEventListener('change', () => mesh?.askLayers?.());
}

/** The notices of an SFU room: media pass through the media server; it refused or is gone. */
function renderMedia() {
  const sfu = mesh?.media === 'sfu';
  $('sfu-notice').hidden = !sfu;
  const failed = $('sfu-failed');
  const reason = sfu ? mesh.failure() : null;
  let text = '';
  if (reason === 'media_server_refused') text = t('media.server_refused');
  else if (reason) text = t('media.server_unavailable');
  if (failed.textContent !== text) failed.textContent = text;
  failed.hidden = !text;
}

function onApp(message) {
  const shared = shareEvent(state, message);
  if (shared.revoked) shareView.stop(); // the facilitator took the permission back
  if (shared.changed) shareView.render();
  if (shared.granted) announce(t('share.allowed'));
  const { turn, side } = rules.appEvent(state, message, pageClock());
  if (turn) onTurn(turn);
  if (side) applySideRoom();
  view?.render();
}

// -- the private side room --------------------------------------------------------------

/** The side room changed: send to, play and show only the members on our side of it. */
function applySideRoom() {
  mesh?.setBlocked(rules.blockedSeats(state));
  renderSideRoom();
  view?.render();
}

/** The notice (a live region, so it is said when it comes): we are aside, or who is. */
function renderSideRoom() {
  const region = $('side-room');
  const side = rules.sideRoomView(state);
  let text = '';
  if (side?.inside) {
    text = t('side.inside');
  } else if (side) {
    const names = side.names.length ? side.names : [t('turn.someone')];
    const list = new Intl.ListFormat(language() === 'fr' ? 'fr-CA' : 'en', { type: 'conjunction' });
    text = t('side.outside', { name: list.format(names) });
  }
  region.dataset.side = side ? (side.inside ? 'inside' : 'outside') : 'none';
  const shown = region.firstElementChild;
  if ((shown?.textContent || '') === text) return;
  if (!text) {
    region.replaceChildren();
    return;
  }
  const notice = document.createElement('p');
  notice.className = 'notice info side-room';
  notice.textContent = text;
  region.replaceChildren(notice);
}

/** A facilitator asks to mute us: honoured only when a facilitator of the room asked. */
function onMuteRequested(message) {
  if (rules.muteRequested(state, message)) {
    setMuted(true);
    $('mute-request').hidden = false;
  }
}

/** After the facilitator's turn state: the turn lines, the hand button, what changed for us said. */
function onTurn({ placeChanged, floorGained, roundTurnGained }) {
  renderTurn();
  renderControls();
  const said = [];
  if (floorGained) said.push(t('turn.floor'));
  if (roundTurnGained) said.push(t('turn.round_mine'));
  if (placeChanged) said.push(t('turn.place', { place: state.turn.place }));
  if (said.length) announce(said.join(' '));
}

function renderTurn() {
  turns.render();
}

/** Pass our turn in the round: to the facilitators only; the button goes until the next state. */
function passTurn() {
  const event = rules.passTurn(state);
  if (!event) return;
  sendApp(event);
  renderTurn();
  $('btn-hand').focus(); // the Pass button is gone
  announce(t('turn.passed'));
}

// -- the controls ---------------------------------------------------------------------

function sendApp(event, data = {}) {
  return signaling?.send({ type: CLIENT_MESSAGE.APP, event, data });
}

function sendMediaState() {
  if (state.step !== 'session') return;
  sendApp(APP_EVENT.MEDIA_STATE, rules.mediaState(state));
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
  } else if (!devices.videoTrack && devices.hasCamera) {
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

/** The discreet safety option: tell the facilitators (only them) we cannot talk freely,
 * or take it back; the words are ordinary ones (the room's policy), said politely. */
function setSafety(on) {
  if (!signaling) return;
  sendApp(APP_EVENT.SAFETY_SIGNAL, { withdrawn: !on }); // queued while reconnecting
  state.safety = on;
  state.safetyStatus = on ? 'sent' : 'withdrawn';
  renderControls();
  announce(safetyWords(state.safetyStatus));
}

function safetyWords(key) {
  return rules.safetyText(state.safetyWording, key, state.language) || pageSafetyWords(key);
}

/** The page's own words for the option (a room without its policy's: an older app). */
function pageSafetyWords(key) {
  switch (key) {
    case 'sent': return t('safety.sent');
    case 'withdraw': return t('safety.withdraw');
    case 'withdrawn': return t('safety.withdrawn');
    default: return t('safety.option');
  }
}

function renderSafety() {
  const button = $('btn-safety');
  const label = safetyWords(state.safety ? 'withdraw' : 'option');
  if (button.textContent !== label) button.textContent = label;
  const status = $('safety-status');
  status.textContent = state.safetyStatus ? safetyWords(state.safetyStatus) : '';
  status.hidden = !state.safetyStatus;
}

function setHand(raised) {
  sendApp(rules.setHand(state, raised));
  renderTurn();
  renderControls();
  view?.render();
  announce(raised ? t('turn.raised') : t('turn.lowered'));
}

function renderControls() {
  const s = state.self;
  const noMic = !devices.audioTrack;
  const noCamera = !devices.hasCamera;
  setToggle('btn-mic', s.muted, s.muted ? t('control.unmute') : t('control.mute'), noMic);
  setToggle('btn-camera', s.cameraOff, s.cameraOff ? t('control.camera_on') : t('control.camera_off'), noCamera || state.audioOnly);
  setToggle('btn-hand', s.handRaised, s.handRaised ? t('control.lower_hand') : t('control.raise_hand'), false);
  setToggle('btn-audio-only', state.audioOnly, state.audioOnly ? t('control.video_back') : t('control.audio_only'), false);
  renderSafety();
}

/** The lobby: the camera button, the self view, and whether a facilitator sees us now. */
function renderLobby() {
  const noCamera = !devices.hasCamera;
  const off = state.self.cameraOff || !devices.videoTrack;
  setToggle('lobby-camera', off, off ? t('control.camera_on') : t('control.camera_off'), false);
  $('lobby-camera').hidden = noCamera;
  $('lobby-preview').hidden = off;
  // "the facilitator may see you through your camera": only when a camera is on, and
  // only in a room with previews (none in a relay-only room: the page says so)
  $('lobby-preview-note').hidden = off || !state.previews;
  $('lobby-no-preview').hidden = state.previews;
  $('lobby-media').hidden = state.media !== 'sfu';
  const seen = $('lobby-seen');
  let text = '';
  if (preview.isSeen()) text = t('lobby.seen');
  else if (off && !noCamera && state.previews) text = t('lobby.camera_is_off');
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
  return rules.inviteFromFragment(location.hash);
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
  $('btn-rules').addEventListener('click', showRules);
  $('lang-switch').addEventListener('click', () => setLanguage(language() === 'fr' ? 'en' : 'fr'));
  document.addEventListener('pointerdown', () => devices.wake());
  document.addEventListener('keydown', () => devices.wake());
  $('check-retry').addEventListener('click', () => openDevices());
  $('camera-select').addEventListener('change', () => openDevices($('camera-select').value, $('mic-select').value));
  $('mic-select').addEventListener('change', () => openDevices($('camera-select').value, $('mic-select').value));
  $('test-sound').addEventListener('click', () => devices.playTestSound());
  $('check-test').addEventListener('click', () => {
    showStep('test');
    testCall.show();
  });
  $('test-back').addEventListener('click', () => showStep('check'));
  $('check-continue').addEventListener('click', () => {
    state.self.cameraOff = !devices.videoTrack;
    cameraMissing = !devices.hasCamera;
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
    if (readyToKnock(state)) knock(); // else the notice says what is missing, and offers both ways
  });
  // An answer changed (the person went back to complete): the notice goes until the next try.
  $('answers-form').addEventListener('input', () => hideUnmet(state));
  $('answers-complete').addEventListener('click', () => completeUnmet(state));
  $('answers-anyway').addEventListener('click', knock);
  $('lobby-leave').addEventListener('click', () => {
    preview.close(); // the stops go out before the leave
    signaling?.leave();
  });
  $('lobby-camera').addEventListener('click', () => setCameraOff(!state.self.cameraOff));
  $('btn-mic').addEventListener('click', () => setMuted(!state.self.muted));
  $('btn-camera').addEventListener('click', () => setCameraOff(!state.self.cameraOff));
  $('btn-hand').addEventListener('click', () => setHand(!state.self.handRaised));
  $('btn-pass').addEventListener('click', passTurn);
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
  $('btn-safety').addEventListener('click', () => setSafety(!state.safety));
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
    shareView.render();
    securityView.render();
    renderCheck();
    testCall.render();
    renderQuestions(state);
    renderRules(state);
    renderConsent(state);
    renderEnd();
    renderControls();
    renderLobby();
    renderTurn();
    renderSideRoom();
    renderMedia();
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
  meterLoop(devices, state, (level) => testCall.heard(level));
  devices.watch(onDevicesChanged);
  if (testPage) {
    // The test call alone: no invite, no room, no connection to the server.
    showStep('test');
    await testCall.open();
    return;
  }
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
    cameraMissing = !devices.hasCamera;
    connect().resume(invite.room, saved.token, Math.max(0, Number(saved.grace) || 0) * 1000);
    return;
  }
  await startCheck();
}

main().catch((error) => {
  console.error('groupdesk:', error);
  end('internal');
});
