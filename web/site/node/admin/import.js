// CSV import of an existing regional database: the file, its separators, a column for each
// field (matched by name where possible), a dry run that reports every row's first error,
// then the all-or-nothing import with a progress bar: the upload's progress, then the
// node's own, read from the import job it runs in the background (rows checked, then rows
// written in the one transaction). Every imported initiative is journalled.
import { AddMessages, FormatNumber, T } from '/common/i18n.js';
import { h, MarkReady, Replace } from '/common/dom.js';
import { ApiError, CsrfToken, Get } from '/common/api.js';
import { ClearErrors, ShowApiError } from '/common/forms.js';
import { StartAdmin } from '/admin/admin.js';

AddMessages({
  'admin.title.import': { fr: 'Import CSV', en: 'CSV import' },
  'import.lead': {
    fr: 'Importez la base existante du réseau : choisissez le fichier, faites correspondre les colonnes, lancez un essai à blanc, puis importez. L\'import est tout ou rien : au moindre refus, rien n\'est importé.',
    en: 'Import the network\'s existing database: choose the file, match the columns, run a dry run, then import. The import is all or nothing: if any row is refused, nothing is imported.',
  },
  'import.file': { fr: 'Fichier CSV (UTF-8, une ligne d\'en-tête)', en: 'CSV file (UTF-8, one header line)' },
  'import.separator': { fr: 'Séparateur de colonnes', en: 'Column separator' },
  'import.separator.comma': { fr: 'Virgule (,)', en: 'Comma (,)' },
  'import.separator.semicolon': { fr: 'Point-virgule (;)', en: 'Semicolon (;)' },
  'import.list_separator': { fr: 'Séparateur des listes (activités)', en: 'List separator (activities)' },
  'import.status': { fr: 'Statut des initiatives importées', en: 'Status of the imported initiatives' },
  'import.status.pending': { fr: 'À examiner par le comité', en: 'To be reviewed by the committee' },
  'import.status.admitted': { fr: 'Admises (base déjà validée par le réseau)', en: 'Admitted (database already vetted by the network)' },
  'import.mapping': { fr: 'Correspondance des colonnes', en: 'Column mapping' },
  'import.mapping.lead': { fr: '{count} colonne(s) lue(s) dans l\'en-tête.', en: '{count} column(s) read from the header.' },
  'import.mapping.field': { fr: 'Champ de la fiche', en: 'Record field' },
  'import.mapping.column': { fr: 'Colonne du fichier', en: 'File column' },
  'import.mapping.none': { fr: '(aucune)', en: '(none)' },
  'import.dry_run': { fr: 'Essai à blanc', en: 'Dry run' },
  'import.commit': { fr: 'Importer', en: 'Import' },
  'import.no_file': { fr: 'Choisissez d\'abord un fichier CSV.', en: 'Choose a CSV file first.' },
  'import.uploading': { fr: 'Envoi du fichier : {percent} %', en: 'Uploading the file: {percent}%' },
  'import.processing': { fr: 'Vérification par le nœud…', en: 'The node checks the rows…' },
  'import.queued': { fr: 'Import en attente : le nœud termine un autre import.', en: 'Import waiting: the node is finishing another import.' },
  'import.validating': { fr: 'Vérification des lignes : {done} sur {rows} ({percent} %).', en: 'Checking the rows: {done} of {rows} ({percent}%).' },
  'import.committing': {
    fr: 'Enregistrement et journalisation, tout ou rien : {done} sur {rows} ({percent} %).',
    en: 'Saving and journalling, all or nothing: {done} of {rows} ({percent}%).',
  },
  'import.failed': { fr: 'Import échoué : {message}', en: 'Import failed: {message}' },
  'import.finished': { fr: 'Terminé.', en: 'Done.' },
  'import.report': { fr: 'Rapport', en: 'Report' },
  'import.report.dry': { fr: 'Essai à blanc : {rows} ligne(s), {valid} valide(s), {errors} en erreur.', en: 'Dry run: {rows} row(s), {valid} valid, {errors} with errors.' },
  'import.report.done': { fr: 'Import réussi : {count} initiative(s) importée(s) et journalisée(s).', en: 'Import done: {count} initiative(s) imported and journalled.' },
  'import.report.rejected': { fr: 'Import refusé : {errors} ligne(s) en erreur ; rien n\'a été importé.', en: 'Import refused: {errors} row(s) with errors; nothing was imported.' },
  'import.row': { fr: 'Ligne', en: 'Row' },
  'import.field': { fr: 'Champ', en: 'Field' },
  'import.message': { fr: 'Erreur', en: 'Error' },
  'field.contact_name': { fr: 'Nom du contact (privé)', en: 'Contact name (private)' },
  'field.contact_email': { fr: 'Courriel du contact (privé)', en: 'Contact email (private)' },
  'field.contact_phone': { fr: 'Téléphone du contact (privé)', en: 'Contact phone (private)' },
});

