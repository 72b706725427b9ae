// A committee member's invitation (/invitation.html#jeton=<token>, sent by mail): the member
// chooses their password under the staff rules, once; the link is then spent and the member
// signs in on the committee's page. The token stays in the fragment (never sent in a URL)
// and goes to the node in a request's body (POST /api/invitation, /api/invitation/password).
import { StartPage } from '/common/layout.js';
import { AddMessages, FormatDate, T } from '/common/i18n.js';
import { $, h, MarkReady, Replace } from '/common/dom.js';
import { Post } from '/common/api.js';
import { ClearErrors, ShowApiError, ShowFieldError } from '/common/forms.js';

AddMessages({
  'invitation.title': { fr: 'Rejoindre le comité d\'éthique', en: 'Join the ethics committee' },
  'invitation.hello': {
    fr: 'Bonjour {name} : vous êtes invité·e à siéger au comité d\'éthique de la région. Choisissez votre mot de passe pour le compte {email} ; ce lien sert une fois, jusqu\'au {date}.',
    en: 'Hello {name}: you are invited to sit on the region\'s ethics committee. Choose your password for the account {email}; this link works once, until {date}.',
  },
  'invitation.no_token': {
    fr: 'Ce lien est incomplet : ouvrez le lien reçu par courriel en entier, ou demandez une nouvelle invitation à l\'administration de la région.',
    en: 'This link is incomplete: open the whole link you received by email, or ask the region\'s administration for a new invitation.',
  },
  'invitation.password': { fr: 'Mot de passe', en: 'Password' },
  'invitation.password.hint': {
    fr: '12 caractères au moins, pas un mot du dictionnaire ni une suite trop simple, sans votre nom ni votre adresse.',
    en: 'At least 12 characters, not a dictionary word nor a too simple sequence, without your name or address.',
  },
  'invitation.confirm': { fr: 'Le même mot de passe, une seconde fois', en: 'The same password again' },
  'invitation.mismatch': { fr: 'Les deux mots de passe diffèrent.', en: 'The two passwords differ.' },
  'invitation.submit': { fr: 'Choisir ce mot de passe', en: 'Choose this password' },
  'invitation.done': { fr: 'Votre mot de passe est enregistré. Connectez-vous maintenant à l\'espace du comité.', en: 'Your password is saved. Sign in to the committee\'s space now.' },
  'invitation.signin': { fr: 'Aller à l\'espace du comité', en: 'Go to the committee\'s space' },
});

await StartPage({ site: 'node', title: 'invitation.title' });
const content = $('#content');
const token = new URLSearchParams(location.hash.slice(1)).get('jeton');

function Problem(message) {
  Replace(content, h('p', { class: 'notice error', role: 'alert', id: 'invitation-problem', text: message }));
}

if (!token) {
  Problem(T('invitation.no_token'));
} else {
  try {
    const invited = await Post('/api/invitation', { token });
    const form = h('form', { id: 'invitation-form', novalidate: true },
      h('p', { class: 'form-alert', role: 'alert', tabindex: '-1' }),
      h('input', { type: 'email', name: 'username', value: invited.email, autocomplete: 'username', hidden: true, readonly: true }),
      h('div', { class: 'field' },
        h('label', { for: 'invitation-password', text: T('invitation.password') }),
        h('input', { id: 'invitation-password', name: 'password', 'data-field': 'password', type: 'password', minlength: '12',
          maxlength: '200', required: true, autocomplete: 'new-password', 'aria-describedby': 'invitation-password-hint' }),
        h('span', { id: 'invitation-password-hint', class: 'hint', text: T('invitation.password.hint') })),
      h('div', { class: 'field' },
        h('label', { for: 'invitation-confirm', text: T('invitation.confirm') }),
        h('input', { id: 'invitation-confirm', name: 'confirm', 'data-field': 'confirm', type: 'password', required: true,
          autocomplete: 'new-password' })),
      h('button', { type: 'submit', text: T('invitation.submit') }));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      ClearErrors(form);
      const password = form.elements.password.value;
      if (password !== form.elements.confirm.value) {
        ShowFieldError(form, 'confirm', T('invitation.mismatch'));
        return;
      }
      try {
        await Post('/api/invitation/password', { token, password });
        history.replaceState(null, '', location.pathname);  // the spent link leaves the address bar
        Replace(content,
          h('p', { class: 'notice success', role: 'status', id: 'invitation-done', text: T('invitation.done') }),
          h('p', {}, h('a', { href: '/comite/', class: 'button', text: T('invitation.signin') })));
      } catch (error) {
        if (error.status === 401) Problem(error.message); else ShowApiError(form, error);
      }
    });
    Replace(content,
      h('p', { id: 'invitation-hello', text: T('invitation.hello', { name: invited.name, email: invited.email, date: FormatDate(invited.expires_at) }) }),
      form);
  } catch (error) {
    Problem(error.message);
  }
}
MarkReady();
