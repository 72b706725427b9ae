// The region's stakeholder colleges described once for every admin page (the committee's
// page and the overview, where the region's rules edit them): their labels in words
// (common/labels.js) and what the decision rule asks of them.
import { AddMessages, T } from '/common/i18n.js';
import { h } from '/common/dom.js';
import { CollegeLabel } from '/common/labels.js';

AddMessages({
  'colleges.title': { fr: 'Collèges de parties prenantes', en: 'Stakeholder colleges' },
  'colleges.lead': {
    fr: 'Chaque membre du comité siège dans un collège ; la règle de décision demande des votes d\'un nombre minimal de collèges. Les collèges font partie des règles de la région : l\'administration les modifie sans redémarrage, et un collège qui compte des membres actifs ne peut être retiré.',
    en: 'Each committee member sits in one college; the decision rule asks for votes from a minimum number of colleges. The colleges are part of the region\'s rules: the admin changes them without a restart, and a college with active members cannot be removed.',
  },
  'colleges.edit': { fr: 'Modifier les collèges (règles de la région)', en: 'Change the colleges (the region\'s rules)' },
});

// A section listing `colleges` in words; with `editLink`, a link to where they are edited.
export function CollegesDescription(colleges, { editLink = false, id = 'colleges' } = {}) {
  return h('section', { 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title`, text: T('colleges.title') }),
    h('p', { class: 'hint', text: T('colleges.lead') }),
    h('ul', { id }, colleges.map((c) => h('li', { text: CollegeLabel(c) }))),
    editLink ? h('p', {}, h('a', { href: '/admin/#rules', text: T('colleges.edit') })) : null);
}
