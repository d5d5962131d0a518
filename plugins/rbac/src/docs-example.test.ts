// The rbac example in docs/security/authorization.md, booted as written and called with each of its API keys.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findConfig } from '@cnmcp/core';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePolicy } from './compile-policy.js';
import type { RbacConfig } from './config-schema.js';
import { createRbacAuthorizer } from './rbac-authorizer.js';

const DOC = new URL('../../../docs/security/authorization.md', import.meta.url);
const MARKER = '<!-- The example below is booted and called by plugins/rbac/src/docs-example.test.ts';

const KEYS = { OPS_API_KEY: 'Ops-Key-0123456789abcdef!', DASHBOARD_API_KEY: 'Dash-Key-0123456789abcdef!', CI_API_KEY: 'Ci-Key-0123456789abcdef!' };

/** The first ```yaml block after the marker comment. */
function documentedExample(): string {
  const doc = readFileSync(DOC, 'utf8');
  const after = doc.slice(doc.indexOf(MARKER));
  const match = /```yaml\n([\s\S]*?)```/.exec(after);
  if (doc.indexOf(MARKER) < 0 || !match?.[1]) throw new Error('the tested example is missing from docs/security/authorization.md');
  return match[1];
}

let server: TestKernel;
let documented: { authorization: RbacConfig };

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnmcp-rbac-doc-'));
  writeFileSync(join(dir, 'cnmcp.config.yaml'), documentedExample());
  const found = await findConfig({ file: join(dir, 'cnmcp.config.yaml') });
  documented = found.config as typeof documented;
  server = await startTestKernel({ config: found.config as Record<string, unknown>, baseDir: dir, env: { ...KEYS } });
});

afterAll(async () => {
  await server?.close();
});

async function as(key: string, run: (client: Client) => Promise<void>): Promise<void> {
  const client = new Client({ name: 'rbac-doc-test', version: '0.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { 'X-API-Key': key } } }));
  try {
    await run(client);
  } finally {
    await client.close();
  }
}

const listed = async (client: Client) => (await client.listTools()).tools.map((t) => t.name).sort();

describe('docs/security/authorization.md rbac example', () => {
  it('shows the viewer only the get/list tools', async () => {
    await as(KEYS.DASHBOARD_API_KEY, async (client) => {
      expect(await listed(client)).toEqual(['utilities_get_time', 'utilities_get_timestamp']);
      const denied = await client.callTool({ name: 'utilities_hash', arguments: { input: 'x' } }).then(
        () => undefined,
        (e: unknown) => e as { code?: unknown },
      );
      expect(denied?.code).toBe(-32003);
    });
  });

  it('gives an identity with two roles the union of both', async () => {
    await as(KEYS.CI_API_KEY, async (client) => {
      expect(await listed(client)).toEqual(['utilities_base64', 'utilities_get_time', 'utilities_get_timestamp', 'utilities_hash']);
      expect((await client.callTool({ name: 'utilities_hash', arguments: { input: 'abc' } })).isError).toBeFalsy();
    });
  });

  it('grants the server permissions to the admin role only, and nothing to a role name it does not define', () => {
    const rbac = createRbacAuthorizer(compilePolicy(documented.authorization));
    const may = (roles: string[], name: string) => rbac.authorize({ id: 'x', authMethod: 'bearer', roles }, { kind: 'permission', name }).allow;
    expect([may(['admin'], 'audit:read'), may(['admin'], 'metrics:read')]).toEqual([true, true]);
    expect([may(['viewer'], 'audit:read'), may(['viewer', 'encoder'], 'metrics:read')]).toEqual([false, false]);
    expect(may(['Admin', 'metrics', 'auditor'], 'audit:read')).toBe(false); // names the example does not define
  });

  it('gives the admin everything but the denied tool', async () => {
    await as(KEYS.OPS_API_KEY, async (client) => {
      expect(await listed(client)).toEqual(['utilities_base64', 'utilities_get_time', 'utilities_get_timestamp', 'utilities_hash', 'utilities_sleep']);
    });
  });
});
