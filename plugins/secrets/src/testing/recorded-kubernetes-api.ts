// Test helper: the recorded Kubernetes API server of test/support, started once per test file, and API clients for it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { startKubernetesApiServer, type KubernetesApiServer } from '../../../../test/support/kubernetes-api/server.js';

let started: Promise<{ server: KubernetesApiServer; kubeconfig: string }> | undefined;

export function recordedApiServer(): Promise<{ server: KubernetesApiServer; kubeconfig: string }> {
  started ??= (async () => {
    const server = await startKubernetesApiServer();
    const kubeconfig = await server.writeKubeconfig(mkdtempSync(join(tmpdir(), 'cnmcp-kube-secrets-')));
    return { server, kubeconfig };
  })();
  return started;
}

export async function closeRecordedApiServer(): Promise<void> {
  if (started) await (await started).server.close();
  started = undefined;
}

export async function recordedCoreApi(): Promise<CoreV1Api> {
  const kc = new KubeConfig();
  kc.loadFromFile((await recordedApiServer()).kubeconfig);
  return kc.makeApiClient(CoreV1Api);
}
