// The answers step: the page's own checklist, or the questions the room brought (in the
// page's language), and the answers the hello declares.

import { language, t } from './i18n.js';
import * as rules from './state.js';
import { CHECKS, WRITTEN, cleanAnswer } from './state.js';

const $ = (id) => document.getElementById(id);
let roomQuestions = []; // [{id, text, input, label}] when the room brought its own questions

/** The answers the hello declares, from the questions shown. */
export function declaredAnswers() {
  if (roomQuestions.length) {
    const declared = {};
    for (const question of roomQuestions) {
      if (question.input.type === 'checkbox') {
        declared[question.id] = question.input.checked;
      } else {
        const value = cleanAnswer(question.id, question.input.value);
        if (value) declared[question.id] = value;
      }
    }
    return declared;
  }
  const form = $('answers-form');
  const declared = {};
  for (const key of CHECKS) declared[key] = form.elements[key].checked;
  for (const key of Object.keys(WRITTEN)) {
    const value = cleanAnswer(key, form.elements[key].value);
    if (value) declared[key] = value;
  }
  return declared;
}

/** The question's text in the page's language (else the other one) and that language. */
function questionText(text) {
  return rules.questionText(text, language());
}

/** Ask the room's questions instead of the page's own (which stay for rooms without any). */
export function setQuestions(state, questions) {
  const usable = rules.usableQuestions(questions);
  if (!usable.length) {
    state.questions = [...CHECKS, ...Object.keys(WRITTEN)];
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

/** The room's questions in the page's language (again after a switch). */
export function renderQuestions() {
  for (const question of roomQuestions) {
    if (!question.label) continue;
    const [text, lang] = questionText(question.text);
    question.label.textContent = text;
    question.label.lang = lang;
  }
}
