// Registration: the whole record, the charter to read and accept, then a confirmation with
// the private edit link (shown once: only its hash is kept by the node).
import { StartPage } from '/common/layout.js';
import { AddMessages, FormatDate, T } from '/common/i18n.js';
import { $, h, MarkReady, Replace } from '/common/dom.js';
import { Get, Post } from '/common/api.js';
import { LoadReferential } from '/common/referential.js';
import { ClearErrors, ShowApiError } from '/common/forms.js';
import { InitiativeForm } from '/initiative-form.js';

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
  'register.accept.required': { fr: 'Cochez la case pour adhérer à la charte.', en: 'Tick the box to adhere to the charter.' },
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
});

const settings = await StartPage({ site: 'node', title: 'register.title', active: 'register' });
const formElement = $('#register');
const [referential, charter] = await Promise.all([
  LoadReferential(),
  Get('/api/charter').catch((e) => (e.status === 404 ? null : Promise.reject(e))),
]);
const form = new InitiativeForm($('#fields'), referential, settings.region);

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
  if (charter && $('#charter-accept').checked) {
    body.charter = { version: charter.version, adhered_by: $('#adhered-by').value.trim() };
  } else if (charter) {
    // Without the tick there is no adherence to send: say so beside the box.
    ShowApiError(formElement, { field: 'charter.version', message: T('register.accept.required') });
    return;
  }
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
