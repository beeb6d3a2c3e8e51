// What each problem says, as [title, text]: the end of a visit, and the device check.

import { t } from './i18n.js';
import { RETRY_LATER_ERROR_CODES } from './protocol.js';

// Every message of the end step and of the device check, as [title, text].
export const PROBLEMS = {
  bad_link: () => [t('problem.bad_link.title'), t('problem.bad_link.text')],
  bad_invite: () => [t('problem.bad_invite.title'), t('problem.bad_invite.text')],
  invite_expired: () => [t('problem.invite_expired.title'), t('problem.invite_expired.text')],
  room_ended: () => [t('problem.room_ended.title'), t('problem.room_ended.text')],
  declined: () => [t('problem.declined.title'), t('problem.declined.text')],
  removed: () => [t('problem.removed.title'), t('problem.removed.text')],
  room_full: () => [t('problem.room_full.title'), t('problem.room_full.text')],
  resume_expired: () => [t('problem.resume_expired.title'), t('problem.resume_expired.text')],
  unreachable: () => [t('problem.unreachable.title'), t('problem.unreachable.text')],
  too_many_attempts: () => [t('problem.too_many_attempts.title'), t('problem.too_many_attempts.text')],
  unsupported: () => [t('problem.unsupported.title'), t('problem.unsupported.text')],
  internal: () => [t('problem.internal.title'), t('problem.internal.text')],
  left: () => [t('problem.left.title'), t('problem.left.text')],
  // The server, or the network the person is on, is busy: a try in a few minutes may pass.
  // (sign_in_busy and sign_in_timeout answer facilitators' sign-ins only; a participant
  // never meets them, nor control_refused: the page sends no control.)
  server_full: () => [t('problem.server_full.title'), t('problem.server_full.text')],
  too_many_connections: () => [t('problem.too_many_connections.title'), t('problem.too_many_connections.text')],
  address_rate_limited: () => [t('problem.address_rate_limited.title'), t('problem.address_rate_limited.text')],
  lobby_address_full: () => [t('problem.lobby_address_full.title'), t('problem.lobby_address_full.text')],
};
PROBLEMS.rate_limited = PROBLEMS.address_rate_limited; // one socket or the network's: the same advice
/** Problems that a new try may solve (the page offers "Try again"). */
export const RETRY = new Set([
  'unreachable', 'resume_expired', 'internal', 'too_many_attempts', ...RETRY_LATER_ERROR_CODES,
]);
export const DEVICE_PROBLEMS = {
  // The blocked ones come with the steps to allow them (check.js, platform.js).
  denied: () => [t('device.denied.title'), t('device.denied.text')],
  camera_denied: () => [t('device.camera_denied.title'), t('device.camera_denied.text')],
  microphone_denied: () => [t('device.microphone_denied.title'), t('device.microphone_denied.text')],
  no_camera: () => [t('device.no_camera.title'), t('device.no_camera.text')],
  no_microphone: () => [t('device.no_microphone.title'), t('device.no_microphone.text')],
  no_devices: () => [t('device.no_devices.title'), t('device.no_devices.text')],
  in_use: () => [t('device.in_use.title'), t('device.in_use.text')],
  unsupported: () => [t('device.unsupported.title'), t('device.unsupported.text')],
  insecure: () => [t('device.insecure.title'), t('device.insecure.text')],
};
