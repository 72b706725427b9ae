// The regional site's home: the public map and the search, in step (common/search.js), with
// the place box and the place names of the plain background (common/places.js).
import { StartPage } from '/common/layout.js';
import { ShowLogKey } from './log_key.js';
import { AddMessages, T } from '/common/i18n.js';
import { $, MarkReady } from '/common/dom.js';
import { CreateMap, LoadOutlines } from '/common/map.js';
import { ShowPlaceNames } from '/common/places.js';
import { MapSearch } from '/common/search.js';
import { ByLabel, FillSelect, LoadReferential } from '/common/referential.js';

AddMessages({
  'home.title': { fr: 'Les initiatives de l\'économie sociale et solidaire', en: 'Social and solidarity economy initiatives' },
  'home.lead': {
    fr: 'Associations, coopératives, mutuelles, fondations et entreprises solidaires de la région, admises par son comité d\'éthique.',
    en: 'Associations, cooperatives, mutual societies, foundations and solidarity enterprises of the region, admitted by its ethics committee.',
  },
  'home.page': { fr: 'Carte', en: 'Map' },
});

const settings = await StartPage({ site: 'node', title: 'home.page', active: 'map' });
const referential = await LoadReferential().catch(() => null);
if (referential) {
  FillSelect($('#department'), referential.DepartmentsOf(settings.region)
    .map((d) => ({ code: d.code, label: `${d.name} (${d.code})` })), { emptyKey: 'search.any.m' });
  FillSelect($('#family'), [...referential.families.values()].sort(ByLabel));
  FillSelect($('#activity'), [...referential.activities.values()].sort(ByLabel));
}
const { map } = await CreateMap($('#map'), {
  tileUrl: settings.tile_url, tileAttribution: settings.tile_attribution,
  label: T('map.label'), focusRegion: settings.region,
});
if (!settings.tile_url) ShowPlaceNames(map);
const search = new MapSearch({
  map, form: $('#filters'), list: $('#results'), summary: $('#summary'), pager: $('#pager'), notice: $('#search-notice'),
  place: { input: $('#place'), list: $('#place-options'), status: $('#place-status'), nearButton: $('#near-me'), message: $('#place-message') },
  departments: await LoadOutlines('/generated/departments.geojson'),
  territory: 'region', franceUrl: settings.hub_public_url,
  linkFor: (item) => `/initiative.html?id=${encodeURIComponent(item.id)}`,
  describe: (item) => [item.commune_name, referential?.Label('families', item.family)].filter(Boolean).join(' · '),
});
await search.Start();
await ShowLogKey($('#site-footer'));
MarkReady();
