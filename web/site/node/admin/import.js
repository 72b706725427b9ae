// CSV import of an existing regional database, in three steps: the file (its encoding and
// separator are detected by the node), its columns (the mapping the node proposes, from the
// header's names or as chosen last time for the same header, corrected here), the result
// (a dry run or the import, every error of every row as "Ligne | Colonne | Erreur" with the
// line numbers a spreadsheet shows). The import is all or nothing: a file with any refused
// row imports nothing, so the admin fixes the file and sends it again (the page keeps the
// file and the mapping) without ever importing a row twice. Progress of the import itself is
// read from the job the node runs in the background. Every imported initiative is journalled.
import { AddMessages, FormatNumber, Language, T } from '/common/i18n.js';
import { h, MarkReady, Replace } from '/common/dom.js';
import { ApiError, CsrfToken, Get, Post } from '/common/api.js';
import { ClearErrors, ShowApiError } from '/common/forms.js';
import { LoadReferential } from '/common/referential.js';
import { StartAdmin } from '/admin/admin.js';

AddMessages({
  'admin.title.import': { fr: 'Import CSV', en: 'CSV import' },
  'import.lead': {
    fr: 'Importez la base existante du réseau en trois étapes : le fichier, ses colonnes, le résultat. L\'import est tout ou rien : si une ligne est refusée, rien n\'est importé ; corrigez le fichier et renvoyez-le, la page garde vos choix.',
    en: 'Import the network\'s existing database in three steps: the file, its columns, the result. The import is all or nothing: if any row is refused, nothing is imported; fix the file and send it again, the page keeps your choices.',
  },
  'import.steps': { fr: 'Étapes', en: 'Steps' },
  'import.format': { fr: 'Format du fichier', en: 'File format' },
  'import.format.csv': { fr: 'Tableur (CSV)', en: 'Spreadsheet (CSV)' },
  'import.format.gogocarto': { fr: 'Export GoGoCarto (JSON)', en: 'GoGoCarto export (JSON)' },
  'import.format.geojson': { fr: 'GeoJSON (points)', en: 'GeoJSON (points)' },
  'import.format.jsonld': { fr: 'Flux JSON-LD d\'une autre fédération', en: 'Another federation\'s JSON-LD feed' },
  'import.step.file': { fr: '1. Fichier', en: '1. File' },
  'import.step.columns': { fr: '2. Colonnes', en: '2. Columns' },
  'import.step.result': { fr: '3. Résultat', en: '3. Result' },
  'import.template': { fr: 'Modèle et valeurs acceptées', en: 'Template and accepted values' },
  'import.template.lead': {
    fr: 'Partez du modèle : une colonne par champ de la fiche, nommée comme le formulaire ; familles, formes juridiques et activités s\'écrivent par leur libellé ou leur code, les communes par leur nom (avec le code postal s\'il y a des homonymes) ou leur code INSEE, l\'employeur par oui ou non.',
    en: 'Start from the template: one column per record field, named as the form names it; families, legal forms and activities are written by their label or code, communes by their name (with the postcode when names repeat) or INSEE code, the employer as oui or non (yes/no).',
  },
  'import.template.xlsx': { fr: 'Modèle Excel (.xlsx, avec la feuille des valeurs acceptées)', en: 'Excel template (.xlsx, with the sheet of accepted values)' },
  'import.template.csv': { fr: 'Modèle CSV (point-virgule, UTF-8)', en: 'CSV template (semicolon, UTF-8)' },
  'import.template.values': { fr: 'Valeurs acceptées (CSV)', en: 'Accepted values (CSV)' },
  'import.values.show': { fr: 'Voir les valeurs acceptées', en: 'Show the accepted values' },
  'import.values.list': { fr: 'Liste', en: 'List' },
  'import.values.label': { fr: 'Libellé', en: 'Label' },
  'import.values.code': { fr: 'Code', en: 'Code' },
  'import.values.yesno': { fr: 'oui, non (aussi o, n, vrai, faux, x, 1, 0)', en: 'oui, non (also o, n, vrai, faux, x, 1, 0; yes, no)' },
  'import.file': { fr: 'Fichier CSV (une ligne d\'en-tête ; UTF-8 ou Windows-1252 ; séparateur « ; », « , » ou tabulation)', en: 'CSV file (one header line; UTF-8 or Windows-1252; separator ";", "," or tab)' },
  'import.read': { fr: 'Lire les colonnes', en: 'Read the columns' },
  'import.list_separator': { fr: 'Séparateur des activités dans une cellule', en: 'Separator of the activities in a cell' },
  'import.status': { fr: 'Statut des initiatives importées', en: 'Status of the imported initiatives' },
  'import.status.pending': { fr: 'À examiner par le comité', en: 'To be reviewed by the committee' },
  'import.status.admitted': { fr: 'Admises (base déjà validée par le réseau)', en: 'Admitted (database already vetted by the network)' },
  'import.detected': {
    fr: '{rows} ligne(s) de données, encodage {encoding}, séparateur {separator}.',
    en: '{rows} data row(s), encoding {encoding}, separator {separator}.',
  },
  'import.source.proposed': { fr: 'Correspondance proposée d\'après les noms des colonnes : vérifiez-la.', en: 'Mapping proposed from the column names: check it.' },
  'import.source.remembered': { fr: 'Correspondance choisie la dernière fois pour ce même en-tête.', en: 'Mapping chosen last time for this same header.' },
  'import.separator.tab': { fr: 'tabulation', en: 'tab' },
  'import.mapping': { fr: 'Correspondance des colonnes', en: 'Column mapping' },
  'import.mapping.field': { fr: 'Champ de la fiche', en: 'Record field' },
  'import.mapping.column': { fr: 'Colonne du fichier', en: 'File column' },
  'import.mapping.none': { fr: '(aucune)', en: '(none)' },
  'import.dry_run': { fr: 'Essai à blanc', en: 'Dry run' },
  'import.commit': { fr: 'Importer', en: 'Import' },
  'import.retry': { fr: 'Renvoyer le fichier corrigé', en: 'Send the corrected file' },
  'import.retry.hint': { fr: 'Choisissez le fichier corrigé : la correspondance des colonnes est gardée.', en: 'Choose the corrected file: the column mapping is kept.' },
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
  'import.report.dry': { fr: 'Essai à blanc : {rows} ligne(s), {valid} valide(s), {errors} en erreur.', en: 'Dry run: {rows} row(s), {valid} valid, {errors} with errors.' },
  'import.report.done': { fr: 'Import réussi : {count} initiative(s) importée(s) et journalisée(s).', en: 'Import done: {count} initiative(s) imported and journalled.' },
  'import.report.rejected': { fr: 'Import refusé : {errors} ligne(s) en erreur ; rien n\'a été importé. Corrigez-les et renvoyez le fichier.', en: 'Import refused: {errors} row(s) with errors; nothing was imported. Fix them and send the file again.' },
  'import.report.imported_lines': { fr: 'Lignes importées : {lines}.', en: 'Lines imported: {lines}.' },
  'import.report.rejected_lines': { fr: 'Lignes refusées : {lines}.', en: 'Lines refused: {lines}.' },
  'import.report.more': { fr: 'Seules les {shown} premières erreurs sont listées.', en: 'Only the first {shown} errors are listed.' },
  'import.errors.caption': { fr: 'Erreurs, par ligne du fichier (l\'en-tête est la ligne 1)', en: 'Errors, by line of the file (the header is line 1)' },
  'import.line': { fr: 'Ligne', en: 'Line' },
  'import.column': { fr: 'Colonne', en: 'Column' },
  'import.message': { fr: 'Erreur', en: 'Error' },
  'field.contact_name': { fr: 'Nom du contact (privé)', en: 'Contact name (private)' },
  'field.contact_email': { fr: 'Courriel du contact (privé)', en: 'Contact email (private)' },
  'field.contact_phone': { fr: 'Téléphone du contact (privé)', en: 'Contact phone (private)' },
});

