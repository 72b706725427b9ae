// The national site's embeddable map (/embed): common/embed.js, with the home page's links.
import { StartEmbed } from '/common/embed.js';

await StartEmbed({
  site: 'hub',
  linkFor: (item) => `/initiative.html?region=${encodeURIComponent(item.region)}&id=${encodeURIComponent(item.id)}`,
  describe: (item, referential) => [item.commune_name, referential?.Label('regions', item.region),
    referential?.Label('families', item.family)].filter(Boolean).join(' · '),
});
