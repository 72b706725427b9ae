// The frame of every page: skip link, header with the site's navigation and the language
// switch, footer, translated texts, and the page settings served at /site.json.
import { AddMessages, LanguageSwitch, T, Translate } from './i18n.js';
import { h, Replace } from './dom.js';
import './messages.js';

export const kRegionNames = {
  '01': 'Guadeloupe', '02': 'Martinique', '03': 'Guyane', '04': 'La Réunion', '06': 'Mayotte',
  '11': 'Île-de-France', '24': 'Centre-Val de Loire', '27': 'Bourgogne-Franche-Comté', '28': 'Normandie',
  '32': 'Hauts-de-France', '44': 'Grand Est', '52': 'Pays de la Loire', '53': 'Bretagne',
  '75': 'Nouvelle-Aquitaine', '76': 'Occitanie', '84': 'Auvergne-Rhône-Alpes',
  '93': 'Provence-Alpes-Côte d\'Azur', '94': 'Corse',
};

AddMessages({
  'nav.node.map': { fr: 'Carte', en: 'Map' },
  'nav.node.register': { fr: 'Inscrire une initiative', en: 'Register an initiative' },
  'nav.node.committee': { fr: 'Comité d\'éthique', en: 'Ethics committee' },
  'nav.node.admin': { fr: 'Administration', en: 'Administration' },
  'nav.hub.map': { fr: 'Carte nationale', en: 'National map' },
  'nav.hub.indicators': { fr: 'Indicateurs', en: 'Indicators' },
  'nav.hub.replication': { fr: 'Synchronisation', en: 'Replication health' },
  'nav.hub.duplicates': { fr: 'Doublons', en: 'Duplicates' },
  'footer.embed': { fr: 'Intégrer la carte sur votre site', en: 'Embed the map on your site' },
});

const kNav = {
  node: [['map', '/'], ['register', '/inscription.html'], ['committee', '/comite/'], ['admin', '/admin/']],
  hub: [['map', '/'], ['indicators', '/indicateurs.html'], ['replication', '/synchronisation.html'],
    ['duplicates', '/doublons.html']],
};

let settingsPromise = null;
export function SiteSettings() {
  settingsPromise ??= fetch('/site.json').then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
  return settingsPromise;
}

// site: 'node' | 'hub'; title: message key of the page title; active: nav entry.
export async function StartPage({ site, title, active }) {
  const settings = await SiteSettings();
  const brandText = site === 'node' && kRegionNames[settings.region]
    ? `${T('brand.node')} · ${kRegionNames[settings.region]}` : T(`brand.${site}`);
  const header = document.getElementById('site-header');
  const links = kNav[site].map(([key, href]) => h('li', {},
    h('a', { href, 'aria-current': key === active ? 'page' : null, text: T(`nav.${site}.${key}`) })));
  Replace(header,
    h('a', { class: 'skip-link', href: '#main', text: T('skip') }),
    h('a', { class: 'brand', href: '/', text: brandText }),
    h('nav', { 'aria-label': T('nav.label') }, h('ul', {}, links)),
    LanguageSwitch());
  const footer = document.getElementById('site-footer');
  // Every page's footer links to the generator of the embeddable map (common/embed.js).
  if (footer) Replace(footer, h('p', { text: T(`footer.${site}`) }), h('p', {}, h('a', { href: '/integrer.html', text: T('footer.embed') })));
  Translate();
  document.title = `${T(title)} · ${brandText}`;
  return { ...settings, brand: brandText };
}
