// Charter versions: the one in force, every earlier one, and publishing a new version (which
// asks every initiative on an older version to re-adhere within the period).
import { AddMessages, FormatDate, T } from '/common/i18n.js';
import { h, MarkReady, Replace } from '/common/dom.js';
import { Get, Post } from '/common/api.js';
import { ClearErrors, ShowApiError } from '/common/forms.js';
import { StartAdmin } from '/admin/admin.js';

AddMessages({
  'admin.title.charter': { fr: 'Charte régionale', en: 'Regional charter' },
  'charter.current': { fr: 'Version en vigueur : n° {version} du {date}', en: 'Version in force: #{version} of {date}' },
  'charter.none.yet': { fr: 'Aucune charte publiée : les inscriptions attendent la première version.', en: 'No charter published: registrations wait for the first version.' },
  'charter.versions': { fr: 'Versions publiées', en: 'Published versions' },
  'charter.version': { fr: 'Version {version} du {date} (réadhésion sous {days} jours)', en: 'Version {version} of {date} (re-adherence within {days} days)' },
  'charter.publish': { fr: 'Publier une nouvelle version', en: 'Publish a new version' },
  'charter.publish.lead': {
    fr: 'La publication est journalisée et signée. Chaque initiative adhérant à une version antérieure est invitée à réadhérer dans le délai.',
    en: 'Publishing is journalled and signed. Every initiative on an earlier version is asked to re-adhere within the period.',
  },
  'charter.text': { fr: 'Texte de la charte', en: 'Text of the charter' },
  'charter.days': { fr: 'Délai de réadhésion (jours)', en: 'Re-adherence period (days)' },
  'charter.days.hint': { fr: 'De 1 à 730 jours.', en: '1 to 730 days.' },
  'charter.submit': { fr: 'Publier la version', en: 'Publish the version' },
  'charter.published': { fr: 'Version {version} publiée ; {count} initiative(s) invitée(s) à réadhérer.', en: 'Version {version} published; {count} initiative(s) asked to re-adhere.' },
});

const { content } = await StartAdmin('admin.title.charter', 'charter');
const notice = h('p', { class: 'notice', role: 'status', id: 'charter-notice' });
const versionsBox = h('div', {});

async function RenderVersions() {
  const { versions } = await Get('/api/charter/versions');
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  const current = sorted[0];
  Replace(versionsBox,
    current ? h('p', { class: 'summary', id: 'charter-current', text: T('charter.current', { version: current.version, date: FormatDate(current.published_at) }) })
      : h('p', { class: 'notice warning', text: T('charter.none.yet') }),
    sorted.length ? [h('h2', { text: T('charter.versions') }), sorted.map((c, i) => h('details', { open: i === 0 },
      h('summary', { text: T('charter.version', { version: c.version, date: FormatDate(c.published_at), days: c.readhesion_days }) }),
      h('div', { class: 'charter-text', tabindex: '0', role: 'region', 'aria-label': T('charter.version', { version: c.version, date: FormatDate(c.published_at), days: c.readhesion_days }), text: c.text })))] : null);
}

const form = h('form', { id: 'charter-form', novalidate: true },
  h('p', { class: 'form-alert', role: 'alert', tabindex: '-1' }),
  h('div', { class: 'field' },
    h('label', { for: 'charter-text', text: T('charter.text') }),
    h('textarea', { id: 'charter-text', name: 'text', 'data-field': 'text', maxlength: '60000', rows: '12', required: true })),
  h('div', { class: 'field' },
    h('label', { for: 'charter-days', text: T('charter.days') }),
    h('input', { id: 'charter-days', name: 'readhesion_days', 'data-field': 'readhesion_days', type: 'number', min: '1', max: '730', value: '90', 'aria-describedby': 'charter-days-hint' }),
    h('span', { id: 'charter-days-hint', class: 'hint', text: T('charter.days.hint') })),
  h('button', { type: 'submit', text: T('charter.submit') }));
form.addEventListener('submit', async (e) => {
  e.preventDefault();
  ClearErrors(form);
  try {
    const published = await Post('/api/admin/charter', {
      text: form.elements.text.value, readhesion_days: Number(form.elements.readhesion_days.value),
    });
    form.reset();
    await RenderVersions();
    notice.className = 'notice success';
    notice.textContent = T('charter.published', { version: published.version, count: published.readhesions_asked });
  } catch (error) { ShowApiError(form, error); }
});

Replace(content, notice, versionsBox,
  h('section', { class: 'card', 'aria-labelledby': 'publish-title' },
    h('h2', { id: 'publish-title', text: T('charter.publish') }),
    h('p', { class: 'hint', text: T('charter.publish.lead') }), form));
await RenderVersions();
MarkReady();
