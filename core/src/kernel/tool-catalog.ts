import { CnmcpError } from '../plugin/errors.js';
import type { Logger } from '../plugin/logger.js';
import type { PromptDefinition, ResourceDefinition, ResourceTemplateDefinition, ToolDefinition, ToolPack } from '../plugin/ports/tool-pack.js';

// MCP's own rule for tool names; ours (<pack>_<verb>[_<noun>]) is a convention on top, warned about, not enforced.
const MCP_TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
const CONVENTION = /^[a-z][a-z0-9]*(_[a-z0-9]+)+$/;

export interface ToolCatalog {
  readonly tools: ReadonlyMap<string, ToolDefinition>;
  readonly prompts: readonly PromptDefinition[];
  readonly resources: readonly ResourceDefinition[];
  readonly resourceTemplates: readonly ResourceTemplateDefinition[];
}

/** Merges the packs' contributions; a name defined twice stops the server naming both packs. */
export function buildCatalog(packs: readonly { id: string; port: ToolPack }[], logger: Logger): ToolCatalog {
  const tools = new Map<string, ToolDefinition>();
  const owners = new Map<string, string>();
  const problems: CnmcpError[] = [];
  const claim = (kind: string, name: string, owner: string) => {
    const key = `${kind}:${name}`;
    const previous = owners.get(key);
    if (previous) problems.push(new CnmcpError('DUPLICATE_NAME', `${kind} "${name}" is defined by both ${previous} and ${owner}`, { plugin: owner }));
    owners.set(key, owner);
    return !previous;
  };
  const prompts: PromptDefinition[] = [];
  const resources: ResourceDefinition[] = [];
  const resourceTemplates: ResourceTemplateDefinition[] = [];
  for (const { id, port: pack } of packs) {
    for (const tool of pack.tools ?? []) {
      if (typeof tool.name !== 'string' || !MCP_TOOL_NAME.test(tool.name)) {
        problems.push(
          new CnmcpError('TOOL_INVALID', `${id}: tool name ${JSON.stringify(tool.name)} is not a valid MCP tool name (A-Z a-z 0-9 _ . -, at most 128)`, {
            plugin: id,
          }),
        );
        continue;
      }
      if (tool.inputSchema?.type !== 'object' || typeof tool.handler !== 'function') {
        problems.push(new CnmcpError('TOOL_INVALID', `${id}: tool ${tool.name} needs an inputSchema of type "object" and a handler`, { plugin: id }));
        continue;
      }
      const badPolicy = findBadPolicy(tool.inputSchema);
      if (badPolicy) {
        problems.push(
          new CnmcpError('TOOL_INVALID', `${id}: tool ${tool.name}: x-cnmcp-sanitize ${badPolicy} (use filter, identifier, url, query or raw)`, { plugin: id }),
        );
        continue;
      }
      if (!CONVENTION.test(tool.name)) logger.warn('tool name does not follow <pack>_<verb>[_<noun>]', { tool: tool.name, plugin: id });
      if (claim('tool', tool.name, id)) tools.set(tool.name, Object.freeze({ ...tool }));
    }
    for (const prompt of pack.prompts ?? []) if (claim('prompt', prompt.name, id)) prompts.push(prompt);
    for (const resource of pack.resources ?? []) if (claim('resource', resource.uri, id)) resources.push(resource);
    for (const template of pack.resourceTemplates ?? []) if (claim('resource template', template.uriTemplate, id)) resourceTemplates.push(template);
  }
  if (problems.length > 0) throw problems.length === 1 ? problems[0]! : new CnmcpError('TOOL_INVALID', problems.map((p) => p.message).join('\n'));
  return { tools, prompts: servedPrompts(prompts, tools, logger), resources, resourceTemplates };
}

/** A prompt that tells the model to call a tool nobody serves (its pack not configured) would only mislead it. */
function servedPrompts(prompts: readonly PromptDefinition[], tools: ReadonlyMap<string, ToolDefinition>, logger: Logger): PromptDefinition[] {
  return prompts.filter((prompt) => {
    const missing = (prompt.tools ?? []).filter((name) => !tools.has(name));
    if (missing.length > 0) logger.debug('prompt left out: its tools are not served', { prompt: prompt.name, missing });
    return missing.length === 0;
  });
}

const POLICIES = new Set(['filter', 'identifier', 'url', 'query', 'raw']);

/** The first unknown sanitize policy in a schema, as `"value" at /path`, so a typo fails at load, not at call time. */
function findBadPolicy(schema: unknown, path = ''): string | undefined {
  if (Array.isArray(schema)) {
    for (const [i, item] of schema.entries()) {
      const bad = findBadPolicy(item, `${path}/${i}`);
      if (bad) return bad;
    }
    return undefined;
  }
  if (schema === null || typeof schema !== 'object') return undefined;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'x-cnmcp-sanitize' && !POLICIES.has(value as string)) return `${JSON.stringify(value)} at ${path || '/'}`;
    const bad = findBadPolicy(value, `${path}/${key}`);
    if (bad) return bad;
  }
  return undefined;
}
