import type { ToolDefinition } from '@cnmcp/core/plugin';
import { HELM_SOURCE, releaseNameField, revisionField } from '../helm/release-fields.js';
import { readRelease } from '../helm/release-store.js';
import { maskValues } from '../helm/secret-masking.js';
import type { PackDeps } from '../pack-deps.js';
import { namespaceField } from '../schemas.js';
import { guarded, structuredResult } from '../tool-result.js';

export type ValuesArgs = { name: string; namespace?: string; revision?: number; all?: boolean };

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The chart's defaults overlaid with the user's values, as Helm coalesces them (a null removes a default). */
export function coalesce(defaults: unknown, overrides: unknown): unknown {
  if (!isMap(defaults) || !isMap(overrides)) return overrides === undefined ? defaults : overrides;
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) delete out[key];
    else out[key] = coalesce(defaults[key], value);
  }
  return out;
}

/** `kubernetes_helm_release_values`: the values a release was installed with, credentials masked by default. */
export function createHelmReleaseValuesTool(deps: PackDeps): ToolDefinition<ValuesArgs> {
  const masking = deps.settings.helm.maskSecretValues;
  return guarded<ValuesArgs>({
    name: 'kubernetes_helm_release_values',
    title: 'Helm release values',
    description: `Values of a Helm release revision: those the user supplied, or with all: true the chart defaults merged in, like helm get values. ${
      masking
        ? 'Values under keys that look like credentials (password, token, secret, apiKey...) are masked; the answer lists their paths.'
        : 'Values are shown unmasked (helm.maskSecretValues: false).'
    } ${HELM_SOURCE}`,
    inputSchema: {
      type: 'object',
      properties: {
        name: releaseNameField,
        namespace: namespaceField('Namespace of the release; defaults to the namespace of the configured kubeconfig context.'),
        revision: revisionField,
        all: { type: 'boolean', default: false, description: 'Include the chart defaults (computed values), like helm get values --all.' },
      },
      required: ['name'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        namespace: { type: 'string' },
        revision: { type: 'integer' },
        values: { type: 'object' },
        masked: { type: 'array', items: { type: 'string' }, description: 'Paths of the values replaced by ***masked***.' },
      },
      required: ['name', 'namespace', 'revision', 'values', 'masked'],
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const namespace = args.namespace ?? deps.backend.defaultNamespace;
      const release = await readRelease(deps, ctx, args.name, namespace, args.revision);
      const supplied = release.config ?? {};
      const raw = args.all === true ? coalesce(release.chart?.values ?? {}, supplied) : supplied;
      const { value, masked } = masking ? maskValues(raw) : { value: raw, masked: [] };
      const note = masked.length > 0 ? `\n${masked.length} value(s) that look like credentials are masked: ${masked.join(', ')}.` : '';
      return structuredResult(
        { name: release.name, namespace, revision: release.version, values: value as Record<string, unknown>, masked },
        `${args.all === true ? 'All (computed)' : 'User-supplied'} values of Helm release ${namespace}/${release.name} revision ${release.version}:\n${JSON.stringify(value, null, 1)}${note}`,
      );
    },
  });
}
