// The answers step: the questions the room brought, or the page's own (DEFAULT_QUESTIONS),
// each asked by its kind (a tick, words, a phone number, where one is now) in the page's
// language; the consent to taking part remotely when the room brought one; what the
// hello declares; and the notice that names the required answers still missing.

import { language, t } from './i18n.js';
import * as rules from './state.js';
import { FIELDS } from './state.js';

const $ = (id) => document.getElementById(id);
let asked = []; // [{question, input, label}]: what the step asks, in order

/** Ask the room's questions, or the page's own when it brought none (one way for both). */
export function setQuestions(state, roomQuestions) {
  const { questions, from } = rules.questionsToAsk(roomQuestions);
  const ticks = $('answers-ticks');
  const fields = $('answers-fields');
  ticks.replaceChildren();
  fields.replaceChildren();
  asked = questions.map((question) => {
    const made = question.kind === 'tick' ? tickFor(question) : fieldFor(question);
    (question.kind === 'tick' ? ticks : fields).append(made.element);
    return { question, input: made.input, label: made.label };
  });
  $('answers-checks').hidden = !questions.some((q) => q.kind === 'tick');
  $('answers-required-intro').hidden = !questions.some((q) => q.required);
  state.questions = questions.map((q) => q.id);
  state.questionsFrom = from;
  renderQuestions(state);
}

/** A tick: a checkbox with the question's text (and the "required" mark) as its label. */
function tickFor(question) {
  const element = document.createElement('label');
  element.className = 'check';
  const input = document.createElement('input');
  input.type = 'checkbox';
  const body = document.createElement('span'); // the text, then its mark, wrapped together
  const label = document.createElement('span');
  body.append(label);
  element.append(input, ' ', body);
  finish(question, input, body);
  return { element, input, label };
}

/** Words: a field of the question's kind (a newer app's unknown kind: text). */
function fieldFor(question) {
  const spec = FIELDS[question.kind] || FIELDS.text;
  const element = document.createElement('div');
  element.className = 'field';
  const label = document.createElement('label');
  const text = document.createElement('span');
  label.append(text);
  const input = document.createElement('input');
  input.type = spec.type;
  input.maxLength = spec.max;
  input.autocomplete = spec.autocomplete;
  label.htmlFor = `question-${question.id}`;
  element.append(label);
  if (spec.askedEachTime) {
    const hint = document.createElement('p');
    hint.className = 'hint';
    hint.id = `question-${question.id}-hint`;
    hint.dataset.i18n = 'answers.location_hint';
    hint.textContent = t('answers.location_hint');
    input.setAttribute('aria-describedby', hint.id);
    element.append(hint);
  }
  element.append(input);
  finish(question, input, label);
  return { element, input, label: text };
}

/** The input's name and id, and the "required" mark (read out by aria-required). */
function finish(question, input, labelElement) {
  input.id = `question-${question.id}`;
  input.name = question.id;
  input.dataset.kind = question.kind;
  if (!question.required) return;
  input.setAttribute('aria-required', 'true');
  const mark = document.createElement('span');
  mark.className = 'required';
  mark.setAttribute('aria-hidden', 'true'); // aria-required says it to a screen reader
  mark.dataset.i18n = 'answers.required';
  mark.textContent = t('answers.required');
  labelElement.append(' ', mark);
}

/** The questions (and the notice's list) in the page's language, again after a switch. */
export function renderQuestions(state) {
  for (const { question, label } of asked) {
    const [text, lang] = rules.questionText(question.text, language());
    label.textContent = text;
    label.lang = lang;
  }
  renderUnmet(state);
}

// -- the consent to taking part remotely ----------------------------------------------

/** Keep the room's consent text (from `room_info`) and offer it; none: nothing shown. */
export function setConsent(state, consent) {
  state.consent = rules.usableConsent(consent);
  const box = $('consent-agree');
  box.checked = false;
  box.disabled = !state.consent;
  renderConsent(state);
}

/** The consent text in the page's language (else the other one). */
export function renderConsent(state) {
  $('answers-consent').hidden = !state.consent;
  if (!state.consent) return;
  const [text, lang] = rules.questionText(state.consent.text, language());
  $('consent-text').textContent = text;
  $('consent-text').lang = lang;
}

// -- what the hello declares ----------------------------------------------------------

/** The answers the hello declares, from what the step shows now. */
export function declaredAnswers(state) {
  const values = {};
  for (const { question, input } of asked) values[question.id] = input.type === 'checkbox' ? input.checked : input.value;
  const agreed = state.consent && $('consent-agree').checked ? state.consent.version : null;
  return rules.declaredAnswers(asked.map((a) => a.question), values, agreed);
}

/**
 * "Ask to join" was pressed: true when the person may knock now (every required answer
 * given); else the notice names what is missing, says what the facilitator may do, and
 * offers to go back or to ask anyway (it never blocks), and takes the focus.
 */
export function readyToKnock(state) {
  const unmet = rules.unmetRequired(asked.map((a) => a.question), declaredAnswers(state));
  state.unmet = unmet.map((q) => q.id);
  renderUnmet(state);
  if (!unmet.length) return true;
  $('answers-unmet').focus();
  return false;
}

/** The notice goes (the person went back to complete, or changed an answer). */
export function hideUnmet(state) {
  if (!state.unmet.length) return;
  state.unmet = [];
  renderUnmet(state);
}

/** Go back from the notice to the first required answer still missing. */
export function completeUnmet(state) {
  const first = asked.find((a) => a.question.id === state.unmet[0]);
  hideUnmet(state);
  (first ? first.input : $('answers-title')).focus();
}

/** The notice: shown while it names required answers, each in the page's language. */
function renderUnmet(state) {
  const ids = state.unmet;
  const notice = $('answers-unmet');
  notice.hidden = !ids.length;
  const list = $('answers-unmet-list');
  list.replaceChildren(...ids.map((id) => {
    const item = document.createElement('li');
    const found = asked.find((a) => a.question.id === id);
    const [text, lang] = rules.questionText(found.question.text, language());
    item.textContent = text;
    item.lang = lang;
    return item;
  }));
}