const kFields = ['name', 'family', 'legal_form', 'activities', 'description', 'address', 'postcode', 'commune',
  'latitude', 'longitude', 'email', 'phone', 'website', 'siret', 'employer', 'contact_name', 'contact_email', 'contact_phone',
  'confirmed_at'];

const { content } = await StartAdmin('admin.title.import', 'import');

// The header line's cells (quotes as in RFC 4180).
function HeaderCells(text, separator) {
  const line = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; ++i; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) { line.push(cell.trim()); cell = ''; } else if (c === '\n' || c === '\r') break;
    else cell += c;
  }
  line.push(cell.trim());
  return line.filter((c) => c !== '');
}

const normalise = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');

let csvText = '';
const mappingBox = h('div', { id: 'mapping' });
const progress = h('progress', { id: 'import-progress', max: '100', hidden: true, 'aria-labelledby': 'progress-label' });
const progressLabel = h('p', { id: 'progress-label', role: 'status', class: 'hint' });
const reportBox = h('div', { id: 'report', 'aria-live': 'polite' });

const form = h('form', { id: 'import-form', novalidate: true },
  h('p', { class: 'form-alert', role: 'alert', tabindex: '-1' }),
  h('div', { class: 'field' },
    h('label', { for: 'csv-file', text: T('import.file') }),
    h('input', { id: 'csv-file', name: 'file', 'data-field': 'csv', type: 'file', accept: '.csv,text/csv,text/plain' })),
  h('div', { class: 'grid-2' },
    h('div', { class: 'field' }, h('label', { for: 'separator', text: T('import.separator') }),
      h('select', { id: 'separator', name: 'separator', 'data-field': 'separator' },
        h('option', { value: ',', text: T('import.separator.comma') }), h('option', { value: ';', text: T('import.separator.semicolon') }))),
    h('div', { class: 'field' }, h('label', { for: 'list-separator', text: T('import.list_separator') }),
      h('input', { id: 'list-separator', name: 'list_separator', 'data-field': 'list_separator', type: 'text', maxlength: '1', value: '|' })),
    h('div', { class: 'field' }, h('label', { for: 'import-status', text: T('import.status') }),
      h('select', { id: 'import-status', name: 'status', 'data-field': 'status' },
        h('option', { value: 'pending', text: T('import.status.pending') }), h('option', { value: 'admitted', text: T('import.status.admitted') })))),
  mappingBox,
  h('div', { class: 'actions' },
    h('button', { type: 'submit', name: 'dry_run', value: 'true', class: 'secondary', id: 'dry-run', text: T('import.dry_run') }),
    h('button', { type: 'submit', name: 'commit', value: 'false', id: 'commit', text: T('import.commit') })),
  progressLabel, progress);

function RenderMapping() {
  const headers = csvText ? HeaderCells(csvText, form.elements.separator.value) : [];
  if (!headers.length) { Replace(mappingBox); return; }
  const byName = new Map(headers.map((c) => [normalise(c), c]));
  Replace(mappingBox, h('fieldset', {},
    h('legend', { text: T('import.mapping') }),
    h('p', { class: 'hint', text: T('import.mapping.lead', { count: headers.length }) }),
    h('div', { class: 'grid-2' }, kFields.map((field) => {
      const guess = byName.get(field) ?? byName.get(normalise(T(`field.${field}`))) ?? '';
      return h('div', { class: 'field' },
        h('label', { for: `map-${field}`, text: T(`field.${field}`) }),
        h('select', { id: `map-${field}`, 'data-field': `mapping.${field}`, 'data-map': field },
          h('option', { value: '', text: T('import.mapping.none') }),
          headers.map((c) => h('option', { value: c, text: c, selected: c === guess }))));
    }))));
}

form.elements.file.addEventListener('change', async () => {
  const file = form.elements.file.files[0];
  csvText = file ? await file.text() : '';
  RenderMapping();
});
form.elements.separator.addEventListener('change', RenderMapping);

