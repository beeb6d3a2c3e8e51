// GENERATED from core/protocol.py by `python -m groupdesk.server.web_protocol --write` — do not edit.
// Sources: core/protocol.py, core/refusals.py, core/call_quality.py and the
// participant_checklist default of resources/checklists/participant.json.

export const PROTOCOL_VERSION = 1;

// Limits the server enforces (characters, items).
export const MAX_MESSAGE_CHARS = 65536;
export const MAX_CHAT_CHARS = 2000;
export const MAX_DISPLAY_NAME_CHARS = 64;
export const MAX_DECLARED_ITEMS = 32;
export const MAX_DECLARED_VALUE_CHARS = 500;
export const MAX_APP_DATA_CHARS = 4096;
export const MAX_QUESTIONS = 16;
export const MAX_QUESTION_CHARS = 300;
export const MAX_RULES_CHARS = 8000;

// Message types, by direction.
export const CLIENT_MESSAGE = Object.freeze({
  ADMIT: 'admit',
  APP: 'app',
  CHAT: 'chat',
  DECLINE: 'decline',
  END_ROOM: 'end_room',
  HELLO: 'hello',
  INQUIRE: 'inquire',
  JOIN_ROOM: 'join_room',
  LEAVE: 'leave',
  OPEN_ROOM: 'open_room',
  REMOVE: 'remove',
  REQUEST_MUTE: 'request_mute',
  RESUME: 'resume',
  SFU: 'sfu',
  SIGNAL: 'signal',
  UPLINK: 'uplink',
});
export const SERVER_MESSAGE = Object.freeze({
  ADMITTED: 'admitted',
  APP: 'app',
  CHAT: 'chat',
  DECLINED: 'declined',
  ERROR: 'error',
  LOBBY: 'lobby',
  MEDIA: 'media',
  MEMBER_JOINED: 'member_joined',
  MEMBER_LEFT: 'member_left',
  MUTE_REQUESTED: 'mute_requested',
  REMOVED: 'removed',
  ROOM_ENDED: 'room_ended',
  ROOM_INFO: 'room_info',
  ROOM_OPENED: 'room_opened',
  SFU: 'sfu',
  SIGNAL: 'signal',
  WAITING: 'waiting',
  WELCOME: 'welcome',
});
// Server messages after which nothing more comes for the seat.
export const FINAL_SERVER_MESSAGES = new Set(['declined', 'removed', 'room_ended']);

// App events: any member's, and the facilitators' only (controls).
export const APP_EVENT = Object.freeze({
  LOWER_HAND: 'lower_hand',
  MEDIA_STATE: 'media_state',
  PASS_TURN: 'pass_turn',
  RAISE_HAND: 'raise_hand',
  REACTION: 'reaction',
  SAFETY_SIGNAL: 'safety_signal',
  SHARE: 'share',
  SHARE_PERMISSION: 'share_permission',
  SIDE_ROOM: 'side_room',
  TURN_COMMAND: 'turn_command',
  TURN_STATE: 'turn_state',
  TURN_SYNC: 'turn_sync',
});
export const APP_EVENTS_FOR_ANYONE = new Set(['lower_hand', 'media_state', 'pass_turn', 'raise_hand', 'reaction', 'safety_signal', 'share']);
export const APP_EVENTS_FOR_FACILITATORS = new Set(['share_permission', 'side_room', 'turn_command', 'turn_state', 'turn_sync']);
export const PREVIEW_SIGNAL_PREFIX = 'preview.';

// Error codes, and what a refused client does next.
export const ERROR_CODE = Object.freeze({
  ADDRESS_RATE_LIMITED: 'address_rate_limited',
  BAD_CREDENTIAL: 'bad_credential',
  BAD_INVITE: 'bad_invite',
  BAD_JSON: 'bad_json',
  BAD_MESSAGE: 'bad_message',
  CONTROL_REFUSED: 'control_refused',
  CREDENTIAL_REVOKED: 'credential_revoked',
  INTERNAL: 'internal',
  INVITE_EXPIRED: 'invite_expired',
  LOBBY_ADDRESS_FULL: 'lobby_address_full',
  MEDIA_SERVER_REFUSED: 'media_server_refused',
  MEDIA_SERVER_UNAVAILABLE: 'media_server_unavailable',
  NOT_ADMITTED: 'not_admitted',
  NOT_AUTHENTICATED: 'not_authenticated',
  NOT_FACILITATOR: 'not_facilitator',
  NOT_SFU: 'not_sfu',
  OUT_OF_ORDER: 'out_of_order',
  RATE_LIMITED: 'rate_limited',
  RESUME_EXPIRED: 'resume_expired',
  ROOM_ENDED: 'room_ended',
  ROOM_FULL: 'room_full',
  SERVER_FULL: 'server_full',
  SIGN_IN_BUSY: 'sign_in_busy',
  SIGN_IN_TIMEOUT: 'sign_in_timeout',
  TOO_LARGE: 'too_large',
  TOO_MANY_ATTEMPTS: 'too_many_attempts',
  TOO_MANY_CONNECTIONS: 'too_many_connections',
  UNKNOWN_MEMBER: 'unknown_member',
  UNSUPPORTED_VERSION: 'unsupported_version',
  UPLINK_NOT_WATCHED: 'uplink_not_watched',
});
// a refusal of hello or resume that ends the visit
export const FINAL_ERROR_CODES = new Set(['bad_invite', 'invite_expired', 'resume_expired', 'room_ended', 'room_full', 'too_many_attempts', 'unsupported_version']);
// the server or the network address is busy: the same try may pass in a few minutes
export const RETRY_LATER_ERROR_CODES = new Set(['address_rate_limited', 'lobby_address_full', 'rate_limited', 'server_full', 'sign_in_busy', 'sign_in_timeout', 'too_many_connections']);
// answers to inquire that end the visit before the device check
export const INVITE_ERROR_CODES = new Set(['bad_invite', 'invite_expired', 'room_ended', 'too_many_attempts']);

