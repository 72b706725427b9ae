// The embeddable map of both sites (/embed, docs/web.md): the site's map and result list with
// the search's filters read from the URL (the same parameters as the home page's: q, region,
// department, family, activity, near, place, radius_km, in_view, plus bbox to frame the map),
// no header nor navigation, every link to a record opening in a new tab of the visitor's
// browser rather than inside the frame. And the generator page (/integrer.html): the same
// filters, a size and a title, a live preview and the <iframe> code to copy.
import { AddMessages, Escape, T, Translate } from './i18n.js';
import { $, h, MarkReady, Replace } from './dom.js';
import { Query } from './api.js';
import { CreateMap, L, LoadOutlines } from './map.js';
import { ShowPlaceNames } from './places.js';
import { MapSearch } from './search.js';
import { ByLabel, FillSelect, LoadReferential } from './referential.js';
import { kRegionNames, SiteSettings, StartPage } from './layout.js';
import './messages.js';

AddMessages({
  'embed.title.node': { fr: 'Carte des initiatives de l\'ESS · {region}', en: 'Map of SSE initiatives · {region}' },
  'embed.title.hub': { fr: 'Carte nationale des initiatives de l\'ESS', en: 'National map of SSE initiatives' },
  'embed.filters': { fr: 'Recherche : {filters}.', en: 'Search: {filters}.' },
  'embed.filters.none': { fr: 'Toutes les initiatives.', en: 'Every initiative.' },
  'embed.open': { fr: 'Ouvrir cette recherche sur le site', en: 'Open this search on the site' },
  'generator.page': { fr: 'Intégrer la carte', en: 'Embed the map' },
  'generator.title': { fr: 'Intégrer la carte sur votre site', en: 'Embed the map on your site' },
  'generator.lead': {
    fr: 'Choisissez les initiatives à montrer et la taille du cadre, vérifiez l\'aperçu, puis copiez le code et collez-le dans une page de votre site.',
    en: 'Choose the initiatives to show and the size of the frame, check the preview, then copy the code and paste it into a page of your site.',
  },
  'generator.filters': { fr: 'Les initiatives montrées', en: 'The initiatives shown' },
  'generator.frame': { fr: 'Le cadre', en: 'The frame' },
  'generator.width': { fr: 'Largeur (pixels)', en: 'Width (pixels)' },
  'generator.height': { fr: 'Hauteur (pixels)', en: 'Height (pixels)' },
  'generator.size.hint': { fr: 'De {min} à {max} pixels.', en: 'From {min} to {max} pixels.' },
  'generator.frame_title': { fr: 'Titre du cadre (lu par les lecteurs d\'écran)', en: 'Title of the frame (read by screen readers)' },
  'generator.preview': { fr: 'Aperçu', en: 'Preview' },
  'generator.code': { fr: 'Code à coller dans votre page', en: 'Code to paste into your page' },
  'generator.copy': { fr: 'Copier le code', en: 'Copy the code' },
  'generator.copied': { fr: 'Code copié dans le presse-papiers.', en: 'Code copied to the clipboard.' },
  'generator.copy.select': {
    fr: 'Le code est sélectionné : copiez-le avec Ctrl+C (ou Cmd+C).', en: 'The code is selected: copy it with Ctrl+C (or Cmd+C).',
  },
  'generator.updated': { fr: 'Aperçu et code mis à jour.', en: 'Preview and code updated.' },
});

export const kSizes = { width: { min: 280, max: 2000, value: 800 }, height: { min: 300, max: 2000, value: 600 } };

// The parameters of the search the embed page reads, as the home page keeps them.
export const kEmbedParameters = ['q', 'region', 'department', 'family', 'activity', 'near', 'place', 'radius_km', 'in_view', 'bbox'];

// The title a frame of the site gets by default.
export function EmbedTitle(site, region) {
  return T(`embed.title.${site}`, { region: kRegionNames[region] ?? region ?? '' });
}

// The embed page's address on `origin` for `filters` ({q, department, ...}, empty ones left out).
export function EmbedUrl(origin, filters) {
  return `${origin}/embed${Query(Object.fromEntries(Object.entries(filters).filter(([k, v]) => kEmbedParameters.includes(k) && v)))}`;
}

// The HTML a site pastes: an iframe with its address, size and title (attributes escaped).
export function IframeCode({ src, width, height, title }) {
  return `<iframe src="${Escape(src)}" width="${Number(width)}" height="${Number(height)}" title="${Escape(title)}" loading="lazy"></iframe>`;
}

// The search's selects and keywords (named as the API's parameters) added to `form`, labelled
// as on the home page; on the hub, the region's select lists its departments.
export function FilterControls(form, { site, referential, region }) {
  const field = (name, key, control) => h('div', { class: 'field' }, h('label', { for: control.id, text: T(key) }), control);
  const select = (name) => h('select', { id: `f-${name}`, name });
  const controls = {
    q: h('input', { id: 'f-q', name: 'q', type: 'search', maxlength: '200', autocomplete: 'off' }),
    region: site === 'hub' ? select('region') : null,
    department: select('department'),
    family: select('family'),
    activity: select('activity'),
  };
  form.append(field('q', 'search.q', controls.q));
  if (controls.region) form.append(field('region', 'search.region', controls.region));
  for (const name of ['department', 'family', 'activity']) form.append(field(name, `search.${name}`, controls[name]));
  if (referential) {
    const departments = () => FillSelect(controls.department, referential.DepartmentsOf(site === 'hub' ? controls.region.value : region)
      .map((d) => ({ code: d.code, label: `${d.name} (${d.code})` })), { emptyKey: 'search.any.m' });
    if (controls.region) {
      FillSelect(controls.region, [...referential.regions.values()].sort(ByLabel));
      controls.region.addEventListener('change', departments);
    }
    departments();
    FillSelect(controls.family, [...referential.families.values()].sort(ByLabel));
    FillSelect(controls.activity, [...referential.activities.values()].sort(ByLabel));
  }
  return controls;
}

