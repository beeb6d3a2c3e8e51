// The group's rules: the room's text, shown on the answers step before the person agrees
// to them, and during the session behind the "Group rules" button (a dialog).

import { language } from './i18n.js';
import { questionText, usableRules } from './state.js';

const $ = (id) => document.getElementById(id);

/** Keep the room's rules (from `room_info`) and show them; none: nothing is shown. */
export function setRules(state, rules) {
  state.rules = usableRules(rules);
  renderRules(state);
}

/** The rules in the page's language (else the other one), where they are shown. */
export function renderRules(state) {
  const has = state.rules !== null;
  $('answers-rules').hidden = !has;
  $('btn-rules').hidden = !has;
  if (!has) return;
  const [text, lang] = questionText(state.rules, language());
  for (const id of ['answers-rules-text', 'rules-dialog-text']) {
    $(id).textContent = text;
    $(id).lang = lang;
  }
}

/** Open the rules during the session (Escape or Close closes them). */
export function showRules() {
  const dialog = $('rules-dialog');
  if (!dialog.open) dialog.showModal();
}
