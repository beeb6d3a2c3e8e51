// The chat: with the whole group, or privately with the facilitator.

import { t } from './i18n.js';
import { CLIENT_MESSAGE, MAX_CHAT_CHARS } from './protocol.js';

const $ = (id) => document.getElementById(id);

/** Open or fold the chat panel (folded on phones when the session starts). */
export function showChat(state, open) {
  $('chat').hidden = !open;
  $('btn-chat').setAttribute('aria-expanded', open ? 'true' : 'false');
  if (open) state.chat.unread = 0;
  renderChatButton(state);
  if (open) $('chat-input').focus();
}

export function renderChatButton(state) {
  const unread = state.chat.unread;
  $('btn-chat').textContent = unread ? t('chat.unread', { count: unread }) : t('chat.toggle');
}

/** "The facilitator only" can be chosen while a facilitator is in the room. */
export function updateChatTargets(state) {
  const hasFacilitator = Object.values(state.members).some((m) => m.role === 'facilitator');
  const option = $('chat-to').querySelector('option[value="facilitator"]');
  option.disabled = !hasFacilitator;
  if (!hasFacilitator && $('chat-to').value === 'facilitator') $('chat-to').value = '';
}

/** Send what is typed; returns [text, private] for the log, or null if nothing was sent. */
export function sendChat(state, signaling) {
  const input = $('chat-input');
  const text = input.value.trim().slice(0, MAX_CHAT_CHARS);
  if (!text || !signaling) return null;
  const message = { type: CLIENT_MESSAGE.CHAT, text };
  let isPrivate = false;
  if ($('chat-to').value === 'facilitator') {
    const facilitator = Object.entries(state.members).find(([, m]) => m.role === 'facilitator');
    if (facilitator) {
      message.to = facilitator[0];
      isPrivate = true;
    }
  }
  signaling.send(message);
  state.chat.sent += 1;
  input.value = '';
  return [text, isPrivate];
}
