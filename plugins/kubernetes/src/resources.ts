// Resources where reading beats calling: the cluster at a glance, and any object by URI. Each read runs the pack's
// own read-only tools, so guard rails (protected namespaces, denied kinds, Secret values), impersonation and
// backend spans apply exactly as they do to a tool call; core audits it as resource.read.
import {
  CnmcpError,
  jsonContents,
  readThroughTool,
  type ReadContext,
  type ResourceDefinition,
  type ResourceTemplateDefinition,
  type ToolDefinition,
} from '@cnmcp/core/plugin';

export const OVERVIEW_URI = 'k8s://cluster/overview';
export const OBJECT_TEMPLATE = 'k8s://{context}/namespaces/{namespace}/{kind}/{name}';
/** The `{context}` of a pack that serves one cluster (no `contexts` configured). */
export const SINGLE_CONTEXT = 'default';

type Row = Record<string, unknown>;

/** The pack's resources over its tools; `contexts` are the configured kubeconfig contexts (none: one cluster). */
export function kubernetesResources(
  tools: readonly ToolDefinition[],
  contexts: readonly string[],
): { resources: ResourceDefinition[]; resourceTemplates: ResourceTemplateDefinition[] } {
  const tool = (name: string) => {
    const found = tools.find((t) => t.name === name);
    if (!found) throw new CnmcpError('READ_FAILED', `the kubernetes pack serves no ${name}`);
    return found;
  };
  const names = contexts.length > 0 ? contexts : [SINGLE_CONTEXT];
  // A multi-context pack's tools take `context`; a single-cluster pack's tools refuse unknown arguments.
  const contextArg = (context: string) => (contexts.length > 0 ? { context } : {});
  const list = async (kind: string, ctx: ReadContext, context = names[0]!) =>
    ((await readThroughTool(tool('kubernetes_list_resources_summary'), { kind, limit: 500, ...contextArg(context) }, ctx)).items ?? []) as Row[];

  const overview: ResourceDefinition = {
    uri: OVERVIEW_URI,
    name: 'cluster-overview',
    title: 'Kubernetes cluster overview',
    description: `Nodes (status, roles, kubelet version), namespaces and the kubelet versions in use, of the ${contexts.length > 0 ? `first context (${names[0]})` : 'cluster'}.`,
    mimeType: 'application/json',
    async read(ctx) {
      const [nodes, namespaces] = await Promise.all([list('nodes', ctx), list('namespaces', ctx)]);
      const versions = [...new Set(nodes.map((n) => n.version).filter((v): v is string => typeof v === 'string'))].sort();
      const ready = nodes.filter((n) => String(n.status).startsWith('Ready')).length;
      return jsonContents(OVERVIEW_URI, {
        ...(contexts.length > 0 ? { context: names[0] } : {}),
        nodes: { total: nodes.length, ready, items: nodes.map(({ name, status, roles, version }) => ({ name, status, roles, version })) },
        namespaces: namespaces.map(({ name, status }) => ({ name, status })),
        kubeletVersions: versions,
      });
    },
  };

  const object: ResourceTemplateDefinition = {
    uriTemplate: OBJECT_TEMPLATE,
    name: 'kubernetes-object',
    title: 'Kubernetes object',
    description: `One namespaced object in full, as kubernetes_get_resource returns it (guard rails apply). {context}: ${names.join(', ')}; {kind}: a kind, plural or short name (pods, deploy, ...).`,
    mimeType: 'application/json',
    async read(uri, { context, namespace, kind, name }, ctx) {
      if (!context || !names.includes(context)) throw new CnmcpError('RESOURCE_NOT_FOUND', `no resource ${uri}`);
      const read = await readThroughTool(tool('kubernetes_get_resource'), { kind, name, namespace, ...contextArg(context) }, ctx);
      return jsonContents(uri, read.object);
    },
    async complete(variable, value, ctx) {
      if (variable === 'context') return names.filter((n) => n.startsWith(value));
      if (variable !== 'namespace') return [];
      return (await list('namespaces', ctx)).map((n) => String(n.name)).filter((n) => n.startsWith(value));
    },
  };
  return { resources: [overview], resourceTemplates: [object] };
}
