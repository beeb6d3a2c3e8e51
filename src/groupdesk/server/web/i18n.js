// The page's strings in French and English (strings.json), chosen from the browser's
// language and switchable. HTML elements name their string with data-i18n (text),
// data-i18n-label (aria-label) or data-i18n-placeholder.

const LANGUAGES = ['fr', 'en'];
const HTML_LANG = { fr: 'fr-CA', en: 'en' };
let tables = { fr: {}, en: {} };
let current = 'en';
const listeners = [];

export async function loadStrings() {
  const response = await fetch('/web/strings.json', { cache: 'no-cache' });
  if (!response.ok) throw new Error(`strings: HTTP ${response.status}`);
  tables = await response.json();
}

export function browserLanguage() {
  let saved = null;
  try {
    saved = sessionStorage.getItem('groupdesk.lang');
  } catch {
    saved = null;
  }
  if (LANGUAGES.includes(saved)) return saved;
  for (const tag of navigator.languages || [navigator.language || '']) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

export function language() {
  return current;
}

export function setLanguage(lang) {
  current = LANGUAGES.includes(lang) ? lang : 'en';
  try {
    sessionStorage.setItem('groupdesk.lang', current);
  } catch {
    // Storage may be off (private mode): the choice then lasts for this page only.
  }
  applyStrings(document);
  for (const listener of listeners) listener(current);
}

export function onLanguageChange(listener) {
  listeners.push(listener);
}

/** The text of `key` in the current language, with {name} placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const text = tables[current]?.[key] ?? tables.en?.[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in vars ? String(vars[name]) : match));
}

export function applyStrings(root) {
  document.documentElement.lang = HTML_LANG[current];
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  }
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) {
    el.setAttribute('placeholder', t(el.dataset.i18nPlaceholder));
  }
  const other = current === 'fr' ? 'en' : 'fr';
  const switcher = document.getElementById('lang-switch');
  if (switcher) {
    switcher.lang = HTML_LANG[other];
    switcher.textContent = t('lang.other');
  }
}
