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
import { ApiException } from '@kubernetes/client-node';
import { CnmcpError, type Logger, type ToolContext } from '@cnmcp/core/plugin';
import { BackendFailure } from './backend-failure.js';
import type { KubernetesSettings } from './config-schema.js';
import { GuardRefusal, type GuardRails, type KindNames } from './guard-rails.js';
import { describeFailure } from './kube-failure.js';
import { RawObjectApi } from './raw-object-api.js';
import { impersonationHeaders, type ImpersonationConfig } from './impersonation.js';
import { isHelmReleaseList } from './helm/release-request.js';
import { packHttp, type CallScope } from './pack-http.js';
import { requestTarget } from './request-target.js';

/** Looks a resource up in discovery by group and plural; undefined before discovery ran. */
export type KnownResource = (group: string, plural: string) => KindNames | undefined;

/** The cluster the pack talks to, as the config names it; one per pack instance. */
export interface KubeBackend {
  /** The API server URL, for messages. */
  readonly server: string;
  /** The namespace of the kubeconfig context (or the service account's), used when a tool gets none. */
  readonly defaultNamespace: string;
  readonly objects: RawObjectApi;
  readonly core: CoreV1Api;
  readonly authorization: AuthorizationV1Api;
  readonly guard: GuardRails;
  /**
   * Runs one API request under the call's signal and the request timeout, in a `ctx.span` named after the
   * action's verb (its first word: `kubernetes.list`, never an object name); failures become BackendFailure.
   */
  call<T>(ctx: ToolContext, action: string, request: () => Promise<T>, options?: CallOptions): Promise<T>;
  /** The kubeconfig the calls authenticate with, for the connections the REST client does not make (exec). */
  readonly kubeConfig: KubeConfig;
  /** The guard rails' check of one request the REST client does not send (a WebSocket upgrade). */
  checkRequest(method: string, url: string): void;
  /** The Impersonate-* headers of the caller (none without `impersonate`). */
  impersonation(ctx: ToolContext): [string, string][];
}

export interface CallOptions {
  /** The call reads Helm release Secrets (lists selected by `owner=helm`), which `secrets: deny` does not cover. */
  readonly helmReleases?: boolean;
}

/** A fixed span name per operation: the verb every action starts with (`list pods in ...` -> `kubernetes.list`). */
function spanName(action: string): string {
  const verb = /^[a-z]+/.exec(action)?.[0];
  return `kubernetes.${verb ?? 'call'}`;
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
        { path: source.contextPath ?? '/context' },
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

export function createKubeBackend(
  settings: KubernetesSettings,
  logger: Logger,
  guard: GuardRails,
  known: KnownResource,
  impersonate: ImpersonationConfig | undefined,
): KubeBackend {
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
  // The signal and impersonation headers of the tool call in flight reach its HTTP requests through this scope.
  const scope = new AsyncLocalStorage<CallScope>();
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kc },
    httpApi: packHttp(scope),
    promiseMiddleware: [
      {
        pre: async (context: RequestContext) => {
          const signal = scope.getStore()?.signal;
          if (signal) context.setSignal(signal);
          // The last check before a request leaves: whatever tool built it, the guard rails see its real target.
          const target = requestTarget(context.getHttpMethod(), context.getUrl());
          const helmReleases = scope.getStore()?.helmReleases === true && isHelmReleaseList(context.getHttpMethod(), context.getUrl());
          guard.checkRequest(target, known, helmReleases);
          if (guard.forcesDryRun(target)) context.setQueryParam('dryRun', 'All');
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
    guard,
    kubeConfig: kc,
    checkRequest: (method, url) => guard.checkRequest(requestTarget(method, url), known),
    impersonation: (ctx) => (impersonate ? impersonationHeaders(impersonate, ctx.identity) : []),
    call(ctx, action, request, options) {
      const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(settings.requestTimeoutMs)]);
      return ctx.span(spanName(action), async (span) => {
        span.setAttribute('server.address', server);
        try {
          const headers = impersonate ? impersonationHeaders(impersonate, ctx.identity) : [];
          return await scope.run({ signal, headers, helmReleases: options?.helmReleases === true }, request);
        } catch (error) {
          if (error instanceof GuardRefusal) throw error;
          if (error instanceof ApiException) span.setAttribute('http.response.status_code', Number(error.code));
          throw new BackendFailure(describeFailure(error, action, server, settings.requestTimeoutMs));
        }
      });
    },
  };
}
