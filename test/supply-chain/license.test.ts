// LICENSE is the complete Apache License 2.0 (every section, the end of the terms and the appendix), word for word the
// text the Apache Software Foundation publishes, as another Apache-2.0 project ships it (@opentelemetry/api's LICENSE).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe('LICENSE', () => {
  it('is the full Apache License 2.0 text', () => {
    const ours = readFileSync(`${repo}LICENSE`, 'utf8');
    // The package root: its exports hide package.json, so walk up from the entry point.
    let otel = dirname(createRequire(`${repo}core/package.json`).resolve('@opentelemetry/api'));
    while (!otel.endsWith(join('@opentelemetry', 'api')) && otel !== dirname(otel)) otel = dirname(otel);
    expect(words(ours)).toEqual(words(readFileSync(join(otel, 'LICENSE'), 'utf8')));
    for (let section = 1; section <= 9; section++) expect(ours).toMatch(new RegExp(`^ {3}${section}\\. [A-Z]`, 'm'));
    expect(ours).toContain('END OF TERMS AND CONDITIONS');
    expect(ours).toContain('APPENDIX: How to apply the Apache License to your work.');
  });
});
