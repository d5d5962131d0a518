import type { ToolDefinition } from '@cnmcp/core/plugin';
import { namespaceFor } from '../list-objects.js';
import { objectPath } from '../object-path.js';
import { cleanObject, summarize, summaryLine, type KubeObject } from '../object-view.js';
import type { PackDeps } from '../pack-deps.js';
import { apiVersionField, dryRunField, kindField, nameField, namespaceField } from '../schemas.js';
import { guarded, InputProblem, structuredResult } from '../tool-result.js';

const PATCH_TYPES = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
} as const;

export type PatchArgs = {
  kind: string;
  name: string;
  namespace?: string;
  apiVersion?: string;
  patch: string;
  type?: keyof typeof PATCH_TYPES;
  dryRun?: boolean;
};

/** `kubernetes_patch_resource`: a merge, strategic-merge or JSON patch of one object (kubectl patch). */
export function createPatchTool(deps: PackDeps): ToolDefinition<PatchArgs> {
  return guarded<PatchArgs>({
    name: 'kubernetes_patch_resource',
    title: 'Patch a Kubernetes resource',
    description:
      'Changes fields of one object with a JSON merge patch (default; any kind), a strategic merge patch (built-in kinds; lists such as containers merge by name) or a JSON patch (RFC 6902 operations). Include metadata.resourceVersion in a merge patch to fail with a conflict if the object changed meanwhile. Supports server-side dry run.',
    inputSchema: {
      type: 'object',
      properties: {
        kind: kindField,
        name: nameField('Object name.'),
        namespace: namespaceField(),
        apiVersion: apiVersionField,
        // Sent to the API server as data: a filter must not change it.
        patch: {
          type: 'string',
          minLength: 2,
          maxLength: 1_048_576,
          'x-cnmcp-sanitize': 'raw',
          description: 'The patch as JSON: an object for merge/strategic, an array of operations for json.',
        },
        type: { type: 'string', enum: Object.keys(PATCH_TYPES), default: 'merge', description: 'Patch type.' },
        dryRun: dryRunField,
      },
      required: ['kind', 'name', 'patch'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: { summary: { type: 'object' }, object: { type: 'object' }, dryRun: { type: 'boolean' } },
      required: ['summary', 'object', 'dryRun'],
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    async run(args, ctx) {
      let body: unknown;
      try {
        body = JSON.parse(args.patch);
      } catch (error) {
        throw new InputProblem(`patch is not valid JSON: ${(error as Error).message}`);
      }
      const type = args.type ?? 'merge';
      if (type === 'json' ? !Array.isArray(body) : typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new InputProblem(
          type === 'json'
            ? 'A json patch is an array of operations, e.g. [{"op":"replace","path":"/spec/replicas","value":2}].'
            : `A ${type} patch is a JSON object.`,
        );
      }
      const resource = await deps.catalog.resolve(ctx, args.kind, args.apiVersion);
      const namespace = namespaceFor(deps, resource, args.namespace);
      const dryRun = args.dryRun === true || deps.backend.guard.dryRun;
      const patched = (await deps.backend.call(ctx, `patch ${resource.name} "${args.name}"${namespace ? ` in namespace "${namespace}"` : ''}`, () =>
        deps.backend.objects.request('PATCH', objectPath(resource, args.name, namespace), {
          body,
          contentType: PATCH_TYPES[type],
          query: { fieldManager: deps.settings.fieldManager, ...(dryRun ? { dryRun: 'All' } : {}) },
        }),
      )) as KubeObject;
      const summary = summarize(patched, resource.kind);
      return structuredResult(
        { summary, object: cleanObject(patched, resource.kind, resource.apiVersion, deps.backend.guard.secrets === 'read'), dryRun },
        `${dryRun ? '[dry run, nothing changed] ' : ''}${resource.kind} ${summaryLine(summary)} patched (resourceVersion ${String(patched.metadata?.resourceVersion)}).`,
      );
    },
  });
}
