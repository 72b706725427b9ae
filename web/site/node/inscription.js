// Registration: the whole record, the charter to read and accept, then a confirmation with
// the private edit link (shown once: only its hash is kept by the node). What the node would
// refuse is found before sending and shown at once, as the node's own "errors" are; a record
// with the same SIRET, or the same name in the same commune, already listed in the region or
// at the hub is pointed out ("C'est bien une autre structure ?") without stopping anyone.
import { StartPage } from '/common/layout.js';
import { AddMessages, FormatDate, T } from '/common/i18n.js';
import { $, h, MarkReady, Replace } from '/common/dom.js';
import { Get, Post } from '/common/api.js';
import { LoadReferential } from '/common/referential.js';
import { ClearErrors, ShowApiError, ShowErrors } from '/common/forms.js';
import { InitiativeForm } from '/initiative-form.js';
import { CheckAdherence, IsValidSiret } from '/initiative-checks.js';

AddMessages({
  'register.title': { fr: 'Inscrire une initiative', en: 'Register an initiative' },
  'register.lead': {
    fr: 'Présentez votre initiative, lisez la charte régionale et adhérez-y. Le comité d\'éthique de la région examine chaque inscription avant qu\'elle n\'apparaisse sur la carte.',
    en: 'Describe your initiative, read the regional charter and adhere to it. The region\'s ethics committee reviews every registration before it appears on the map.',
  },
  'register.charter': { fr: 'La charte régionale', en: 'The regional charter' },
  'register.charter.lead': {
    fr: 'Chaque initiative de la carte adhère à la charte ; le comité d\'éthique veille à son respect.',
    en: 'Every initiative on the map adheres to the charter; the ethics committee sees that it is respected.',
  },
  'register.charter.text': { fr: 'Texte de la charte', en: 'Text of the charter' },
  'register.charter.accept': {
    fr: 'J\'ai lu la charte (version {version} du {date}) et l\'initiative y adhère.',
    en: 'I have read the charter (version {version} of {date}) and the initiative adheres to it.',
  },
  'register.charter.missing': {
    fr: 'La charte régionale n\'est pas encore publiée : les inscriptions ouvriront dès sa publication.',
    en: 'The regional charter is not published yet: registrations open as soon as it is.',
  },
  'register.adhered_by': { fr: 'Nom de la personne qui engage l\'initiative', en: 'Name of the person committing the initiative' },
  'register.adhered_by.hint': { fr: 'Gardé par le réseau régional, jamais publié.', en: 'Kept by the regional network, never published.' },
  'register.submit': { fr: 'Envoyer l\'inscription', en: 'Send the registration' },
  'register.sending': { fr: 'Envoi…', en: 'Sending…' },
  'done.title': { fr: 'Merci : votre inscription est transmise', en: 'Thank you: your registration was sent' },
  'done.lead': {
    fr: '« {name} » sera publiée sur la carte après l\'examen du comité d\'éthique de la région.',
    en: '"{name}" will be published on the map once the region\'s ethics committee has reviewed it.',
  },
  'done.link': { fr: 'Votre lien privé de modification', en: 'Your private edit link' },
  'done.link.lead': {
    fr: 'Gardez ce lien précieusement : il ne sera plus affiché. Il permet de modifier la fiche, de confirmer qu\'elle est toujours à jour ou de la retirer. Ne le partagez qu\'avec les personnes qui tiennent la fiche.',
    en: 'Keep this link safe: it will not be shown again. It lets you edit the record, confirm it is still current or withdraw it. Share it only with the people who keep the record.',
  },
  'done.open': { fr: 'Ouvrir la page de modification', en: 'Open the edit page' },
  'done.copy': { fr: 'Copier le lien', en: 'Copy the link' },
  'done.copied': { fr: 'Lien copié.', en: 'Link copied.' },
  'similar.title': { fr: 'C\'est bien une autre structure ?', en: 'Is it really another organisation?' },
  'similar.lead': {
    fr: 'Ces fiches déjà publiées lui ressemblent. Si l\'une d\'elles est la vôtre, demandez son lien de modification au réseau régional plutôt que de l\'inscrire de nouveau ; sinon, continuez l\'inscription.',
    en: 'These records already published look like it. If one of them is yours, ask the regional network for its edit link rather than registering it again; otherwise, go on with the registration.',
  },
  'similar.siret': { fr: 'même SIRET', en: 'same SIRET' },
  'similar.name_commune': { fr: 'même nom dans la même commune', en: 'same name in the same municipality' },
  'similar.hub': { fr: 'autre région', en: 'another region' },
  'similar.region_only': {
    fr: 'Le site national n\'a pas pu être consulté : seules les fiches de la région ont été vérifiées.',
    en: 'The national site could not be reached: only the region\'s records were checked.',
  },
});

