import type { KubernetesSettings } from './config-schema.js';
import type { KubeBackend } from './kube-backend.js';
import type { ResourceCatalog } from './resource-catalog.js';

/** What every tool of the pack is built from. */
export interface PackDeps {
  readonly backend: KubeBackend;
  readonly catalog: ResourceCatalog;
  readonly settings: KubernetesSettings;
}
