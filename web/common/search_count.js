// What a search's count says, on both sites: the exact count, or « Plus de 10 000 » when the
// hub counted up to its cap (docs/hub-api.yaml: total_capped; a node always counts exactly);
// the pager's words likewise; and how many results the visible-area limit hides, when that can
// be known (a capped count is a lower bound).
import { AddMessages, FormatNumber, T } from './i18n.js';

AddMessages({
  'search.hidden': {
    fr: '{count} résultat(s) hors de la zone visible de la carte.', en: '{count} result(s) outside the visible area of the map.',
  },
  'search.count_capped': { fr: 'Plus de {count} initiatives', en: 'More than {count} initiatives' },
  'search.page_capped': { fr: 'Page {page} sur plus de {pages}', en: 'Page {page} of more than {pages}' },
  'search.hidden_capped': {
    fr: 'Plus de {count} résultat(s) hors de la zone visible de la carte.',
    en: 'More than {count} result(s) outside the visible area of the map.',
  },
});

// "12 initiative(s)" or "Plus de 10 000 initiatives".
export function CountText(results) {
  return T(results.total_capped ? 'search.count_capped' : 'search.count', { count: FormatNumber(results.total) });
}

// The number of pages the count allows and the pager's words for `page`.
export function PagerText(results, page, perPage) {
  const pages = Math.max(1, Math.ceil(results.total / perPage));
  return { pages, text: T(results.total_capped ? 'search.page_capped' : 'search.page', { page, pages }) };
}

// What the visible-area limit hides: `results` within the area, `everywhere` the same search
// without it. null when nothing is hidden or it cannot be told (the area's count capped).
export function HiddenText(results, everywhere) {
  if (!everywhere || results.total_capped) return null;
  const hidden = everywhere.total - results.total;
  if (hidden <= 0) return null;
  return T(everywhere.total_capped ? 'search.hidden_capped' : 'search.hidden', { count: FormatNumber(hidden) });
}
