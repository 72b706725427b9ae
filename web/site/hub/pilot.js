// The national pilot's session at the hub (decision 0010): every page stays public; a pilot
// signs in here to act on the pilot's own metadata (the marks on duplicate pairs). Shows either
// who is signed in with a sign-out button, or a sign-in form folded in a <details>.
import { AddMessages, T } from '/common/i18n.js';
import { h, Replace } from '/common/dom.js';
import { ApiError, Delete, Get, Post, SetCsrfToken } from '/common/api.js';
import { ClearErrors, ShowApiError } from '/common/forms.js';

AddMessages({
  'pilot.signin.summary': { fr: 'Connexion du pilotage national', en: 'National pilot sign-in' },
  'pilot.signin.lead': {
    fr: 'Les pages du hub sont publiques. Une fois connecté·e, le pilotage national peut marquer les doublons probables ; les données des régions ne changent jamais depuis le hub.',
    en: 'The hub\'s pages are public. Once signed in, the national pilot can mark likely duplicates; the regions\' data never changes from the hub.',
  },
  'pilot.email': { fr: 'Adresse de courriel', en: 'Email address' },
  'pilot.password': { fr: 'Mot de passe', en: 'Password' },
  'pilot.submit': { fr: 'Se connecter', en: 'Sign in' },
  'pilot.as': { fr: 'Connecté·e : {name} (pilotage national)', en: 'Signed in: {name} (national pilot)' },
  'pilot.logout': { fr: 'Se déconnecter', en: 'Sign out' },
  'pilot.password.summary': { fr: 'Changer mon mot de passe', en: 'Change my password' },
  'pilot.password.lead': {
    fr: 'Le mot de passe donné par l\'exploitant du hub est à changer dès la première connexion. 12 caractères au moins ; une phrase de plusieurs mots convient bien.',
    en: 'The password the hub\'s operator gave is to be changed at the first sign-in. At least 12 characters; a phrase of several words works well.',
  },
  'pilot.password.current': { fr: 'Mot de passe actuel', en: 'Current password' },
  'pilot.password.new': { fr: 'Nouveau mot de passe', en: 'New password' },
  'pilot.password.submit': { fr: 'Changer le mot de passe', en: 'Change the password' },
  'pilot.password.done': { fr: 'Mot de passe changé ; vos autres sessions sont fermées.', en: 'Password changed; your other sessions are closed.' },
});

function PasswordForm() {
  const done = h('p', { class: 'mark-result', role: 'status' });
  const form = h('form', { id: 'pilot-password-form', novalidate: true },
    h('p', { class: 'hint', text: T('pilot.password.lead') }),
    h('p', { class: 'form-alert', role: 'alert', tabindex: '-1' }),
    h('div', { class: 'field' },
      h('label', { for: 'pilot-current-password', text: T('pilot.password.current') }),
      h('input', { id: 'pilot-current-password', name: 'current_password', 'data-field': 'current_password', type: 'password', autocomplete: 'current-password', required: true })),
    h('div', { class: 'field' },
      h('label', { for: 'pilot-new-password', text: T('pilot.password.new') }),
      h('input', { id: 'pilot-new-password', name: 'new_password', 'data-field': 'new_password', type: 'password', autocomplete: 'new-password', required: true })),
    h('button', { type: 'submit', text: T('pilot.password.submit') }),
    done);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    ClearErrors(form);
    done.textContent = '';
    try {
      await Post('/api/pilot/session/password', { current_password: form.elements.current_password.value, new_password: form.elements.new_password.value });
      form.reset();
      done.textContent = T('pilot.password.done');
    } catch (error) {
      ShowApiError(form, error);
    }
  });
  return h('details', { class: 'pilot-password' }, h('summary', { text: T('pilot.password.summary') }), form);
}

// The signed-in pilot ({pilot, csrf_token}) or null; its CSRF token set for the calls.
export async function CurrentPilot() {
  try {
    const session = await Get('/api/pilot/session');
    SetCsrfToken(session.csrf_token);
    return session;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 404)) return null;
    throw e;
  }
}

// Fills `container` with the pilot's bar or the sign-in form; `onChange` runs after a
// sign-in or sign-out (the page renders again).
export function PilotBox(container, session, onChange) {
  if (session) {
    Replace(container, h('div', { class: 'staff-bar', id: 'pilot-bar' },
      h('span', { text: T('pilot.as', { name: session.pilot.name }) }),
      h('button', {
        type: 'button', class: 'secondary', text: T('pilot.logout'),
        onclick: async () => {
          try { await Delete('/api/pilot/session'); } catch { /* already signed out */ }
          SetCsrfToken(null);
          onChange(null);
        },
      })), PasswordForm());
    return;
  }
  const form = h('form', { class: 'login', id: 'pilot-login', novalidate: true },
    h('p', { text: T('pilot.signin.lead') }),
    h('p', { class: 'form-alert', role: 'alert', tabindex: '-1' }),
    h('div', { class: 'field' },
      h('label', { for: 'pilot-email', text: T('pilot.email') }),
      h('input', { id: 'pilot-email', name: 'email', 'data-field': 'email', type: 'email', autocomplete: 'username', required: true })),
    h('div', { class: 'field' },
      h('label', { for: 'pilot-password', text: T('pilot.password') }),
      h('input', { id: 'pilot-password', name: 'password', 'data-field': 'password', type: 'password', autocomplete: 'current-password', required: true })),
    h('button', { type: 'submit', text: T('pilot.submit') }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    ClearErrors(form);
    try {
      const signed = await Post('/api/pilot/session', { email: form.elements.email.value.trim(), password: form.elements.password.value });
      SetCsrfToken(signed.csrf_token);
      onChange(signed);
    } catch (error) {
      ShowApiError(form, error);
    }
  });
  Replace(container, h('details', { class: 'card pilot-signin' },
    h('summary', { text: T('pilot.signin.summary') }), form));
}
