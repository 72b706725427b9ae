// The regional site's embeddable map (/embed): common/embed.js, with the home page's links.
import { StartEmbed } from '/common/embed.js';

await StartEmbed({
  site: 'node',
  linkFor: (item) => `/initiative.html?id=${encodeURIComponent(item.id)}`,
  describe: (item, referential) => [item.commune_name, referential?.Label('families', item.family)].filter(Boolean).join(' · '),
});