const { content } = await StartAdmin('admin.title.import', 'import');

// What the page keeps between tries: the file's bytes (base64), its columns as the node
// read them, and the mapping shown.
// What the node reads the file from: {csv_base64}, or {format, document} for another map's.
let fileSource = null;
let columns = null;

function Base64(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

const fieldLabel = (f) => (Language() === 'en' ? f.label_en : f.label_fr);

// Step 1: the file.
const fileForm = h('form', { id: 'file-form', novalidate: true },
  h('p', { class: 'form-alert', role: 'alert', tabindex: '-1' }),
  h('div', { class: 'field' },
    h('label', { for: 'csv-file', text: T('import.file') }),
    h('input', { id: 'csv-file', name: 'file', 'data-field': 'csv', type: 'file', accept: '.csv,text/csv,text/plain,.json,.geojson,.jsonld,application/json' })),
  h('div', { class: 'field' }, h('label', { for: 'import-format', text: T('import.format') }),
    h('select', { id: 'import-format', name: 'format', 'data-field': 'format' },
      ['csv', 'gogocarto', 'geojson', 'jsonld'].map((f) => h('option', { value: f, text: T(`import.format.${f}`) })))),
  h('div', { class: 'grid-2' },
    h('div', { class: 'field' }, h('label', { for: 'import-status', text: T('import.status') }),
      h('select', { id: 'import-status', name: 'status', 'data-field': 'status' },
        h('option', { value: 'pending', text: T('import.status.pending') }), h('option', { value: 'admitted', text: T('import.status.admitted') }))),
    h('div', { class: 'field' }, h('label', { for: 'list-separator', text: T('import.list_separator') }),
      h('input', { id: 'list-separator', name: 'list_separator', 'data-field': 'list_separator', type: 'text', maxlength: '1', value: '|', size: '2' }))),
  h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'read-columns', text: T('import.read') })));