// POST with upload progress; resolves with [status, body]. An import (not a dry run) asks
// the node to answer at once with its job (202), which the page then follows.
function Send(body) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/admin/import');
    xhr.setRequestHeader('Content-Type', 'application/json');
    xhr.setRequestHeader('Accept', 'application/json');
    if (!body.dry_run) xhr.setRequestHeader('Prefer', 'respond-async');
    if (CsrfToken()) xhr.setRequestHeader('X-CSRF-Token', CsrfToken());
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable) return;
      const percent = Math.round((100 * e.loaded) / e.total);
      progress.value = percent;
      progressLabel.textContent = T('import.uploading', { percent });
    };
    xhr.upload.onload = () => {
      progress.removeAttribute('value');  // indeterminate while the node works
      progressLabel.textContent = T('import.processing');
    };
    xhr.onload = () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { data = null; }
      resolve([xhr.status, data]);
    };
    xhr.onerror = () => reject(new ApiError(0, { message: 'Serveur injoignable.' }));
    xhr.send(JSON.stringify(body));
  });
}

// Shows the job's state; announces it to screen readers when its phase or tenth changes.
let announced = '';
function ShowJob(job) {
  progress.value = job.percent;
  const committing = job.state === 'committing' || job.state === 'succeeded';
  const done = committing ? job.saved : job.checked;
  const text = job.state === 'queued' ? T('import.queued')
    : T(`import.${committing ? 'committing' : 'validating'}`,
      { done: FormatNumber(done), rows: FormatNumber(job.rows), percent: job.percent });
  const step = `${job.state}:${Math.floor(job.percent / 10)}`;
  if (step !== announced) {
    announced = step;
    progressLabel.textContent = text;
  }
  progress.setAttribute('aria-valuetext', text);
}

// Follows the job until it ends; resolves with its last state.
async function Follow(job) {
  let failures = 0;
  for (;;) {
    ShowJob(job);
    if (!['queued', 'validating', 'committing'].includes(job.state)) return job;
    await new Promise((resolve) => { setTimeout(resolve, 300); });
    try {
      job = await Get(`/api/admin/import/${encodeURIComponent(job.id)}`);
      failures = 0;
    } catch (error) {
      if (++failures >= 10) throw error;
    }
  }
}

function Report(report, title) {
  return [h('h2', { text: T('import.report') }), h('p', { class: 'summary', id: 'report-summary', text: title }),
    report.errors?.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'report-errors' },
      h('thead', {}, h('tr', {}, ['import.row', 'import.field', 'import.message'].map((k) => h('th', { scope: 'col', text: T(k) })))),
      h('tbody', {}, report.errors.map((e) => h('tr', {},
        h('td', { text: FormatNumber(e.row) }), h('td', { text: e.field ?? '' }), h('td', { text: e.message })))))) : null];
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  ClearErrors(form);
  Replace(reportBox);
  if (!csvText) { ShowApiError(form, { field: 'csv', message: T('import.no_file') }); return; }
  const dryRun = e.submitter?.id !== 'commit';
  const mapping = {};
  for (const select of mappingBox.querySelectorAll('select[data-map]')) if (select.value) mapping[select.dataset.map] = select.value;
  const buttons = form.querySelectorAll('button');
  buttons.forEach((b) => { b.disabled = true; });
  progress.hidden = false;
  progress.value = 0;
  announced = '';
  progress.removeAttribute('aria-valuetext');
  try {
    const [status, data] = await Send({
      csv: csvText, separator: form.elements.separator.value, list_separator: form.elements.list_separator.value || '|',
      mapping, status: form.elements.status.value, dry_run: dryRun,
    });
    if (status === 202) {
      const job = await Follow(data);
      progressLabel.textContent = T('import.finished');
      if (job.state === 'succeeded') {
        Replace(reportBox, Report(job.report, T('import.report.done', { count: job.report.imported })));
      } else if (job.state === 'rejected') {
        Replace(reportBox, Report(job.report, T('import.report.rejected', { errors: job.report.error_count })));
      } else {
        ShowApiError(form, { field: null, message: T('import.failed', { message: job.error?.message ?? job.state }) });
      }
      return;
    }
    progress.value = 100;
    progressLabel.textContent = T('import.finished');
    if (status === 200 || status === 201) {
      Replace(reportBox, Report(data, dryRun
        ? T('import.report.dry', { rows: data.rows, valid: data.valid, errors: data.error_count })
        : T('import.report.done', { count: data.imported })));
    } else if (data?.code === 'import_rejected') {
      Replace(reportBox, Report(data.report, T('import.report.rejected', { errors: data.report.error_count })));
    } else {
      ShowApiError(form, new ApiError(status, data));
    }
  } catch (error) {
    ShowApiError(form, error);
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
});

Replace(content, h('p', { class: 'lead', text: T('import.lead') }), form, reportBox);
MarkReady();
