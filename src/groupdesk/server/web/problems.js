// What each problem says, as [title, text]: the end of a visit, and the device check.

import { t } from './i18n.js';

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
};
/** Problems that a new try may solve (the page offers "Try again"). */
export const RETRY = new Set(['unreachable', 'resume_expired', 'internal', 'too_many_attempts']);
export const DEVICE_PROBLEMS = {
  denied: () => [t('device.denied.title'), t('device.denied.text')],
  no_camera: () => [t('device.no_camera.title'), t('device.no_camera.text')],
  no_microphone: () => [t('device.no_microphone.title'), t('device.no_microphone.text')],
  no_devices: () => [t('device.no_devices.title'), t('device.no_devices.text')],
  in_use: () => [t('device.in_use.title'), t('device.in_use.text')],
  unsupported: () => [t('device.unsupported.title'), t('device.unsupported.text')],
  insecure: () => [t('device.insecure.title'), t('device.insecure.text')],
};
