import { loadAllYaml, PatchStrategy } from '@kubernetes/client-node';
import type { ToolDefinition } from '@cnmcp/core/plugin';
import { BackendFailure } from '../backend-failure.js';
import type { KubeObject } from '../object-view.js';
import type { PackDeps } from '../pack-deps.js';
import { dryRunField, namespaceField } from '../schemas.js';
import { guarded, InputProblem, structuredResult, toolError } from '../tool-result.js';

export type ApplyArgs = { manifest: string; namespace?: string; dryRun?: boolean; force?: boolean };

const MAX_DOCUMENTS = 50;
const MAX_MANIFEST_LENGTH = 1_048_576;

interface Applied {
  kind: string;
  name: string;
  namespace?: string;
  resourceVersion?: string;
  generation?: number;
}

function documentsOf(manifest: string): KubeObject[] {
  let docs: unknown[];
  try {
    docs = loadAllYaml(manifest).filter((d) => d !== null && d !== undefined);
  } catch (error) {
    throw new InputProblem(`The manifest is not valid YAML or JSON: ${(error as Error).message}`);
  }
  if (docs.length === 0) throw new InputProblem('The manifest holds no object.');
  if (docs.length > MAX_DOCUMENTS) throw new InputProblem(`The manifest holds ${docs.length} objects; apply at most ${MAX_DOCUMENTS} at a time.`);
  return docs.map((d, i) => {
    const o = d as KubeObject;
    if (typeof o !== 'object' || Array.isArray(o) || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string') {
      throw new InputProblem(`Object ${i + 1} of the manifest needs apiVersion, kind and metadata.name.`);
    }
    return o;
  });
}

/** `kubernetes_apply_manifest`: server-side apply of one or more objects (kubectl apply --server-side). */
export function createApplyTool(deps: PackDeps): ToolDefinition<ApplyArgs> {
  return guarded<ApplyArgs>({
    name: 'kubernetes_apply_manifest',
    title: 'Apply a manifest',
    description: `Creates or updates objects with server-side apply (field manager "${deps.settings.fieldManager}"), like kubectl apply --server-side. The manifest is YAML or JSON, one or more documents (at most ${MAX_DOCUMENTS}); objects are applied in order and the first failure stops the rest. Use dryRun to see what the API server would store.`,
    inputSchema: {
      type: 'object',
      properties: {
        // Sent to the API server as data: a filter must not change it; the API server validates it.
        manifest: {
          type: 'string',
          minLength: 1,
          maxLength: MAX_MANIFEST_LENGTH,
          'x-cnmcp-sanitize': 'raw',
          description: 'YAML or JSON manifest; several YAML documents separated by ---.',
        },
        namespace: namespaceField('Namespace for namespaced objects that name none; defaults to the kubeconfig context namespace.'),
        dryRun: dryRunField,
        force: {
          type: 'boolean',
          default: false,
          description: 'Take over fields another field manager owns (server-side apply conflicts), like --force-conflicts.',
        },
      },
      required: ['manifest'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        applied: {
          type: 'array',
          items: {
            type: 'object',
            properties: { kind: { type: 'string' }, name: { type: 'string' }, namespace: { type: 'string' }, resourceVersion: { type: 'string' } },
            required: ['kind', 'name'],
          },
        },
        dryRun: { type: 'boolean' },
      },
      required: ['applied', 'dryRun'],
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const docs = documentsOf(args.manifest);
      const dryRun = args.dryRun === true || deps.backend.guard.dryRun;
      const applied: Applied[] = [];
      for (const doc of docs) {
        const resource = await deps.catalog.resolve(ctx, String(doc.kind), String(doc.apiVersion));
        const namespace = resource.namespaced ? String(doc.metadata?.namespace ?? args.namespace ?? deps.backend.defaultNamespace) : undefined;
        const body = { ...doc, metadata: { ...doc.metadata, ...(namespace ? { namespace } : {}) } };
        const label = `${resource.kind} ${namespace ? `${namespace}/` : ''}${String(doc.metadata?.name)}`;
        try {
          const result = (await deps.backend.call(ctx, `apply ${label}`, () =>
            deps.backend.objects.patch(
              body as never,
              undefined,
              dryRun ? 'All' : undefined,
              deps.settings.fieldManager,
              args.force === true ? true : undefined,
              PatchStrategy.ServerSideApply,
            ),
          )) as KubeObject;
          applied.push({
            kind: resource.kind,
            name: String(doc.metadata?.name),
            ...(namespace ? { namespace } : {}),
            ...(result.metadata?.resourceVersion ? { resourceVersion: String(result.metadata.resourceVersion) } : {}),
            ...(typeof result.metadata?.generation === 'number' ? { generation: result.metadata.generation } : {}),
          });
        } catch (error) {
          if (!(error instanceof BackendFailure)) throw error;
          const done =
            applied.length === 0
              ? 'Nothing was applied.'
              : `Applied before the failure: ${applied.map((a) => `${a.kind} ${a.namespace ? `${a.namespace}/` : ''}${a.name}`).join(', ')}.`;
          return toolError(`${error.message}\n${done} Not attempted: ${docs.length - applied.length - 1} more object(s).`);
        }
      }
      const lines = applied.map(
        (a) =>
          `${a.kind} ${a.namespace ? `${a.namespace}/` : ''}${a.name} ${dryRun ? 'would be applied' : 'applied'}${a.resourceVersion ? ` (resourceVersion ${a.resourceVersion})` : ''}`,
      );
      return structuredResult({ applied, dryRun }, `${dryRun ? '[dry run, nothing changed]\n' : ''}${lines.join('\n')}`);
    },
  });
}
