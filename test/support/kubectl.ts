// Real kubectl (Debian's kubernetes-client) against the recorded Kubernetes API server, and the pack's structured
// answer to compare with: what every kubectl agreement test does.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Client } from '@modelcontextprotocol/client';

export interface KubectlRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs kubectl with `env` (its KUBECONFIG); the fixture server lives in the test's process, so the call must not block. */
export async function runKubectl(env: NodeJS.ProcessEnv, args: readonly string[]): Promise<KubectlRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)('kubectl', args, { env, encoding: 'utf8', timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error('kubectl is not installed: run scripts/ensure-test-services.sh (Debian package kubernetes-client)');
    return { code: Number(e.code), stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** A tool's structured content; a tool error fails the test with the tool's own text. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- structured content, asserted field by field
export async function structuredResult(client: Client, name: string, args: Record<string, unknown>): Promise<Record<string, any>> {
  const result = (await client.callTool({ name, arguments: args })) as {
    isError?: boolean;
    content: { text?: string }[];
    structuredContent?: Record<string, unknown>;
  };
  if (result.isError) throw new Error(`${name} failed: ${result.content[0]?.text}`);
  return result.structuredContent ?? {};
}