const settings = await StartPage({ site: 'node', title: 'register.title', active: 'register' });
const formElement = $('#register');
const [referential, charter] = await Promise.all([
  LoadReferential(),
  Get('/api/charter').catch((e) => (e.status === 404 ? null : Promise.reject(e))),
]);
const form = new InitiativeForm($('#fields'), referential, settings.region,
  { tileUrl: settings.tile_url, tileAttribution: settings.tile_attribution });

if (charter) {
  $('#charter-text').textContent = charter.text;
  $('#charter-accept-label').textContent = T('register.charter.accept',
    { version: charter.version, date: FormatDate(charter.published_at) });
} else {
  Replace($('#charter'), h('legend', { text: T('register.charter') }),
    h('p', { class: 'notice warning', text: T('register.charter.missing') }));
}

formElement.addEventListener('submit', async (event) => {
  event.preventDefault();
  ClearErrors(formElement);
  const body = form.Read();
  const adheredBy = charter ? $('#adhered-by').value.trim() : '';
  // Every error the node would find, at once, before any round trip.
  const errors = [...form.Check(),
    ...(charter ? CheckAdherence({ accepted: $('#charter-accept').checked, adheredBy }) : [])];
  if (errors.length) {
    ShowErrors(formElement, errors);
    return;
  }
  if (charter) body.charter = { version: charter.version, adhered_by: adheredBy };
  const button = formElement.querySelector('button[type="submit"]');
  button.disabled = true;
  button.textContent = T('register.sending');
  try {
    const result = await Post('/api/initiatives', body);
    ShowConfirmation(result);
  } catch (error) {
    ShowApiError(formElement, error);
  } finally {
    button.disabled = false;
    button.textContent = T('register.submit');
  }
});

// The soft duplicate warning: asked again when the SIRET, the name or the commune changes
// (an answer that comes after a newer question is dropped).
const warning = $('#similar-warning');
let similarAsked = 0;
let similarKey = '';
async function CheckSimilar() {
  const values = form.Read();
  const siret = IsValidSiret(values.siret ?? '') ? values.siret : '';
  const commune = form.picked?.code ?? '';
  const name = commune && (values.name ?? '').length >= 2 ? values.name : '';
  const key = `${siret}|${name}|${commune}`;
  if (key === similarKey) return;
  similarKey = key;
  const asked = ++similarAsked;
  if (!siret && !name) {
    Replace(warning);
    return;
  }
  const query = new URLSearchParams();
  if (siret) query.set('siret', siret);
  if (name) { query.set('name', name); query.set('commune', commune); }
  const found = await Get(`/api/initiatives/similar?${query}`).catch(() => null);
  if (asked !== similarAsked) return;
  if (!found?.similar?.length) {
    Replace(warning);
    return;
  }
  Replace(warning,
    h('div', { class: 'notice warning' },
      h('h2', { text: T('similar.title') }),
      h('p', { text: T('similar.lead') }),
      h('ul', {}, found.similar.map((r) => h('li', {},
        r.url ? h('a', { href: r.url, target: '_blank', rel: 'noopener', text: r.name }) : h('span', { text: r.name }),
        ` · ${r.commune_name} · ${T(`similar.${r.reason}`)}${r.where === 'hub' ? ` · ${T('similar.hub')}` : ''}`))),
      found.hub_checked ? null : h('p', { class: 'hint', text: T('similar.region_only') })));
}
formElement.addEventListener('change', (e) => {
  if (['name', 'siret', 'commune'].includes(e.target.dataset?.field)) CheckSimilar();
});
$('#fields').addEventListener('identitychange', () => CheckSimilar());

function ShowConfirmation(result) {
  const link = `${location.origin}/modifier/${result.initiative.id}#jeton=${result.edit_token}`;
  const copied = h('span', { role: 'status', class: 'success' });
  const heading = h('h1', { tabindex: '-1', text: T('done.title') });
  Replace($('#content'),
    heading,
    h('p', { class: 'notice success', text: T('done.lead', { name: result.initiative.name }) }),
    h('section', { 'aria-labelledby': 'link-title', class: 'card' },
      h('h2', { id: 'link-title', text: T('done.link') }),
      h('p', { text: T('done.link.lead') }),
      h('p', { class: 'secret', id: 'edit-link', text: link }),
      h('div', { class: 'actions' },
        h('a', { class: 'button', href: link, id: 'open-edit', text: T('done.open') }),
        h('button', {
          type: 'button', class: 'secondary', text: T('done.copy'),
          onclick: async () => {
            try { await navigator.clipboard.writeText(link); copied.textContent = T('done.copied'); } catch {
              const range = document.createRange();
              range.selectNodeContents($('#edit-link'));
              getSelection().removeAllRanges();
              getSelection().addRange(range);
            }
          },
        }), copied)));
  document.title = `${T('done.title')} · ${settings.brand}`;
  heading.focus();
  scrollTo(0, 0);
}

MarkReady();
