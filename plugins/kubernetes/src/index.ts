import { definePlugin } from '@cnmcp/core/plugin';
import { createClusterTools, type ClusterTools } from './cluster-tools.js';
import { configSchema, resolveConfig, type KubernetesConfig } from './config-schema.js';
import { contextTools } from './context-tools.js';
import { kubernetesPrompts } from './prompts.js';
import { kubernetesResources } from './resources.js';

/**
 * Kubernetes tool pack: read any resource, logs, events and health; scale, restart, apply, patch, delete, cordon.
 * The clusters and credentials come from config only (a kubeconfig file and its allowed contexts, or the pod's
 * service account).
 *
 * @example
 * toolPacks:
 *   - use: kubernetes
 *     kubeconfig: ${env:KUBECONFIG}
 *     context: prod-readonly
 */
export default definePlugin<'tool-pack', KubernetesConfig>({
  kind: 'tool-pack',
  name: 'kubernetes',
  description:
    'Kubernetes: list/get/describe any resource, pod logs, events, unhealthy resources, rollout status, scale, restart, apply/patch/delete, cordon, permission checks, API discovery, node health and logs, Helm releases, opt-in exec.',
  configSchema,
  async setup(ctx) {
    const settings = resolveConfig(ctx.config);
    if (settings.contexts.some((c) => c.guardRails.secrets === 'read') || settings.guardRails.secrets === 'read') {
      ctx.logger.warn('kubernetes pack: secrets: read lets tools return Secret values into model context');
    }
    if (settings.contexts.length === 0) {
      const cluster = createClusterTools(settings, ctx.logger);
      logReady(ctx.logger, undefined, cluster, settings.source.kind);
      return { tools: cluster.tools, prompts: kubernetesPrompts(cluster.tools, []), ...kubernetesResources(cluster.tools, []) };
    }
    const clusters = new Map<string, ClusterTools>();
    for (const context of settings.contexts) {
      const source =
        settings.source.kind === 'kubeconfig' ? { ...settings.source, context: context.name, contextPath: `/contexts/${context.name}` } : settings.source;
      const cluster = createClusterTools({ ...settings, source, guardRails: context.guardRails }, ctx.logger);
      logReady(ctx.logger, context.name, cluster, settings.source.kind);
      clusters.set(context.name, cluster);
    }
    const tools = contextTools(clusters);
    const names = [...clusters.keys()];
    return { tools, prompts: kubernetesPrompts(tools, names), ...kubernetesResources(tools, names) };
  },
});

function logReady(logger: Parameters<typeof createClusterTools>[1], context: string | undefined, cluster: ClusterTools, source: string): void {
  logger.info('kubernetes pack ready', {
    ...(context ? { context } : {}),
    server: cluster.backend.server,
    defaultNamespace: cluster.backend.defaultNamespace,
    source,
    dryRun: cluster.guard.dryRun,
  });
}