// Step 2: the columns.
const columnsBox = h('div', { id: 'columns' });
const progress = h('progress', { id: 'import-progress', max: '100', hidden: true, 'aria-labelledby': 'progress-label' });
const progressLabel = h('p', { id: 'progress-label', role: 'status', class: 'hint' });
const columnsForm = h('form', { id: 'columns-form', novalidate: true, hidden: true },
  h('p', { class: 'form-alert', role: 'alert', tabindex: '-1' }),
  columnsBox,
  h('div', { class: 'actions' },
    h('button', { type: 'submit', value: 'dry', class: 'secondary', id: 'dry-run', text: T('import.dry_run') }),
    h('button', { type: 'submit', value: 'commit', id: 'commit', text: T('import.commit') })),
  progressLabel, progress);

// Step 3: the result.
const reportBox = h('div', { id: 'report', 'aria-live': 'polite' });

function SeparatorName(separator) {
  return separator === '\t' ? T('import.separator.tab') : `« ${separator} »`;
}

// The mapping shown: the node's proposal, or what the admin chose for a previous file when
// its columns are still there.
function RenderColumns(kept = null) {
  const headers = columns.headers.filter((c) => c !== '');
  const selected = (field) => {
    if (kept && field in kept && (kept[field] === '' || headers.includes(kept[field]))) return kept[field];
    return columns.mapping[field] ?? '';
  };
  Replace(columnsBox,
    h('h2', { id: 'step-columns', tabindex: '-1', text: T('import.step.columns') }),
    h('p', { id: 'detected', text: T('import.detected', { rows: FormatNumber(columns.rows), encoding: columns.encoding.toUpperCase(), separator: SeparatorName(columns.separator) }) }),
    h('p', { class: 'hint', id: 'mapping-source', text: T(`import.source.${columns.mapping_source === 'remembered' ? 'remembered' : 'proposed'}`) }),
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': T('import.mapping') }, h('table', { id: 'mapping' },
      h('caption', { text: T('import.mapping') }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: T('import.mapping.field') }), h('th', { scope: 'col', text: T('import.mapping.column') }))),
      h('tbody', {}, columns.fields.map((f) => h('tr', {},
        h('th', { scope: 'row' }, h('label', { for: `map-${f.field}`, text: fieldLabel(f) })),
        h('td', {}, h('select', { id: `map-${f.field}`, 'data-field': `mapping.${f.field}`, 'data-map': f.field },
          h('option', { value: '', text: T('import.mapping.none') }),
          headers.map((c) => h('option', { value: c, text: c, selected: c === selected(f.field) }))))))))));
  columnsForm.hidden = false;
}

