import { readFileSync } from 'node:fs';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { CnmcpError, definePlugin } from '@cnmcp/core/plugin';
import { KubernetesSecretStore } from './kubernetes-store.js';

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/**
 * Secrets as Kubernetes Secrets in one namespace (the pod's own by default), shared by every replica and by
 * `cnmcp secrets` run with the same kubeconfig. Needs get, list, create, update and delete on secrets there: the
 * Helm chart's Role grants exactly that, in the release namespace only.
 *
 * @example
 * secrets:
 *   use: kubernetes          # in a pod: the service account, the pod's namespace
 *   prefix: cnmcp-           # Secret `cnmcp-ops-key` holds the secret `ops-key`
 */
export default definePlugin({
  kind: 'secret-store',
  name: 'kubernetes',
  description: 'Secrets stored as Kubernetes Secrets in one namespace (versions in each Secret), shared by replicas and the CLI.',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      namespace: {
        type: 'string',
        pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$',
        description: "Where the Secrets live. Default: the kubeconfig context's namespace, else the pod's own.",
      },
      kubeconfig: {
        type: 'string',
        minLength: 1,
        description: 'Path of a kubeconfig. Default: in a pod, its service account; else $KUBECONFIG or ~/.kube/config.',
      },
      context: { type: 'string', minLength: 1, description: 'Context of the kubeconfig to use. Default: its current context.' },
      prefix: {
        type: 'string',
        pattern: '^[a-z0-9][-a-z0-9.]{0,40}$',
        default: 'cnmcp-',
        description: 'Prepended to each Secret name: keeps deployments sharing a namespace apart.',
      },
      pollIntervalMs: {
        type: 'integer',
        minimum: 0,
        maximum: 300_000,
        default: 5000,
        description: 'How often the namespace is listed for changes by other replicas or the CLI; 0 turns it off.',
      },
    },
  },
  async setup({ config, logger }) {
    const kc = new KubeConfig();
    try {
      if (config.kubeconfig) kc.loadFromFile(config.kubeconfig);
      else kc.loadFromDefault();
    } catch (error) {
      throw new CnmcpError('CONFIG_INVALID', `cannot load the kubeconfig: ${(error as Error).message}`, { path: '/kubeconfig' });
    }
    if (config.context) {
      if (!kc.getContexts().some((c) => c.name === config.context))
        throw new CnmcpError('CONFIG_INVALID', `the kubeconfig has no context "${config.context}"`, { path: '/context' });
      kc.setCurrentContext(config.context);
    }
    const namespace = config.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? podNamespace() ?? 'default';
    return KubernetesSecretStore.open({
      api: kc.makeApiClient(CoreV1Api),
      namespace,
      prefix: config.prefix ?? 'cnmcp-',
      pollIntervalMs: config.pollIntervalMs ?? 5000,
      logger,
    });
  },
});

function podNamespace(): string | undefined {
  try {
    return readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
