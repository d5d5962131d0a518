import type { ToolDefinition } from '@cnmcp/core/plugin';
import type { PackDeps } from '../pack-deps.js';
import { kindField, nameField, namespaceField } from '../schemas.js';
import { guarded, structuredResult } from '../tool-result.js';

const VERBS = [
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
  'impersonate',
  'bind',
  'escalate',
  'use',
  'approve',
  'sign',
] as const;
export type PermissionArgs = {
  verb: (typeof VERBS)[number];
  resource: string;
  subresource?: string;
  name?: string;
  namespace?: string;
  allNamespaces?: boolean;
};

/** `kubernetes_check_permissions`: what the pack's own identity may do, asked of the API server (SelfSubjectAccessReview). */
export function createCheckPermissionsTool(deps: PackDeps): ToolDefinition<PermissionArgs> {
  return guarded<PermissionArgs>({
    name: 'kubernetes_check_permissions',
    title: 'Check Kubernetes permissions',
    description: `Asks the API server whether ${deps.settings.impersonate ? 'the MCP caller, as the server impersonates them,' : "this server's Kubernetes identity (its kubeconfig user or service account, not the MCP caller)"} may perform a verb on a resource, like kubectl auth can-i. Creates nothing.`,
    inputSchema: {
      type: 'object',
      properties: {
        verb: { type: 'string', enum: [...VERBS], description: 'The API verb.' },
        resource: { ...kindField, description: 'Resource as kubectl takes it: kind, plural or short name (`pods`, `deploy`, `deployments.apps`).' },
        subresource: {
          type: 'string',
          minLength: 1,
          maxLength: 63,
          'x-cnmcp-sanitize': 'identifier',
          description: 'Subresource, e.g. `log`, `scale`, `exec`.',
        },
        name: nameField('Only this object.'),
        namespace: namespaceField('Namespace; defaults to the kubeconfig context namespace (ignored for cluster-scoped resources).'),
        allNamespaces: { type: 'boolean', default: false, description: 'Ask for every namespace at once.' },
      },
      required: ['verb', 'resource'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        allowed: { type: 'boolean' },
        verb: { type: 'string' },
        resource: { type: 'string' },
        group: { type: 'string' },
        subresource: { type: 'string' },
        namespace: { type: 'string' },
        reason: { type: 'string', description: 'Why, when the authorizer says.' },
      },
      required: ['allowed', 'verb', 'resource', 'group'],
    },
    // A SelfSubjectAccessReview is a POST, but it only asks: nothing is stored.
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const resource = await deps.catalog.resolve(ctx, args.resource);
      const namespace = resource.namespaced && !args.allNamespaces ? (args.namespace ?? deps.backend.defaultNamespace) : undefined;
      const attributes = {
        verb: args.verb,
        group: resource.group,
        resource: resource.name,
        ...(args.subresource ? { subresource: args.subresource } : {}),
        ...(args.name ? { name: args.name } : {}),
        ...(namespace ? { namespace } : {}),
      };
      const review = await deps.backend.call(ctx, `check whether it may ${args.verb} ${resource.name}`, () =>
        deps.backend.authorization.createSelfSubjectAccessReview({
          body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: attributes } },
        }),
      );
      const allowed = review.status?.allowed === true;
      const reason = review.status?.reason || review.status?.evaluationError || undefined;
      const target = `${args.verb} ${resource.name}${args.subresource ? `/${args.subresource}` : ''}${resource.group ? `.${resource.group}` : ''}${args.name ? ` "${args.name}"` : ''} ${namespace ? `in namespace ${namespace}` : resource.namespaced ? 'in all namespaces' : '(cluster-scoped)'}`;
      return structuredResult(
        {
          allowed,
          verb: args.verb,
          resource: resource.name,
          group: resource.group,
          ...(args.subresource ? { subresource: args.subresource } : {}),
          ...(namespace ? { namespace } : {}),
          ...(reason ? { reason } : {}),
        },
        `${allowed ? 'yes' : 'no'}: ${target}${reason ? ` (${reason})` : ''}`,
      );
    },
  });
}
