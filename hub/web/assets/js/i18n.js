// One message table per language (assets/messages/<lang>.json, flat key → text, the
// same keys in each). Chinese first; English when the browser prefers it or the user
// chose it (localStorage "yz.lang").

export const LANGUAGES = ['zh-CN', 'en'];
const STORE_KEY = 'yz.lang';

let table = {};
let current = 'zh-CN';

export function pickLanguage() {
  try {
    const stored = localStorage.getItem(STORE_KEY);
    if (LANGUAGES.includes(stored)) return stored;
  } catch {
    /* storage disabled: fall through */
  }
  for (const l of navigator.languages || [navigator.language || '']) {
    const low = String(l).toLowerCase();
    if (low.startsWith('zh')) return 'zh-CN';
    if (low.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

export async function loadLanguage(lang) {
  const res = await fetch(`/assets/messages/${lang}.json`, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`messages ${lang}: HTTP ${res.status}`);
  table = await res.json();
  current = lang;
  document.documentElement.lang = lang;
}

export function setLanguage(lang) {
  try {
    localStorage.setItem(STORE_KEY, lang);
  } catch {
    /* not kept: the choice lasts this page */
  }
}

export function language() {
  return current;
}

export function has(key) {
  return Object.prototype.hasOwnProperty.call(table, key);
}

// t('queue.count', {n: 3}) → the text with {n} replaced; an unknown key shows itself.
export function t(key, params) {
  let text = has(key) ? table[key] : key;
  if (params) text = text.replace(/\{(\w+)\}/g, (m, p) => (p in params ? String(params[p]) : m));
  return text;
}

// A label for a data value (a status id, an event type…): the table's text when it
// has one, else the fallback (usually the server's label or the raw id).
export function label(prefix, id, fallback) {
  const key = `${prefix}.${id}`;
  if (has(key)) return t(key);
  return fallback !== undefined && fallback !== null && fallback !== '' ? String(fallback) : String(id);
}

// A list of values joined the way the language writes lists (、 or , ).
export function list(items) {
  return items.filter((x) => x !== '' && x !== null && x !== undefined).join(t('common.list_sep'));
}

export function keys(prefix) {
  return Object.keys(table).filter((k) => k.startsWith(prefix));
}
