// An intruder with write access to the audit file (but not to the key, nor to the checkpoint file) tries what the
// security review did: re-hash an edit, forge an erasure, cut the tail, delete a chain, empty the file.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startTestKernel } from '@cnmcp/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

const KEY = 'Audit-Tamper-Key-0042!';
type Line = Record<string, unknown> & { chain: string; seq: number; hash: string; prevHash: string; keyId?: string };

/** Canonical JSON as the chain hashes it (keys sorted, no whitespace). */
const canonical = (v: unknown): string =>
  v === null || typeof v !== 'object'
    ? JSON.stringify(v)
    : Array.isArray(v)
      ? `[${v.map(canonical).join(',')}]`
      : `{${Object.keys(v)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Re-links a chain with plain SHA-256 after an edit, as the attack on an unkeyed chain did; `keepKeyId` pretends it is keyed. */
function rehash(lines: Line[], keepKeyId: boolean): Line[] {
  let prevHash = '';
  return lines.map((line) => {
    const { hash: _hash, keyId, ...rest } = line;
    const unsealed = { ...rest, prevHash, ...(keepKeyId && keyId ? { keyId } : {}) };
    prevHash = sha256(canonical(unsealed));
    return { ...unsealed, hash: prevHash } as Line;
  });
}

describe('audit verify against an intruder who can write the audit file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnmcp-audit-tamper-'));
  const path = join(dir, 'log', 'audit.jsonl');
  mkdirSync(join(dir, 'anchor'));
  const checkpoints = join(dir, 'anchor', 'checkpoints.jsonl');
  const config = {
    authorization: { use: 'allow-all' },
    auth: [{ use: 'apikey', keys: [{ id: 'ops', key: KEY, roles: ['admin'] }] }],
    audit: [{ use: 'file', path }],
    auditing: { chainKey: 'a-chain-key-of-at-least-32-characters!!', checkpoints: { path: checkpoints, intervalSeconds: 1 } },
    toolPacks: [{ use: 'utilities' }],
  };
  const configFile = join(dir, 'cnmcp.config.json');
  writeFileSync(configFile, JSON.stringify(config));
  let pristine = '';
  const verify = async (text: string, extra: string[] = []) => {
    writeFileSync(path, text);
    return runCli(['audit', 'verify', '--config', configFile, ...extra]);
  };
  const lines = () =>
    pristine
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
  const text = (events: Line[]) => events.map((e) => `${JSON.stringify(e)}\n`).join('');

  beforeAll(async () => {
    // Two server runs: two chains, each anchored by checkpoints in another directory.
    for (const input of ['first run', 'second run']) {
      const server = await startTestKernel({ config });
      const client = new Client({ name: 'tamper-e2e', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
      await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { 'x-api-key': KEY } } }));
      await client.callTool({ name: 'utilities_hash', arguments: { input, algorithm: 'sha256' } });
      await client.callTool({ name: 'utilities_get_time', arguments: { timezone: 'Not/AZone' } });
      await client.close();
      await server.close();
    }
    pristine = readFileSync(path, 'utf8');
  }, 120_000);

  it('verifies the untouched log, keyed, with both chains anchored', async () => {
    expect(lines().every((l) => typeof l.keyId === 'string')).toBe(true);
    expect(readFileSync(checkpoints, 'utf8').trim().split('\n').length).toBeGreaterThanOrEqual(2);
    const clean = await verify(pristine);
    expect(clean.stdout).toContain('ok: every chain verifies');
    expect(clean.code).toBe(0);
  }, 60_000);

  it('catches an edited event with every later event re-hashed (keyId kept or stripped)', async () => {
    const events = lines();
    const chain = events[0]!.chain;
    const victim = events.findIndex((e) => e.chain === chain && e.tool === 'utilities_get_time');
    const edited = events.map((e, i) => (i === victim ? { ...e, outcome: 'success', error: undefined } : e));
    const mine = edited.filter((e) => e.chain === chain);
    const others = edited.filter((e) => e.chain !== chain);
    for (const keep of [true, false]) {
      const result = await verify(text([...rehash(mine, keep), ...others]));
      expect(result.code).toBe(3);
      expect(result.stdout).toMatch(
        keep ? /TAMPERED chain \w+ at seq 1 \(event \w+\): edited/ : /UNKEYED chain \w+ at seq 1 .*: unkeyed: sealed without a key/,
      );
    }
  }, 60_000);

  it('catches an edit covered by one appended, forged audit.erased record', async () => {
    const events = lines();
    const victim = events.findIndex((e) => e.tool === 'utilities_get_time');
    const original = events[victim]!;
    const edited = { ...original, outcome: 'success' as const, error: undefined };
    const { hash: _h, ...unsealedEdit } = edited;
    const forged = {
      id: '01ZZZZZZZZZZZZZZZZZZZZZZZZ',
      time: new Date().toISOString(),
      type: 'audit.erased',
      outcome: 'success',
      chain: 'f'.repeat(16),
      seq: 1,
      prevHash: '',
      keyId: original.keyId,
      details: { pseudonym: 'erased:x', events: [{ id: original.id, hash: original.hash, erasedHash: sha256(canonical(unsealedEdit)) }] },
    };
    const record = { ...forged, hash: sha256(canonical(forged)) };
    const result = await verify(text([...events.map((e, i) => (i === victim ? edited : e)), record as unknown as Line]));
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(`(event ${original.id}): edited`);
    expect(result.stdout).toMatch(/0 erased by request/);
  }, 60_000);

  it('reports a deleted tail, a deleted chain and an emptied file against the checkpoints', async () => {
    const events = lines();
    const tail = await verify(text(events.slice(0, -2)));
    expect(tail.code).toBe(3);
    expect(tail.stdout).toMatch(/TAMPERED chain \w+: missing tail: seq \d+\.\.\d+ are missing; the checkpoint of .* recorded seq \d+/);

    const second = events.at(-1)!.chain;
    const chain = await verify(text(events.filter((e) => e.chain !== second)));
    expect(chain.code).toBe(3);
    expect(chain.stdout).toContain(`TAMPERED chain ${second}: missing chain: no event of this chain is in the log`);

    const empty = await verify('');
    expect(empty.code).toBe(3);
    expect(empty.stdout).toMatch(/TAMPERED chain -: empty log: the log holds no events, but .* records 2 chain\(s\)/);

    // A checkpoint file edited to hide the loss does not verify either.
    const anchor = readFileSync(checkpoints, 'utf8');
    writeFileSync(checkpoints, anchor.replace(/"seq":(\d+)/g, '"seq":1'));
    const forgedAnchor = await verify(pristine);
    expect(forgedAnchor.code).toBe(3);
    expect(forgedAnchor.stdout).toContain('forged checkpoint');
    // Deleting the checkpoint file is no way out either.
    rmSync(checkpoints);
    const unanchored = await verify(pristine);
    expect(unanchored.code).toBe(3);
    expect(unanchored.stdout).toMatch(/TAMPERED chain -: missing checkpoints: .*checkpoints\.jsonl does not exist, yet the log holds events/);
    writeFileSync(checkpoints, anchor);
  }, 120_000);
});
