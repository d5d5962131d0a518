import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import {
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  ServerConfiguration,
  createConfiguration,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import { CnmcpError, type Logger, type ToolContext } from '@cnmcp/core/plugin';
import type { PluginContext } from '@cnmcp/core/plugin';

type Tracer = PluginContext<unknown>['tracer'];
import type { KubernetesSettings } from './config-schema.js';
import { describeFailure } from './kube-failure.js';
import { RawObjectApi } from './raw-object-api.js';

/** A backend call that failed; its message is written for the model (what failed, what to check). */
export class BackendFailure extends Error {}

/** The cluster the pack talks to, as the config names it; one per pack instance. */
export interface KubeBackend {
  /** The API server URL, for messages. */
  readonly server: string;
  /** The namespace of the kubeconfig context (or the service account's), used when a tool gets none. */
  readonly defaultNamespace: string;
  readonly objects: RawObjectApi;
  readonly core: CoreV1Api;
  readonly authorization: AuthorizationV1Api;
  /** Runs one API request under the call's signal and the request timeout, in a child span; failures become BackendFailure. */
  call<T>(ctx: ToolContext, action: string, request: () => Promise<T>): Promise<T>;
}

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

function loadKubeConfig(settings: KubernetesSettings): KubeConfig {
  const kc = new KubeConfig();
  const source = settings.source;
  if (source.kind === 'in-cluster') {
    kc.loadFromCluster();
    return kc;
  }
  try {
    kc.loadFromFile(source.path);
  } catch (error) {
    throw new CnmcpError('CONFIG_INVALID', `cannot load kubeconfig ${source.path}: ${(error as Error).message}`, { path: '/kubeconfig', cause: error });
  }
  if (source.context !== undefined) {
    if (!kc.getContexts().some((c) => c.name === source.context)) {
      throw new CnmcpError(
        'CONFIG_INVALID',
        `kubeconfig ${source.path} has no context "${source.context}" (it has: ${
          kc
            .getContexts()
            .map((c) => c.name)
            .join(', ') || 'none'
        })`,
        { path: '/context' },
      );
    }
    kc.setCurrentContext(source.context);
  }
  return kc;
}

function defaultNamespaceOf(kc: KubeConfig, settings: KubernetesSettings): string {
  const fromContext = kc.getContextObject(kc.getCurrentContext())?.namespace;
  if (fromContext) return fromContext;
  if (settings.source.kind === 'in-cluster') {
    try {
      return readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim() || 'default';
    } catch {
      return 'default';
    }
  }
  return 'default';
}

export function createKubeBackend(settings: KubernetesSettings, logger: Logger, tracer: Tracer): KubeBackend {
  const kc = loadKubeConfig(settings);
  const cluster = kc.getCurrentCluster();
  if (!cluster)
    throw new CnmcpError('CONFIG_INVALID', 'the kubeconfig context names no cluster', {
      path: settings.source.kind === 'in-cluster' ? '/inCluster' : '/context',
    });
  if (cluster.skipTLSVerify) {
    logger.warn(
      'TLS VERIFICATION OF THE KUBERNETES API IS OFF (insecure-skip-tls-verify in the kubeconfig): anyone on the network path can impersonate the API server and read every request, credentials included. Set certificate-authority instead.',
      {
        server: cluster.server,
      },
    );
  }
  // The signal of the tool call in flight reaches the HTTP request through the library's middleware hook.
  const callSignal = new AsyncLocalStorage<AbortSignal>();
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kc },
    promiseMiddleware: [
      {
        pre: async (context: RequestContext) => {
          const signal = callSignal.getStore();
          if (signal) context.setSignal(signal);
          return context;
        },
        post: async (response: ResponseContext) => response,
      },
    ],
  });
  const server = cluster.server;
  return {
    server,
    defaultNamespace: defaultNamespaceOf(kc, settings),
    objects: new RawObjectApi(configuration),
    core: new CoreV1Api(configuration),
    authorization: new AuthorizationV1Api(configuration),
    call(ctx, action, request) {
      const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(settings.requestTimeoutMs)]);
      return tracer.startActiveSpan(`kubernetes ${action}`, { attributes: { 'server.address': server, 'cnmcp.kubernetes.action': action } }, async (span) => {
        try {
          return await callSignal.run(signal, request);
        } catch (error) {
          const message = describeFailure(error, action, server, settings.requestTimeoutMs);
          span.setStatus({ code: 2, message });
          throw new BackendFailure(message);
        } finally {
          span.end();
        }
      });
    },
  };
}
