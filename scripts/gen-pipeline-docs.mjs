// `npm run docs`: regenerates the pipeline section of docs/architecture.md from core/src/pipeline/stages.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { withPipelineReference } from '@cnmcp/core';

const file = new URL('../docs/architecture.md', import.meta.url);
writeFileSync(file, withPipelineReference(readFileSync(file, 'utf8')));
console.log('wrote the pipeline section of docs/architecture.md');
