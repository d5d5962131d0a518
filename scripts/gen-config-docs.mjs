// `npm run docs`: regenerates docs/configuration.md.
import { writeFileSync } from 'node:fs';
import { renderConfigReference } from './config-reference.mjs';

writeFileSync(new URL('../docs/configuration.md', import.meta.url), await renderConfigReference());
console.log('wrote docs/configuration.md');