// Ids, matched whole.
export const MEMBER_ID = /^(?:[0-9a-f]{12})$/;
export const ROOM_ID = /^(?:[A-Za-z0-9_-]{8,32})$/;
export const TOKEN = /^(?:[A-Za-z0-9_-]{16,128})$/;
export const QUESTION_ID = /^(?:[a-z0-9_]{1,32})$/;
export const DECLARED_KEY = /^(?:[a-z0-9_]{1,64})$/;
export const CONSENT_VERSION = /^(?:[A-Za-z0-9][A-Za-z0-9._-]{0,39})$/;

// A link's quality bars, and when a member's video counts as frozen.
export const QUALITY = Object.freeze({
  LOSS_GOOD_BELOW: 0.02,
  LOSS_FAIR_BELOW: 0.08,
  RTT_GOOD_BELOW_S: 0.3,
  RTT_FAIR_BELOW_S: 0.6,
});
export const FROZEN_AFTER_MS = 3000;
// When the page suggests audio only (smoothed, with hysteresis).
export const ADVICE = Object.freeze({
  SMOOTHING_S: 4.0,
  SHOW_LOSS: 0.05,
  SHOW_RTT_S: 0.5,
  SHOW_AFTER_S: 6.0,
  HIDE_AFTER_S: 15.0,
});

// How a question is answered, and the key of the consent's version in `declared`.
export const QUESTION_KINDS = Object.freeze(['tick', 'text', 'phone', 'location']);
export const CONSENT_ANSWER = 'remote_consent';
// What a member may share: a screen, a window, a document.
export const SHARE_KINDS = Object.freeze(['screen', 'window', 'document']);
// Which of a member's publications an `sfu` message is about (SFU rooms).
export const SFU_TRACKS = Object.freeze(['camera', 'share']);
// What a participant answers before admission when the room asks nothing of its own.
export const DEFAULT_QUESTIONS = Object.freeze([
  Object.freeze({"id": "private_place", "kind": "tick", "required": true, "text": {"en": "I am in a private place", "fr_CA": "Je suis dans un endroit privé"}}),
  Object.freeze({"id": "alone", "kind": "tick", "required": true, "text": {"en": "I am alone, or nobody can hear what is said", "fr_CA": "Je suis seul ou seule, ou personne ne peut entendre ce qui se dit"}}),
  Object.freeze({"id": "headphones", "kind": "tick", "required": false, "text": {"en": "I am wearing headphones (if I have some)", "fr_CA": "Je porte des écouteurs (si j'en ai)"}}),
  Object.freeze({"id": "no_recording", "kind": "tick", "required": true, "text": {"en": "I will not record, photograph or take screenshots of the session", "fr_CA": "Je n'enregistrerai pas la rencontre et je ne prendrai ni photo ni capture d'écran"}}),
  Object.freeze({"id": "group_rules", "kind": "tick", "required": true, "text": {"en": "I have read the group rules and I agree to them", "fr_CA": "J'ai lu les règles du groupe et je les accepte"}}),
  Object.freeze({"id": "location", "kind": "location", "required": true, "text": {"en": "Where are you now? Your address, or at least the city and region (for an emergency)", "fr_CA": "Où êtes-vous en ce moment? Votre adresse, ou au moins la ville et la région (en cas d'urgence)"}}),
  Object.freeze({"id": "phone", "kind": "phone", "required": true, "text": {"en": "A phone number to call you if the connection fails", "fr_CA": "Un numéro de téléphone pour vous appeler si la connexion coupe"}}),
  Object.freeze({"id": "emergency_contact", "kind": "text", "required": false, "text": {"en": "Someone to contact in an emergency: name and phone number (optional)", "fr_CA": "Une personne à joindre en cas d'urgence : nom et numéro de téléphone (facultatif)"}}),
]);
export const DEFAULT_CHECKLIST_IDS = Object.freeze(DEFAULT_QUESTIONS.map((q) => q.id));