// site: 'node' | 'hub'; linkFor(item), describe(item, referential): as on the home page.
export async function StartEmbed({ site, linkFor, describe }) {
  const settings = await SiteSettings();
  const title = EmbedTitle(site, settings.region);
  document.title = title;
  $('#embed-title').textContent = title;
  Translate();
  const url = new URLSearchParams(location.search);
  const referential = await LoadReferential().catch(() => null);
  const form = $('#filters');
  const controls = FilterControls(form, { site, referential, region: settings.region });
  // The region first: on the hub it decides which departments the select offers.
  if (controls.region && url.get('region')) {
    controls.region.value = url.get('region');
    controls.region.dispatchEvent(new Event('change'));
  }
  const { map } = await CreateMap($('#map'), {
    tileUrl: settings.tile_url, tileAttribution: settings.tile_attribution,
    label: T('map.label'), focusRegion: site === 'node' ? settings.region : undefined,
  });
  const bbox = (url.get('bbox') ?? '').split(',').map(Number);
  if (bbox.length === 4 && bbox.every(Number.isFinite)) {
    map.fitBounds(L.latLngBounds([bbox[1], bbox[0]], [bbox[3], bbox[2]]), { animate: false });
  }
  if (!settings.tile_url) ShowPlaceNames(map);
  const open = $('#embed-open');
  const search = new MapSearch({
    map, form, list: $('#results'), summary: $('#summary'), pager: $('#pager'), notice: $('#search-notice'),
    departments: await LoadOutlines('/generated/departments.geojson'),
    territory: site === 'hub' ? 'france' : 'region', franceUrl: settings.hub_public_url, newTab: true,
    linkFor, describe: (item) => describe(item, referential),
    onRefresh: ({ filters }) => {
      const words = Object.keys(filters).map((name) => search.Described(name));
      if (search.near) words.push(T('search.filter.place', { km: search.Radius(), place: search.near.label }));
      if (search.InView()) words.push(T('search.filter.in_view'));
      $('#embed-filters').textContent = words.length ? T('embed.filters', { filters: words.join(', ') }) : T('embed.filters.none');
      open.href = `/${location.search}`;
    },
  });
  Replace(open, T('embed.open'), h('span', { class: 'visually-hidden', text: T('link.new_tab') }));
  await search.Start();
  MarkReady();
}

// The generator page: `site` as above.
export async function StartGenerator({ site, active }) {
  const settings = await StartPage({ site, title: 'generator.page', active });
  const referential = await LoadReferential().catch(() => null);
  const form = $('#generator');
  const controls = FilterControls($('#generator-filters'), { site, referential, region: settings.region });
  for (const [name, size] of Object.entries(kSizes)) {
    const input = $(`#${name}`);
    Object.assign(input, { min: size.min, max: size.max, value: size.value });
    $(`#${name}-hint`).textContent = T('generator.size.hint', size);
  }
  $('#frame-title').value = EmbedTitle(site, settings.region);
  const code = $('#code');
  const preview = $('#preview');
  const status = $('#generator-status');
  const Size = (name) => {
    const { min, max, value } = kSizes[name];
    const n = Math.round(Number($(`#${name}`).value));
    return Number.isFinite(n) && n > 0 ? Math.min(max, Math.max(min, n)) : value;
  };
  let shown = '';
  const Update = ({ announce = false } = {}) => {
    const filters = Object.fromEntries(Object.entries(controls).filter(([, c]) => c).map(([name, c]) => [name, c.value.trim()]));
    const frame = { src: EmbedUrl(location.origin, filters), width: Size('width'), height: Size('height'),
      title: $('#frame-title').value.trim() || EmbedTitle(site, settings.region) };
    code.value = IframeCode(frame);
    // The preview at the chosen size, scaled down by CSS when the page is narrower.
    preview.title = frame.title;
    preview.width = String(frame.width);
    preview.height = String(frame.height);
    if (shown !== frame.src) {
      shown = frame.src;
      preview.src = frame.src;
    }
    if (announce) status.textContent = T('generator.updated');
  };
  let typing = null;
  form.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(() => Update({ announce: true }), 400); });
  form.addEventListener('change', () => { clearTimeout(typing); Update({ announce: true }); });
  form.addEventListener('submit', (e) => { e.preventDefault(); Update({ announce: true }); });
  $('#copy').addEventListener('click', async () => {
    clearTimeout(typing);
    Update();
    try {
      await navigator.clipboard.writeText(code.value);
      status.textContent = T('generator.copied');
    } catch {
      // No clipboard (permission refused, an insecure context): the text is selected instead.
      code.focus();
      code.select();
      status.textContent = T('generator.copy.select');
    }
  });
  Update();
  MarkReady();
}
