// French first, English available. Pages mark text with data-i18n="key" (text content),
// data-i18n-attr="attr:key,attr:key" (attributes); scripts call T('key', {vars}). The
// language is ?lang=, then the saved choice, then French.

const dictionaries = { fr: {}, en: {} };

export function AddMessages(messages) {
  for (const [key, value] of Object.entries(messages)) {
    dictionaries.fr[key] = value.fr;
    dictionaries.en[key] = value.en ?? value.fr;
  }
}

export function Language() {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'fr' || asked === 'en') localStorage.setItem('lang', asked);
  const saved = localStorage.getItem('lang');
  return saved === 'en' ? 'en' : 'fr';
}

export function T(key, vars = {}) {
  const text = dictionaries[Language()][key] ?? dictionaries.fr[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

export function Translate(root = document) {
  document.documentElement.lang = Language();
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = T(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(',')) {
      const [attr, key] = pair.split(':');
      el.setAttribute(attr.trim(), T(key.trim()));
    }
  }
}

// A link that switches language and keeps the page.
export function LanguageSwitch() {
  const a = document.createElement('a');
  const other = Language() === 'fr' ? 'en' : 'fr';
  const url = new URL(location.href);
  url.searchParams.set('lang', other);
  a.href = url.toString();
  a.textContent = other === 'en' ? 'English' : 'Français';
  a.lang = other;
  a.className = 'language-switch';
  return a;
}

export function FormatDate(iso) {
  if (!iso) return '';
  return new Date(iso).toLocaleDateString(Language() === 'en' ? 'en-GB' : 'fr-FR',
    { year: 'numeric', month: 'long', day: 'numeric' });
}

export function FormatNumber(n) {
  return new Intl.NumberFormat(Language() === 'en' ? 'en-GB' : 'fr-FR').format(n);
}

// Escapes text for the rare places that build HTML strings (prefer textContent).
export function Escape(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
