import type { ToolDefinition } from '@cnmcp/core/plugin';
import { HELM_SOURCE, releaseInputSchema, type ReleaseArgs } from '../helm/release-fields.js';
import { readRelease } from '../helm/release-store.js';
import { maskManifest } from '../helm/secret-masking.js';
import type { PackDeps } from '../pack-deps.js';
import { guarded, structuredResult } from '../tool-result.js';
import { manifestResources } from './helm-release-status.js';

/** `kubernetes_helm_release_manifest`: the manifest a release revision rendered, like helm get manifest. */
export function createHelmReleaseManifestTool(deps: PackDeps): ToolDefinition<ReleaseArgs> {
  const masking = deps.settings.helm.maskSecretValues;
  return guarded<ReleaseArgs>({
    name: 'kubernetes_helm_release_manifest',
    title: 'Helm release manifest',
    description: `The Kubernetes manifest a Helm release revision rendered (what Helm applied), like helm get manifest. ${
      masking
        ? 'The data of Secrets and values under credential-like keys are masked; the answer lists them.'
        : 'Shown unmasked (helm.maskSecretValues: false).'
    } ${HELM_SOURCE}`,
    inputSchema: releaseInputSchema,
    outputSchema: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        namespace: { type: 'string' },
        revision: { type: 'integer' },
        manifest: { type: 'string' },
        resources: { type: 'array', items: { type: 'object' } },
        masked: { type: 'array', items: { type: 'string' } },
      },
      required: ['name', 'namespace', 'revision', 'manifest', 'resources', 'masked'],
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const namespace = args.namespace ?? deps.backend.defaultNamespace;
      const release = await readRelease(deps, ctx, args.name, namespace, args.revision);
      const raw = release.manifest ?? '';
      const { manifest, masked } = masking ? maskManifest(raw) : { manifest: raw, masked: [] };
      const resources = manifestResources(raw, namespace);
      const note = masked.length > 0 ? `\n# ${masked.length} value(s) masked: ${masked.join(', ')}` : '';
      return structuredResult(
        { name: release.name, namespace, revision: release.version, manifest, resources, masked },
        `# Manifest of Helm release ${namespace}/${release.name} revision ${release.version} (${resources.length} resources)${note}\n${manifest}`,
      );
    },
  });
}
