import type { Logger, ToolDefinition } from '@cnmcp/core/plugin';
import type { KubernetesSettings } from './config-schema.js';
import { GuardRails } from './guard-rails.js';
import { withGuardRails } from './guarded-tools.js';
import { createKubeBackend, type KubeBackend } from './kube-backend.js';
import type { PackDeps } from './pack-deps.js';
import { ResourceCatalog } from './resource-catalog.js';
import { createApplyTool } from './tools/apply-manifest.js';
import { createCheckPermissionsTool } from './tools/check-permissions.js';
import { createCordonTools } from './tools/cordon-node.js';
import { createDeleteTool } from './tools/delete-resource.js';
import { createDescribeTool } from './tools/describe-resource.js';
import { createExecTool } from './tools/exec-command.js';
import { createGetTools } from './tools/get-resource.js';
import { createHelmListReleasesTool } from './tools/helm-list-releases.js';
import { createHelmReleaseHistoryTool } from './tools/helm-release-history.js';
import { createHelmReleaseManifestTool } from './tools/helm-release-manifest.js';
import { createHelmReleaseStatusTool } from './tools/helm-release-status.js';
import { createHelmReleaseValuesTool } from './tools/helm-release-values.js';
import { createPodLogsTool } from './tools/get-pod-logs.js';
import { createApiResourcesTool } from './tools/list-api-resources.js';
import { createListEventsTool } from './tools/list-events.js';
import { createListTools } from './tools/list-resources.js';
import { createNodeConditionsTool } from './tools/node-conditions.js';
import { createNodeLogsTool } from './tools/node-logs.js';
import { createUnhealthyTool } from './tools/list-unhealthy.js';
import { createPatchTool } from './tools/patch-resource.js';
import { createRestartTool } from './tools/restart-workload.js';
import { createRolloutStatusTool } from './tools/rollout-status.js';
import { createScaleTool } from './tools/scale-workload.js';
import { createTopTool } from './tools/top-usage.js';
import { createTriggerCronJobTool } from './tools/trigger-cronjob.js';

/** One cluster (a kubeconfig context, or the pod's own) with its guard rails, and every tool of the pack bound to it. */
export interface ClusterTools {
  readonly backend: KubeBackend;
  readonly guard: GuardRails;
  readonly tools: readonly ToolDefinition[];
}

export function createClusterTools(settings: KubernetesSettings, logger: Logger): ClusterTools {
  const guard = new GuardRails(settings.guardRails);
  // The backend's request check looks kinds up in the catalog's discovery, and the catalog calls the backend
  // (the closure runs at request time, after both exist).
  const backend = createKubeBackend(settings, logger, guard, (group, plural) => catalog.known(group, plural), settings.impersonate);
  const catalog = new ResourceCatalog(backend);
  const deps: PackDeps = { backend, catalog, settings };
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
    createTriggerCronJobTool(deps),
    createTopTool(deps),
    createNodeConditionsTool(deps),
    createNodeLogsTool(deps),
    createHelmListReleasesTool(deps),
    createHelmReleaseStatusTool(deps),
    createHelmReleaseHistoryTool(deps),
    createHelmReleaseValuesTool(deps),
    createHelmReleaseManifestTool(deps),
    // Offered only when the operator enabled it: a tool that is not listed cannot be called.
    ...(settings.exec.enabled ? [createExecTool(deps)] : []),
  ] as ToolDefinition[];
  return { backend, guard, tools: withGuardRails(tools, guard) };
}