function ChosenMapping() {
  const mapping = {};
  for (const select of columnsBox.querySelectorAll('select[data-map]')) mapping[select.dataset.map] = select.value;
  return mapping;
}

async function ReadColumns(kept) {
  const file = fileForm.elements.file.files[0];
  if (!file) { ShowApiError(fileForm, { field: 'csv', message: T('import.no_file') }); return; }
  const format = fileForm.elements.format.value;
  fileSource = format === 'csv' ? { csv_base64: Base64(await file.arrayBuffer()) } : { format, document: await file.text() };
  columns = await Post('/api/admin/import/columns', {
    ...fileSource, list_separator: fileForm.elements.list_separator.value || '|', status: fileForm.elements.status.value,
  });
  RenderColumns(kept);
  columnsForm.querySelector('#step-columns').focus();
}

fileForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  ClearErrors(fileForm);
  const kept = columns ? ChosenMapping() : null;  // a corrected file keeps the mapping
  try {
    await ReadColumns(kept);
  } catch (error) {
    ShowApiError(fileForm, error);
  }
});

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

const Lines = (lines) => lines.map((n) => FormatNumber(n)).join(', ');

function Report(report, title, { refused = false } = {}) {
  const field = (name) => columns?.fields.find((f) => f.field === name.replace(/\[.*$/, ''));
  const retry = refused || report.error_count > 0;
  return [
    h('h2', { id: 'step-result', tabindex: '-1', text: T('import.step.result') }),
    h('p', { class: 'summary', id: 'report-summary', text: title }),
    report.imported_lines?.length ? h('p', { id: 'imported-lines', text: T('import.report.imported_lines', { lines: Lines(report.imported_lines) }) }) : null,
    report.rejected_lines?.length ? h('p', { id: 'rejected-lines', text: T('import.report.rejected_lines', { lines: Lines(report.rejected_lines) }) }) : null,
    report.errors?.length ? h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': T('import.errors.caption') }, h('table', { id: 'report-errors' },
      h('caption', { text: T('import.errors.caption') }),
      h('thead', {}, h('tr', {}, ['import.line', 'import.column', 'import.message'].map((k) => h('th', { scope: 'col', text: T(k) })))),
      h('tbody', {}, report.errors.map((e) => h('tr', {},
        h('td', { text: FormatNumber(e.line) }),
        h('td', { text: e.column || (field(e.field ?? '') ? fieldLabel(field(e.field)) : (e.field ?? '')) }),
        h('td', { text: e.message })))))) : null,
    report.errors?.length < report.error_count ? h('p', { class: 'hint', text: T('import.report.more', { shown: report.errors.length }) }) : null,
    retry ? h('p', {}, h('button', { type: 'button', class: 'secondary', id: 'retry', text: T('import.retry'), onclick: Retry })) : null,
    retry ? h('p', { class: 'hint', text: T('import.retry.hint') }) : null,
  ];
}

// Fix and retry: back to the file, with the mapping kept.
function Retry() {
  fileForm.elements.file.focus();
  fileForm.elements.file.click?.();
}
// Another file: its columns are read at once (the mapping kept); nothing can be sent until
// they are, so a click never sends the previous file.
fileForm.elements.file.addEventListener('change', () => {
  if (!columns || !fileForm.elements.file.files[0]) return;
  columnsForm.hidden = true;
  fileSource = null;
  Replace(reportBox);
  fileForm.requestSubmit();
});

columnsForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  ClearErrors(columnsForm);
  Replace(reportBox);
  if (!fileSource) { ShowApiError(fileForm, { field: 'csv', message: T('import.no_file') }); return; }
  const dryRun = e.submitter?.id !== 'commit';
  const buttons = columnsForm.querySelectorAll('button');
  buttons.forEach((b) => { b.disabled = true; });
  progress.hidden = false;
  progress.value = 0;
  announced = '';
  progress.removeAttribute('aria-valuetext');
  const show = (...children) => {
    Replace(reportBox, ...children);
    reportBox.querySelector('#step-result')?.focus();
  };
  try {
    const [status, data] = await Send({
      ...fileSource, separator: columns.separator, list_separator: fileForm.elements.list_separator.value || '|',
      mapping: ChosenMapping(), status: fileForm.elements.status.value, dry_run: dryRun,
    });
    if (status === 202) {
      const job = await Follow(data);
      progressLabel.textContent = T('import.finished');
      if (job.state === 'succeeded') {
        show(Report(job.report, T('import.report.done', { count: job.report.imported })));
      } else if (job.state === 'rejected') {
        show(Report(job.report, T('import.report.rejected', { errors: job.report.error_count }), { refused: true }));
      } else {
        ShowApiError(columnsForm, { field: null, message: T('import.failed', { message: job.error?.message ?? job.state }) });
      }
      return;
    }
    progress.value = 100;
    progressLabel.textContent = T('import.finished');
    if (status === 200 || status === 201) {
      show(Report(data, dryRun
        ? T('import.report.dry', { rows: data.rows, valid: data.valid, errors: data.error_count })
        : T('import.report.done', { count: data.imported })));
    } else if (data?.code === 'import_rejected') {
      show(Report(data.report, T('import.report.rejected', { errors: data.report.error_count }), { refused: true }));
    } else {
      ShowApiError(columnsForm, new ApiError(status, data));
    }
  } catch (error) {
    ShowApiError(columnsForm, error);
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
});

// The template and the accepted values, from the referential in force.
async function AcceptedValues() {
  const ref = await LoadReferential();
  const rows = [
    ...[...ref.families.values()].map((e) => [T('field.family'), e.label, e.code]),
    ...[...ref.legalForms.values()].map((e) => [T('field.legal_form'), `${e.label} (${ref.Label('families', e.family)})`, e.code]),
    ...[...ref.activities.values()].map((e) => [T('field.activities'), e.label, e.code]),
    [T('field.employer'), T('import.values.yesno'), ''],
  ];
  return h('details', { id: 'accepted-values' }, h('summary', { text: T('import.values.show') }),
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': T('import.values.show') }, h('table', {},
      h('thead', {}, h('tr', {}, ['import.values.list', 'import.values.label', 'import.values.code'].map((k) => h('th', { scope: 'col', text: T(k) })))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', { text: c }))))))));
}

const templateBox = h('section', { id: 'template', 'aria-labelledby': 'template-title' },
  h('h2', { id: 'template-title', text: T('import.template') }),
  h('p', { text: T('import.template.lead') }),
  h('ul', {},
    h('li', {}, h('a', { id: 'template-xlsx', href: '/generated/import-modele.xlsx', download: 'import-modele.xlsx', text: T('import.template.xlsx') })),
    h('li', {}, h('a', { id: 'template-csv', href: '/generated/import-modele.csv', download: 'import-modele.csv', text: T('import.template.csv') })),
    h('li', {}, h('a', { id: 'template-values', href: '/generated/import-valeurs.csv', download: 'import-valeurs.csv', text: T('import.template.values') }))));

Replace(content,
  h('p', { class: 'lead', text: T('import.lead') }),
  h('nav', { 'aria-label': T('import.steps') }, h('ol', { class: 'import-steps' },
    ['file', 'columns', 'result'].map((k) => h('li', { text: T(`import.step.${k}`) })))),
  templateBox,
  h('section', { 'aria-labelledby': 'step-file' }, h('h2', { id: 'step-file', text: T('import.step.file') }), fileForm),
  h('section', { 'aria-label': T('import.step.columns') }, columnsForm),
  h('section', { 'aria-label': T('import.step.result') }, reportBox));
try {
  templateBox.append(await AcceptedValues());
} catch {
  // The list is a help: the template's second sheet carries it too.
}
MarkReady();
