// Sessions of the committee workspace and the admin pages: the current session (with its
// CSRF token) or a sign-in form, then a bar naming who is signed in with a sign-out button.
import { AddMessages, T } from '/common/i18n.js';
import { h, MarkReady, Replace } from '/common/dom.js';
import { ApiError, Delete, Get, Post, SetCsrfToken } from '/common/api.js';
import { ClearErrors, ShowApiError } from '/common/forms.js';
import { CollegeLabel } from '/common/labels.js';

AddMessages({
  'login.title': { fr: 'Connexion', en: 'Sign in' },
  'login.lead.committee': { fr: 'Espace réservé aux membres du comité d\'éthique.', en: 'For members of the ethics committee.' },
  'login.lead.admin': { fr: 'Espace réservé à l\'administration du réseau régional.', en: 'For the regional network\'s administrators.' },
  'login.email': { fr: 'Adresse de courriel', en: 'Email address' },
  'login.password': { fr: 'Mot de passe', en: 'Password' },
  'login.submit': { fr: 'Se connecter', en: 'Sign in' },
  'login.as': { fr: 'Connecté·e : {name}', en: 'Signed in: {name}' },
  'login.college': { fr: 'collège {college}', en: '{college} college' },
  'login.chair': { fr: 'présidence', en: 'chair' },
  'login.admin': { fr: 'administration', en: 'administrator' },
  'logout': { fr: 'Se déconnecter', en: 'Sign out' },
  'login.forbidden.admin': { fr: 'Cet espace est réservé à l\'administration.', en: 'This area is for administrators.' },
  'login.forbidden.committee': { fr: 'Cet espace est réservé aux membres actifs du comité.', en: 'This area is for active committee members.' },
});

function Allowed(principal, need) {
  if (need === 'admin') return principal.account.role === 'admin';
  return principal.account.role === 'admin' || principal.member?.active === true;
}

function StaffBar(principal) {
  const who = [principal.account.name || principal.account.email];
  if (principal.member) {
    who.push(T('login.college', { college: CollegeLabel(principal.member.college) }));
    if (principal.member.role === 'chair') who.push(T('login.chair'));
  } else if (principal.account.role === 'admin') {
    who.push(T('login.admin'));
  }
  return h('div', { class: 'staff-bar' },
    h('span', { text: T('login.as', { name: who.join(', ') }) }),
    h('button', {
      type: 'button', class: 'secondary', text: T('logout'),
      onclick: async () => {
        try { await Delete('/api/session'); } catch { /* already signed out */ }
        SetCsrfToken(null);
        location.reload();
      },
    }));
}

// Resolves with the principal once someone allowed (`need`: 'committee' or 'admin') is signed
// in, showing the sign-in form in `container` meanwhile. Puts the staff bar before `container`.
export async function StaffSession(container, need) {
  let principal = null;
  try {
    principal = await Get('/api/session');
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
  }
  if (!principal) principal = await SignIn(container, need);
  SetCsrfToken(principal.csrf_token);
  container.before(StaffBar(principal));
  if (!Allowed(principal, need)) {
    Replace(container, h('p', { class: 'notice error', text: T(`login.forbidden.${need}`) }));
    MarkReady();
    throw new Error('forbidden');
  }
  return principal;
}

function SignIn(container, need) {
  return new Promise((resolve) => {
    const form = h('form', { class: 'card login', novalidate: true },
      h('h2', { text: T('login.title') }),
      h('p', { text: T(`login.lead.${need}`) }),
      h('p', { class: 'form-alert', role: 'alert', tabindex: '-1' }),
      h('div', { class: 'field' },
        h('label', { for: 'login-email', text: T('login.email') }),
        h('input', { id: 'login-email', name: 'email', 'data-field': 'email', type: 'email', autocomplete: 'username', required: true })),
      h('div', { class: 'field' },
        h('label', { for: 'login-password', text: T('login.password') }),
        h('input', { id: 'login-password', name: 'password', 'data-field': 'password', type: 'password', autocomplete: 'current-password', required: true })),
      h('button', { type: 'submit', text: T('login.submit') }));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      ClearErrors(form);
      try {
        const principal = await Post('/api/session', { email: form.elements.email.value.trim(), password: form.elements.password.value });
        Replace(container);
        resolve(principal);
      } catch (error) {
        ShowApiError(form, error);
      }
    });
    Replace(container, form);
    MarkReady('login');
  });
}
