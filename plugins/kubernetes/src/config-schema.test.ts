import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { configSchema, resolveConfig } from './config-schema.js';
import { cleanObject, summarize } from './object-view.js';

describe('kubernetes pack config', () => {
  it('is a valid JSON Schema whose defaults fill a bare section', () => {
    const ajv = new Ajv2020({ strict: true, useDefaults: true });
    const config: Record<string, unknown> = { kubeconfig: '/etc/kube/config' };
    expect(ajv.validate(configSchema, config)).toBe(true);
    expect(config).toMatchObject({ inCluster: false, requestTimeoutMs: 15000, list: { defaultLimit: 50, maxLimit: 500 }, fieldManager: 'cnmcp' });
  });

  it('needs exactly one backend source, and a context only with a kubeconfig', () => {
    expect(() => resolveConfig({})).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', path: '/kubeconfig' }));
    expect(() => resolveConfig({ kubeconfig: 'k', inCluster: true })).toThrow(expect.objectContaining({ path: '/inCluster' }));
    expect(() => resolveConfig({ inCluster: true, context: 'x' })).toThrow(expect.objectContaining({ path: '/context' }));
    expect(resolveConfig({ inCluster: true }).source).toEqual({ kind: 'in-cluster' });
  });

  it('never lets the default page or tail exceed its maximum', () => {
    const settings = resolveConfig({ kubeconfig: 'k', list: { defaultLimit: 900, maxLimit: 100 }, logs: { defaultTailLines: 50, maxTailLines: 10 } });
    expect(settings.list).toEqual({ defaultLimit: 100, maxLimit: 100 });
    expect(settings.logs.defaultTailLines).toBe(10);
  });
});

describe('object view', () => {
  it('withholds Secret values and drops managedFields', () => {
    const secret = cleanObject({ kind: 'Secret', metadata: { name: 'db', managedFields: [{}] }, data: { password: 'c2VjcmV0' } }, 'Secret', 'v1');
    expect(secret.data).toEqual({ password: '<withheld: 8 characters>' });
    expect(secret.metadata).toEqual({ name: 'db' });
  });

  it('summarizes a pod as kubectl get prints it', () => {
    const pod = {
      metadata: { name: 'p', namespace: 'n' },
      spec: { containers: [{ name: 'a' }, { name: 'b' }], nodeName: 'node-1' },
      status: {
        phase: 'Running',
        containerStatuses: [
          { ready: true, restartCount: 1 },
          { ready: false, restartCount: 2, state: { waiting: { reason: 'ImagePullBackOff' } } },
        ],
      },
    };
    expect(summarize(pod, 'Pod')).toMatchObject({ status: 'ImagePullBackOff', ready: '1/2', restarts: 3, node: 'node-1' });
  });
});

describe('tool schemas', () => {
  it('every input and output schema compiles under strict JSON Schema 2020-12', async () => {
    const { default: pack } = await import('./index.js');
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-kube-schema-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'x',
      }),
    );
    const logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => logger };
    const tracer = { startActiveSpan: () => undefined };
    // exec enabled, so the one tool offered only on request is compiled too.
    const exec = { enabled: true, commands: ['cat'], roles: ['operator'] };
    const { tools } = await pack.setup({ config: { kubeconfig, exec }, logger, tracer } as never);
    const ajv = new Ajv2020({ strict: true });
    ajv.addKeyword({ keyword: 'x-cnmcp-sanitize', schemaType: 'string' });
    for (const tool of tools) {
      expect(() => ajv.compile(tool.inputSchema), tool.name).not.toThrow();
      if (tool.outputSchema) expect(() => ajv.compile(tool.outputSchema!), tool.name).not.toThrow();
    }
    expect(tools).toHaveLength(28);
  });
});
