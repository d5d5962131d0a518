import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { startTestKernel } from '@cnmcp/core/testing';
import { runCli } from '../cli/run-cli.js';

// docs/security/audit.md as written: the integrity config runs as shown (with its paths moved to a temp dir), and
// the three `audit verify` samples are what the command prints for a clean log, a cut tail and an emptied file.
const doc = readFileSync(new URL('../../docs/security/audit.md', import.meta.url), 'utf8');
const blocks = (lang: string) => [...doc.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\``, 'gm'))].map((m) => m[1]!);

/** A line with what changes from run to run (ids, times, counts, paths, host) made generic. */
const shape = (line: string) =>
  line
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'TIME')
    .replace(/\b[0-9a-f]{16}\b/g, 'ID')
    .replace(/\S*audit-checkpoints\.jsonl/g, 'FILE')
    .replace(/host \S+ pid \d+/g, 'host H pid N')
    .replace(/\d+/g, 'N');

describe('docs/security/audit.md examples', () => {
  it('the integrity config runs, and verify prints the documented output for a clean log, a cut tail and an emptied file', async () => {
    const [block] = blocks('yaml').filter((b) => b.startsWith('# audit integrity'));
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-docs-audit-'));
    mkdirSync(join(dir, 'secrets'));
    writeFileSync(join(dir, 'secrets', 'cnmcp-audit-chain-key'), randomBytes(32).toString('base64'));
    const config = parse(
      block!.replaceAll('/var/log/cnmcp/', `${dir}/log/`).replaceAll('/var/lib/cnmcp-anchor/', `${dir}/`).replaceAll('/run/secrets/', `${dir}/secrets/`),
    ) as Record<string, unknown>;
    const env = { CNMCP_AUDIT_HMAC_KEY: randomBytes(32).toString('base64') };
    const configFile = join(dir, 'cnmcp.yaml');
    writeFileSync(configFile, stringify(config));
    const server = await startTestKernel({ config, env });
    await server.close();

    const [clean, tail, empty] = blocks('text').filter((b) => b.includes(' events in '));
    const path = join(dir, 'log', 'audit.jsonl');
    const pristine = readFileSync(path, 'utf8');
    const verify = async (text: string) => {
      writeFileSync(path, text);
      return runCli(['audit', 'verify', '--config', configFile], { env });
    };
    const lines = pristine.trimEnd().split('\n');
    for (const [sample, text, code] of [
      [clean!, pristine, 0],
      [tail!, `${lines.slice(0, -1).join('\n')}\n`, 3],
      [empty!, '', 3],
    ] as const) {
      const result = await verify(text);
      expect(result.stdout.trimEnd().split('\n').map(shape)).toEqual(sample.trimEnd().split('\n').map(shape));
      expect(result.code).toBe(code);
    }
  }, 120_000);
});
