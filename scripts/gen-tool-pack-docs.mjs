// `npm run docs:tools` (part of `npm run docs`): regenerates docs/tool-packs/*.md and removes generated pages of packs
// that are no longer built in. Hand-written pages in the directory (setup guides) are left alone.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { GENERATED_MARK, renderToolPackDocs } from './tool-pack-reference.mjs';

const dir = new URL('../docs/tool-packs/', import.meta.url);
mkdirSync(dir, { recursive: true });
const pages = await renderToolPackDocs();
for (const file of readdirSync(dir)) {
  if (file.endsWith('.md') && !pages.has(file) && readFileSync(new URL(file, dir), 'utf8').includes(GENERATED_MARK)) rmSync(new URL(file, dir));
}
for (const [file, text] of pages) writeFileSync(new URL(file, dir), text);
console.log(`wrote docs/tool-packs/ (${[...pages.keys()].join(', ')})`);
