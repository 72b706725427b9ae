// What every admin page shares: the frame, the admin's session and the admin sub-navigation.
import { StartPage } from '/common/layout.js';
import { AddMessages, T } from '/common/i18n.js';
import { $, h } from '/common/dom.js';
import { StaffSession } from '/staff.js';

AddMessages({
  'admin.nav': { fr: 'Administration', en: 'Administration' },
  'admin.nav.overview': { fr: 'Vue d\'ensemble', en: 'Overview' },
  'admin.nav.records': { fr: 'Fiches', en: 'Records' },
  'admin.nav.charter': { fr: 'Charte', en: 'Charter' },
  'admin.nav.committee': { fr: 'Comité et collèges', en: 'Committee and colleges' },
  'admin.nav.import': { fr: 'Import CSV', en: 'CSV import' },
  'admin.nav.messages': { fr: 'Messages envoyés', en: 'Sent messages' },
});

const kPages = [['overview', '/admin/'], ['records', '/admin/fiches.html'], ['charter', '/admin/charte.html'],
  ['committee', '/admin/comite.html'], ['import', '/admin/import.html'], ['messages', '/admin/messages.html']];

// Resolves with {settings, principal} once an admin is signed in (`need` 'committee': an
// admin or an active committee member, who reads the page without the admin's menu).
export async function StartAdmin(title, active, { need = 'admin' } = {}) {
  const settings = await StartPage({ site: 'node', title, active: 'admin' });
  const content = $('#content');
  const principal = await StaffSession(content, need);
  if (principal.account.role !== 'admin') return { settings, principal, content };
  content.before(h('nav', { class: 'subnav', 'aria-label': T('admin.nav') }, h('ul', {},
    kPages.map(([key, href]) => h('li', {}, h('a', { href, 'aria-current': key === active ? 'page' : null, text: T(`admin.nav.${key}`) }))))));
  return { settings, principal, content };
}
