// The regional site's generator of the embeddable map's code (common/embed.js).
import { StartGenerator } from '/common/embed.js';

await StartGenerator({ site: 'node' });
