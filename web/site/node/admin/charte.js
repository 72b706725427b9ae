// Charter versions: the one in force, every earlier one, and publishing a new version (which
// asks every initiative on an older version to re-adhere within the period). A new text goes
// through a preview first: the text as it will read, a word-level comparison with the version
// in force (common/word_diff.js), and how many listings will be asked to re-adhere
// (POST /api/admin/charter/preview); publishing then confirms that count (confirm_listings:
// the node refuses with 409 when it changed meanwhile, and the page previews again).
import { AddMessages, FormatDate, T } from '/common/i18n.js';
import { h, MarkReady, Replace } from '/common/dom.js';
import { Get, Post } from '/common/api.js';
import { ClearErrors, ShowApiError } from '/common/forms.js';
import { WordDiff } from '/common/word_diff.js';
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
  'charter.preview': { fr: 'Prévisualiser', en: 'Preview' },
  'charter.preview.title': { fr: 'Prévisualisation de la version {version}', en: 'Preview of version {version}' },
  'charter.preview.text': { fr: 'Le texte tel qu\'il sera publié', en: 'The text as it will be published' },
  'charter.preview.diff': { fr: 'Changements par rapport à la version {version} en vigueur', en: 'Changes from version {version} in force' },
  'charter.preview.diff.legend': { fr: 'Texte barré sur fond rose : retiré ; texte sur fond vert : ajouté.', en: 'Struck-through text on pink: removed; text on green: added.' },
  'charter.preview.deleted': { fr: 'retiré', en: 'removed' },
  'charter.preview.inserted': { fr: 'ajouté', en: 'added' },
  'charter.preview.first': { fr: 'Première version : aucune fiche n\'a encore adhéré, aucune ne sera sollicitée.', en: 'First version: no listing has adhered yet, none will be asked.' },
  'charter.preview.count': {
    fr: 'Publier cette version demandera à {count} fiche(s) d\'adhérer de nouveau dans les {days} jours, avec un message et un lien privé à leur contact.',
    en: 'Publishing this version will ask {count} listing(s) to re-adhere within {days} days, with a message and a private link to their contact.',
  },
  'charter.confirm': { fr: 'Publier et demander la réadhésion de {count} fiche(s)', en: 'Publish and ask {count} listing(s) to re-adhere' },
  'charter.confirm.first': { fr: 'Publier la première version', en: 'Publish the first version' },
  'charter.back': { fr: 'Revenir au texte', en: 'Back to the text' },
  'charter.count_changed': { fr: 'Le nombre de fiches a changé depuis la prévisualisation : vérifiez le nouveau nombre avant de confirmer.', en: 'The number of listings changed since the preview: check the new number before confirming.' },
  'charter.published': { fr: 'Version {version} publiée ; {count} initiative(s) invitée(s) à réadhérer.', en: 'Version {version} published; {count} initiative(s) asked to re-adhere.' },
});

const { content } = await StartAdmin('admin.title.charter', 'charter');
const notice = h('p', { class: 'notice', role: 'status', id: 'charter-notice' });
const versionsBox = h('div', {});
let current = null;  // the version in force, once read

async function RenderVersions() {
  const { versions } = await Get('/api/charter/versions');
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  current = sorted[0] ?? null;
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
  h('button', { type: 'submit', id: 'charter-preview', text: T('charter.preview') }));
const previewBox = h('section', { class: 'card', id: 'charter-preview-box', 'aria-labelledby': 'preview-title', hidden: true });

function Draft() {
  return { text: form.elements.text.value, readhesion_days: Number(form.elements.readhesion_days.value) };
}

// The preview of `draft` as the node counts it; the confirmation button publishes with it.
function ShowPreview(draft, preview) {
  const days = draft.readhesion_days;
  const first = preview.current_version === 0;
  const count = preview.listings_to_readhere;
  const alert = h('p', { class: 'form-alert', role: 'alert', tabindex: '-1' });
  const confirm = h('button', {
    type: 'button', id: 'charter-confirm', text: first ? T('charter.confirm.first') : T('charter.confirm', { count }),
    onclick: async () => {
      try {
        const published = await Post('/api/admin/charter', { ...draft, confirm_listings: count });
        form.reset();
        previewBox.hidden = true;
        form.hidden = false;
        await RenderVersions();
        notice.className = 'notice success';
        notice.textContent = T('charter.published', { version: published.version, count: published.readhesions_asked });
        notice.focus();
      } catch (error) {
        if (error.status === 409 && error.code === 'readhesion_count_changed') {
          const again = await Post('/api/admin/charter/preview', draft);
          ShowPreview(draft, again);
          const box = previewBox.querySelector('.form-alert');
          box.textContent = `${error.message} ${T('charter.count_changed')}`;
          box.focus();
          return;
        }
        alert.textContent = error.message;
        alert.focus();
      }
    },
  });
  const diffId = 'charter-diff';
  Replace(previewBox,
    h('h2', { id: 'preview-title', tabindex: '-1', text: T('charter.preview.title', { version: preview.current_version + 1 }) }),
    alert,
    h('h3', { text: T('charter.preview.text') }),
    h('div', { class: 'charter-text', id: 'charter-rendered', tabindex: '0', role: 'region', 'aria-label': T('charter.preview.text'), text: draft.text }),
    first ? null : [
      h('h3', { id: `${diffId}-title`, text: T('charter.preview.diff', { version: preview.current_version }) }),
      h('p', { class: 'hint', text: T('charter.preview.diff.legend') }),
      h('div', { class: 'charter-text diff', id: diffId, tabindex: '0', role: 'region', 'aria-labelledby': `${diffId}-title` },
        WordDiff(current?.text ?? '', draft.text, { deleted: T('charter.preview.deleted'), inserted: T('charter.preview.inserted') }))],
    h('p', { class: first ? 'notice' : 'notice warning', id: 'charter-count', text: first ? T('charter.preview.first') : T('charter.preview.count', { count, days }) }),
    h('div', { class: 'actions' }, confirm, ' ', h('button', {
      type: 'button', class: 'secondary', text: T('charter.back'),
      onclick: () => { previewBox.hidden = true; form.hidden = false; form.elements.text.focus(); },
    })));
  previewBox.hidden = false;
  form.hidden = true;
  previewBox.querySelector('h2').focus();
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  ClearErrors(form);
  const draft = Draft();
  try {
    ShowPreview(draft, await Post('/api/admin/charter/preview', draft));
  } catch (error) { ShowApiError(form, error); }
});

Replace(content, notice, versionsBox,
  h('section', { class: 'card', 'aria-labelledby': 'publish-title' },
    h('h2', { id: 'publish-title', text: T('charter.publish') }),
    h('p', { class: 'hint', text: T('charter.publish.lead') }), form, previewBox));
await RenderVersions();
MarkReady();
