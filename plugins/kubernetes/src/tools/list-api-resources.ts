import type { ToolDefinition } from '@cnmcp/core/plugin';
import type { PackDeps } from '../pack-deps.js';
import { guarded, structuredResult } from '../tool-result.js';

export type ApiResourcesArgs = { group?: string; namespaced?: boolean; verb?: string };

/** `kubernetes_list_api_resources`: the kinds the cluster serves, from discovery (kubectl api-resources). */
export function createApiResourcesTool(deps: PackDeps): ToolDefinition<ApiResourcesArgs> {
  return guarded<ApiResourcesArgs>({
    name: 'kubernetes_list_api_resources',
    title: 'List API resources',
    description:
      'Lists the resource kinds the cluster serves (built-in and custom), with API version, short names, scope and verbs, like kubectl api-resources.',
    inputSchema: {
      type: 'object',
      properties: {
        group: {
          type: 'string',
          maxLength: 253,
          pattern: '^[a-z0-9.-]*$',
          'x-cnmcp-sanitize': 'filter',
          description: 'Only this API group (empty string for the core group).',
        },
        namespaced: { type: 'boolean', description: 'Only namespaced (true) or cluster-scoped (false) kinds.' },
        verb: {
          type: 'string',
          enum: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
          description: 'Only kinds that support this verb.',
        },
      },
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        resources: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              kind: { type: 'string' },
              apiVersion: { type: 'string' },
              namespaced: { type: 'boolean' },
              shortNames: { type: 'array', items: { type: 'string' } },
              verbs: { type: 'array', items: { type: 'string' } },
            },
            required: ['name', 'kind', 'apiVersion', 'namespaced'],
          },
        },
        unavailable: { type: 'array', items: { type: 'string' }, description: 'Group versions whose discovery failed; their kinds are missing.' },
      },
      required: ['resources', 'unavailable'],
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const discovery = await deps.catalog.discover(ctx);
      const resources = discovery.resources
        .filter(
          (r) =>
            (args.group === undefined || r.group === args.group) &&
            (args.namespaced === undefined || r.namespaced === args.namespaced) &&
            (args.verb === undefined || r.verbs.includes(args.verb)),
        )
        .map((r) => ({ name: r.name, kind: r.kind, apiVersion: r.apiVersion, namespaced: r.namespaced, shortNames: [...r.shortNames], verbs: [...r.verbs] }));
      const text = [
        ...resources.map(
          (r) =>
            `${r.name}${r.shortNames.length ? ` (${r.shortNames.join(',')})` : ''}  ${r.apiVersion}  ${r.kind}  ${r.namespaced ? 'namespaced' : 'cluster'}  [${r.verbs.join(',')}]`,
        ),
        `${resources.length} resource kinds.`,
        ...(discovery.unavailable.length ? [`Discovery failed for: ${discovery.unavailable.join(', ')} (their kinds are missing).`] : []),
      ].join('\n');
      return structuredResult({ resources, unavailable: [...discovery.unavailable] }, text);
    },
  });
}
