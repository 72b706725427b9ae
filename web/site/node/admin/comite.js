// Committee members and their colleges: the members (college, role, active, each change
// journalled; a change that would leave the rules impossible or the committee without a
// chair is refused by the node, its message shown), the region's colleges in words (edited in
// the region's rules, on the overview page), and adding a member: the member gets an
// invitation by mail to choose their own password; one not used yet can be sent again.
import { AddMessages, FormatDate, T } from '/common/i18n.js';
import { h, MarkReady, Replace } from '/common/dom.js';
import { Get, Patch, Post } from '/common/api.js';
import { ClearErrors, ShowApiError } from '/common/forms.js';
import { CollegeLabel } from '/common/labels.js';
import { StartAdmin } from '/admin/admin.js';
import { CollegesDescription } from '/admin/colleges.js';

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
  'add.title': { fr: 'Ajouter un membre', en: 'Add a member' },
  'add.lead': {
    fr: 'Le membre reçoit par courriel une invitation valable 7 jours : il y choisit lui-même son mot de passe.',
    en: 'The member gets an invitation by email, valid for 7 days, to choose their own password.',
  },
  'add.submit': { fr: 'Ajouter et inviter', en: 'Add and invite' },
  'add.done': { fr: '{name} a rejoint le comité ; une invitation lui est envoyée à {email}.', en: '{name} joined the committee; an invitation is sent to {email}.' },
  'members.invitation': { fr: 'Invitation', en: 'Invitation' },
  'invitation.pending': { fr: 'En attente jusqu\'au {date}', en: 'Pending until {date}' },
  'invitation.expired': { fr: 'Expirée le {date}', en: 'Expired on {date}' },
  'invitation.accepted': { fr: 'Mot de passe choisi', en: 'Password chosen' },
  'invitation.again': { fr: 'Inviter de nouveau', en: 'Invite again' },
  'invitation.again.label': { fr: 'Inviter de nouveau {name}', en: 'Invite {name} again' },
  'invitation.sent': { fr: 'Nouvelle invitation envoyée à {name}, valable jusqu\'au {date} ; la précédente ne fonctionne plus.', en: 'New invitation sent to {name}, valid until {date}; the previous one no longer works.' },
});

const { content } = await StartAdmin('admin.title.committee', 'committee');
const notice = h('p', { class: 'notice', role: 'status', id: 'members-notice' });
const membersBox = h('div', {});
let colleges = [];

const Select = (id, name, values, labelOf, value) => h('select', { id, name, 'data-field': name },
  values.map((v) => h('option', { value: v, text: labelOf(v), selected: v === value })));

// Whether the member chose their password; while not, when the invitation ends and a button
// to send a new one.
function InvitationCell(m, expiresAt) {
  if (!expiresAt) return h('span', { text: T('invitation.accepted') });
  const expired = new Date(expiresAt) <= new Date();
  return [
    h('span', { class: expired ? 'badge warning' : 'badge', text: T(expired ? 'invitation.expired' : 'invitation.pending', { date: FormatDate(expiresAt) }) }),
    ' ',
    h('button', {
      type: 'button', class: 'secondary', text: T('invitation.again'), 'aria-label': T('invitation.again.label', { name: m.name }),
      onclick: async () => {
        try {
          const sent = await Post(`/api/admin/committee/members/${encodeURIComponent(m.id)}/invitation`, {});
          await RenderMembers();
          notice.className = 'notice success';
          notice.textContent = T('invitation.sent', { name: m.name, date: FormatDate(sent.expires_at) });
        } catch (e) {
          notice.className = 'notice error';
          notice.textContent = e.message;
        }
      },
    })];
}

async function RenderMembers() {
  const [data, { invitations }] = await Promise.all([Get('/api/committee/members'), Get('/api/admin/committee/invitations')]);
  const pending = new Map(invitations.map((i) => [i.member, i.expires_at]));
  colleges = data.colleges;
  if (!data.members.length) {
    Replace(membersBox, h('p', { text: T('members.none') }));
    return data;
  }
  Replace(membersBox, h('div', { class: 'table-wrap' }, h('table', { id: 'members' },
    h('thead', {}, h('tr', {}, ['members.name', 'members.email', 'members.college', 'members.role', 'members.active', 'members.invitation', 'members.save']
      .map((k) => h('th', { scope: 'col', text: T(k) })))),
    h('tbody', {}, data.members.map((m) => {
      const college = Select(`college-${m.id}`, 'college', colleges, CollegeLabel, m.college);
      const role = Select(`role-${m.id}`, 'role', ['member', 'chair'], (r) => T(`role.${r}`), m.role);
      const active = h('input', { type: 'checkbox', id: `active-${m.id}`, checked: m.active });
      college.setAttribute('aria-label', `${T('members.college')} · ${m.name}`);
      role.setAttribute('aria-label', `${T('members.role')} · ${m.name}`);
      active.setAttribute('aria-label', `${T('members.active')} · ${m.name}`);
      return h('tr', {},
        h('th', { scope: 'row', text: m.name }), h('td', { text: m.email }),
        h('td', {}, college), h('td', {}, role), h('td', {}, active), h('td', {}, InvitationCell(m, pending.get(m.id))),
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
      Select('m-college', 'college', data.colleges, CollegeLabel)),
    h('div', { class: 'field' }, h('label', { for: 'm-role', text: T('members.role') }),
      Select('m-role', 'role', ['member', 'chair'], (r) => T(`role.${r}`), 'member'))),
  h('button', { type: 'submit', text: T('add.submit') }));
form.addEventListener('submit', async (e) => {
  e.preventDefault();
  ClearErrors(form);
  const body = Object.fromEntries(['name', 'email', 'college', 'role'].map((k) => [k, form.elements[k].value.trim()]));
  try {
    const member = await Post('/api/admin/committee/members', body);
    form.reset();
    await RenderMembers();
    notice.className = 'notice success';
    notice.textContent = T('add.done', { name: member.name, email: member.email });
  } catch (error) { ShowApiError(form, error); }
});

Replace(content, notice,
  h('section', { 'aria-labelledby': 'members-title' }, h('h2', { id: 'members-title', text: T('members.title') }), membersBox),
  h('section', { class: 'card', 'aria-labelledby': 'add-title' }, h('h2', { id: 'add-title', text: T('add.title') }),
    h('p', { class: 'hint', text: T('add.lead') }), form),
  CollegesDescription(data.colleges, { editLink: true }));
MarkReady();
