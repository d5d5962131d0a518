import { definePlugin } from '@cnmcp/core/plugin';
import { configSchema, resolveConfig, type KubernetesConfig } from './config-schema.js';
import { GuardRails } from './guard-rails.js';
import { withGuardRails } from './guarded-tools.js';
import { createKubeBackend } from './kube-backend.js';
import type { PackDeps } from './pack-deps.js';
import { ResourceCatalog } from './resource-catalog.js';
import { createApplyTool } from './tools/apply-manifest.js';
import { createCheckPermissionsTool } from './tools/check-permissions.js';
import { createCordonTools } from './tools/cordon-node.js';
import { createDeleteTool } from './tools/delete-resource.js';
import { createDescribeTool } from './tools/describe-resource.js';
import { createGetTools } from './tools/get-resource.js';
import { createPodLogsTool } from './tools/get-pod-logs.js';
import { createApiResourcesTool } from './tools/list-api-resources.js';
import { createListEventsTool } from './tools/list-events.js';
import { createListTools } from './tools/list-resources.js';
import { createUnhealthyTool } from './tools/list-unhealthy.js';
import { createPatchTool } from './tools/patch-resource.js';
import { createRestartTool } from './tools/restart-workload.js';
import { createRolloutStatusTool } from './tools/rollout-status.js';
import { createScaleTool } from './tools/scale-workload.js';
import type { ToolDefinition } from '@cnmcp/core/plugin';

/**
 * Kubernetes tool pack: read any resource, logs, events and health; scale, restart, apply, patch, delete, cordon.
 * The cluster and credentials come from config only (a kubeconfig file or the pod's service account).
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
    'Kubernetes: list/get/describe any resource, pod logs, events, unhealthy resources, rollout status, scale, restart, apply/patch/delete, cordon, permission checks, API discovery.',
  configSchema,
  async setup(ctx) {
    const settings = resolveConfig(ctx.config);
    const guard = new GuardRails(settings.guardRails);
    // The backend's request check looks kinds up in the catalog's discovery, and the catalog calls the backend.
    // (the closure runs at request time, after both exist).
    const backend = createKubeBackend(settings, ctx.logger, guard, (group, plural) => catalog.known(group, plural), settings.impersonate);
    const catalog = new ResourceCatalog(backend);
    const deps: PackDeps = { backend, catalog, settings };
    if (guard.secrets === 'read') ctx.logger.warn('kubernetes pack: secrets: read lets tools return Secret values into model context');
    ctx.logger.info('kubernetes pack ready', {
      server: backend.server,
      defaultNamespace: backend.defaultNamespace,
      source: settings.source.kind,
      dryRun: guard.dryRun,
    });
    const tools = [
      ...createListTools(deps),
      ...createGetTools(deps),
      createDescribeTool(deps),
      createPodLogsTool(deps),
      createListEventsTool(deps),
      createUnhealthyTool(deps),
      createRolloutStatusTool(deps),
      createApiResourcesTool(deps),
      createCheckPermissionsTool(deps),
      createScaleTool(deps),
      createRestartTool(deps),
      createApplyTool(deps),
      createPatchTool(deps),
      createDeleteTool(deps),
      ...createCordonTools(deps),
    ] as ToolDefinition[];
    return { tools: withGuardRails(tools, guard) };
  },
});
