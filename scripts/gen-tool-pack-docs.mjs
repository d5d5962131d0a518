// `npm run docs:tools` (part of `npm run docs`): regenerates docs/tool-packs/*.md and removes pages of packs that
// are no longer built in.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { renderToolPackDocs } from './tool-pack-reference.mjs';

const dir = new URL('../docs/tool-packs/', import.meta.url);
mkdirSync(dir, { recursive: true });
const pages = await renderToolPackDocs();
for (const file of readdirSync(dir)) if (file.endsWith('.md') && !pages.has(file)) rmSync(new URL(file, dir));
for (const [file, text] of pages) writeFileSync(new URL(file, dir), text);
console.log(`wrote docs/tool-packs/ (${[...pages.keys()].join(', ')})`);
