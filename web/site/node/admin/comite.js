// Committee members and their colleges: the members (college, role, active, each change
// journalled), the region's colleges, and adding a member (an account with its password).
import { AddMessages, T } from '/common/i18n.js';
import { h, MarkReady, Replace } from '/common/dom.js';
import { Get, Patch, Post } from '/common/api.js';
import { ClearErrors, ShowApiError } from '/common/forms.js';
import { StartAdmin } from '/admin/admin.js';

AddMessages({
  'admin.title.committee': { fr: 'Comité d\'éthique et collèges', en: 'Ethics committee and colleges' },
  'members.title': { fr: 'Membres du comité', en: 'Committee members' },
  'members.none': { fr: 'Aucun membre pour l\'instant.', en: 'No member yet.' },
  'members.name': { fr: 'Nom', en: 'Name' },
  'members.email': { fr: 'Courriel', en: 'Email' },
  'members.college': { fr: 'Collège', en: 'College' },
  'members.role': { fr: 'Rôle', en: 'Role' },
  'members.active': { fr: 'Actif', en: 'Active' },
  'members.save': { fr: 'Enregistrer', en: 'Save' },
  'members.save.label': { fr: 'Enregistrer {name}', en: 'Save {name}' },
  'members.saved': { fr: '{name} : modification enregistrée.', en: '{name}: change saved.' },
  'role.member': { fr: 'Membre', en: 'Member' },
  'role.chair': { fr: 'Présidence', en: 'Chair' },
  'colleges.title': { fr: 'Collèges de parties prenantes', en: 'Stakeholder colleges' },
  'colleges.lead': {
    fr: 'Fixés par la configuration du nœud (committee.colleges) ; la règle de décision demande des votes de plusieurs collèges.',
    en: 'Set by the node\'s configuration (committee.colleges); the decision rule asks for votes from several colleges.',
  },
  'add.title': { fr: 'Ajouter un membre', en: 'Add a member' },
  'add.password': { fr: 'Mot de passe initial', en: 'Initial password' },
  'add.password.hint': { fr: '12 caractères au moins, pas un mot ou une suite trop simple ; le membre pourra le changer.', en: 'At least 12 characters, not a word or a too simple sequence; the member can change it.' },
  'add.submit': { fr: 'Ajouter le membre', en: 'Add the member' },
  'add.done': { fr: '{name} a rejoint le comité.', en: '{name} joined the committee.' },
});

const { content } = await StartAdmin('admin.title.committee', 'committee');
const notice = h('p', { class: 'notice', role: 'status', id: 'members-notice' });
const membersBox = h('div', {});
let colleges = [];

const Select = (id, name, values, labelOf, value) => h('select', { id, name, 'data-field': name },
  values.map((v) => h('option', { value: v, text: labelOf(v), selected: v === value })));

async function RenderMembers() {
  const data = await Get('/api/committee/members');
  colleges = data.colleges;
  if (!data.members.length) {
    Replace(membersBox, h('p', { text: T('members.none') }));
    return data;
  }
  Replace(membersBox, h('div', { class: 'table-wrap' }, h('table', { id: 'members' },
    h('thead', {}, h('tr', {}, ['members.name', 'members.email', 'members.college', 'members.role', 'members.active', 'members.save']
      .map((k) => h('th', { scope: 'col', text: T(k) })))),
    h('tbody', {}, data.members.map((m) => {
      const college = Select(`college-${m.id}`, 'college', colleges, (c) => c, m.college);
      const role = Select(`role-${m.id}`, 'role', ['member', 'chair'], (r) => T(`role.${r}`), m.role);
      const active = h('input', { type: 'checkbox', id: `active-${m.id}`, checked: m.active });
      college.setAttribute('aria-label', `${T('members.college')} · ${m.name}`);
      role.setAttribute('aria-label', `${T('members.role')} · ${m.name}`);
      active.setAttribute('aria-label', `${T('members.active')} · ${m.name}`);
      return h('tr', {},
        h('th', { scope: 'row', text: m.name }), h('td', { text: m.email }),
        h('td', {}, college), h('td', {}, role), h('td', {}, active),
        h('td', {}, h('button', {
          type: 'button', class: 'secondary', text: T('members.save'), 'aria-label': T('members.save.label', { name: m.name }),
          onclick: async () => {
            try {
              await Patch(`/api/admin/committee/members/${encodeURIComponent(m.id)}`,
                { college: college.value, role: role.value, active: active.checked });
              notice.className = 'notice success';
              notice.textContent = T('members.saved', { name: m.name });
            } catch (e) {
              notice.className = 'notice error';
              notice.textContent = e.message;
            }
          },
        })));
    })))));
  return data;
}

const data = await RenderMembers();
const form = h('form', { id: 'member-form', novalidate: true },
  h('p', { class: 'form-alert', role: 'alert', tabindex: '-1' }),
  h('div', { class: 'grid-2' },
    h('div', { class: 'field' }, h('label', { for: 'm-name', text: T('members.name') }),
      h('input', { id: 'm-name', name: 'name', 'data-field': 'name', type: 'text', maxlength: '200', required: true, autocomplete: 'off' })),
    h('div', { class: 'field' }, h('label', { for: 'm-email', text: T('members.email') }),
      h('input', { id: 'm-email', name: 'email', 'data-field': 'email', type: 'email', maxlength: '254', required: true, autocomplete: 'off' })),
    h('div', { class: 'field' }, h('label', { for: 'm-college', text: T('members.college') }),
      Select('m-college', 'college', data.colleges, (c) => c)),
    h('div', { class: 'field' }, h('label', { for: 'm-role', text: T('members.role') }),
      Select('m-role', 'role', ['member', 'chair'], (r) => T(`role.${r}`), 'member')),
    h('div', { class: 'field' }, h('label', { for: 'm-password', text: T('add.password') }),
      h('input', { id: 'm-password', name: 'password', 'data-field': 'password', type: 'password', minlength: '12', required: true, autocomplete: 'new-password', 'aria-describedby': 'm-password-hint' }),
      h('span', { id: 'm-password-hint', class: 'hint', text: T('add.password.hint') }))),
  h('button', { type: 'submit', text: T('add.submit') }));
form.addEventListener('submit', async (e) => {
  e.preventDefault();
  ClearErrors(form);
  const body = Object.fromEntries(['name', 'email', 'college', 'role', 'password'].map((k) => [k, form.elements[k].value.trim()]));
  try {
    const member = await Post('/api/admin/committee/members', body);
    form.reset();
    await RenderMembers();
    notice.className = 'notice success';
    notice.textContent = T('add.done', { name: member.name });
  } catch (error) { ShowApiError(form, error); }
});

Replace(content, notice,
  h('section', { 'aria-labelledby': 'members-title' }, h('h2', { id: 'members-title', text: T('members.title') }), membersBox),
  h('section', { class: 'card', 'aria-labelledby': 'add-title' }, h('h2', { id: 'add-title', text: T('add.title') }), form),
  h('section', { 'aria-labelledby': 'colleges-title' },
    h('h2', { id: 'colleges-title', text: T('colleges.title') }),
    h('p', { class: 'hint', text: T('colleges.lead') }),
    h('ul', { id: 'colleges' }, data.colleges.map((c) => h('li', { text: c })))));
MarkReady();
