import { CnmcpError } from '../plugin/errors.js';
import { visible, type AccessTarget, type Authorizer } from '../plugin/ports/authorizer.js';
import type {
  PromptDefinition,
  ResourceContents,
  ResourceDefinition,
  ResourceTemplateDefinition,
  ToolDefinition,
  ToolResult,
} from '../plugin/ports/tool-pack.js';
import type { RequestContext } from './request-context.js';
import type { ReadRunner } from './tool-call.js';
import { matchTemplate } from './uri-template.js';
import { stop, type Stop } from './verdict.js';

/** What the MCP methods serve from. */
export interface McpCatalog {
  readonly tools: ReadonlyMap<string, ToolDefinition>;
  readonly prompts: readonly PromptDefinition[];
  readonly resources: readonly ResourceDefinition[];
  readonly resourceTemplates: readonly ResourceTemplateDefinition[];
}

/**
 * One MCP method on the kernel side: what it asks to reach (the authorize stage decides), what it does once every
 * stage let it through, and which audit event records it. Lists have no target: they are filtered instead.
 */
export interface McpMethod {
  /** Sets ctx.target/ctx.args, or stops the message (an unknown tool or prompt). */
  resolve(ctx: RequestContext): Stop | undefined;
  invoke(ctx: RequestContext): Promise<unknown>;
  readonly auditAs?: string;
}

export interface McpMethodDeps {
  readonly catalog: McpCatalog;
  readonly authorizer?: Authorizer;
  readonly invokeTool: (tool: ToolDefinition, ctx: RequestContext) => Promise<ToolResult>;
  readonly runRead: ReadRunner;
}

const str = (value: unknown) => (typeof value === 'string' ? value : '');

/** Every MCP method the kernel serves (the SDK answers initialize, ping and notifications itself). */
export function mcpMethods(deps: McpMethodDeps): ReadonlyMap<string, McpMethod> {
  const { catalog, authorizer, runRead } = deps;
  const allTools = [...catalog.tools.values()];
  // Lists show only what the identity may reach, with the same decision authorize gives the entry itself.
  const filter = <T>(ctx: RequestContext, entries: readonly T[], target: (entry: T) => AccessTarget) =>
    authorizer ? visible(authorizer, ctx.identity, entries, target) : entries;
  const none = () => undefined;
  const promptOf = (ctx: RequestContext) => catalog.prompts.find((p) => p.name === str(ctx.message?.params.name));
  return new Map<string, McpMethod>([
    [
      'tools/list',
      {
        resolve: none,
        invoke: async (ctx) => (authorizer ? authorizer.visibleTools(ctx.identity, allTools) : allTools),
      },
    ],
    [
      'tools/call',
      {
        resolve(ctx) {
          const name = str(ctx.message?.params.name);
          const tool = catalog.tools.get(name);
          if (!tool) return stop('TOOL_NOT_FOUND', `unknown tool "${name}"`);
          const args = ctx.message?.params.arguments;
          ctx.target = { kind: 'tool', tool };
          ctx.args = (args ?? {}) as Record<string, unknown>;
          return undefined;
        },
        invoke: (ctx) => deps.invokeTool((ctx.target as { tool: ToolDefinition }).tool, ctx),
        auditAs: 'tool.call',
      },
    ],
    ['prompts/list', { resolve: none, invoke: async (ctx) => filter(ctx, catalog.prompts, (p) => ({ kind: 'prompt', name: p.name })) }],
    [
      'prompts/get',
      {
        resolve(ctx) {
          const prompt = promptOf(ctx);
          if (!prompt) return stop('INVALID_PARAMS', `unknown prompt "${str(ctx.message?.params.name)}"`);
          ctx.target = { kind: 'prompt', name: prompt.name };
          return undefined;
        },
        async invoke(ctx) {
          const prompt = promptOf(ctx)!;
          const args = (ctx.message?.params.arguments ?? {}) as Record<string, string>;
          const missing = (prompt.arguments ?? []).filter((a) => a.required && args[a.name] === undefined).map((a) => a.name);
          if (missing.length > 0) throw new CnmcpError('INVALID_PARAMS', `prompt "${prompt.name}" needs argument(s): ${missing.join(', ')}`);
          return runRead(`prompt ${prompt.name}`, ctx, (readCtx) => prompt.get(args, readCtx), { talksBack: true });
        },
        auditAs: 'prompt.get',
      },
    ],
    ['resources/list', { resolve: none, invoke: async (ctx) => filter(ctx, catalog.resources, (r) => ({ kind: 'resource', uri: r.uri })) }],
    [
      'resources/templates/list',
      { resolve: none, invoke: async (ctx) => filter(ctx, catalog.resourceTemplates, (t) => ({ kind: 'resource', uri: t.uriTemplate })) },
    ],
    [
      'resources/read',
      {
        resolve: resourceTarget,
        invoke: (ctx) => readResource(catalog, str(ctx.message?.params.uri), ctx, runRead),
        auditAs: 'resource.read',
      },
    ],
    // Subscriptions are acknowledged; no resource changes yet, so no update is ever sent.
    ['resources/subscribe', { resolve: resourceTarget, invoke: async () => ({}) }],
    ['resources/unsubscribe', { resolve: resourceTarget, invoke: async () => ({}) }],
    [
      'completion/complete',
      {
        resolve(ctx) {
          const ref = (ctx.message?.params.ref ?? {}) as { type?: string; name?: string; uri?: string };
          if (ref.type === 'ref/prompt') ctx.target = { kind: 'prompt', name: str(ref.name) };
          else if (ref.type === 'ref/resource') ctx.target = { kind: 'resource', uri: str(ref.uri) };
          return undefined;
        },
        async invoke(ctx): Promise<readonly string[]> {
          const ref = (ctx.message?.params.ref ?? {}) as { type?: string; name?: string; uri?: string };
          const argument = (ctx.message?.params.argument ?? {}) as { name?: string; value?: string };
          if (ref.type === 'ref/prompt') {
            const prompt = catalog.prompts.find((p) => p.name === ref.name);
            const complete = prompt?.complete?.bind(prompt);
            if (!complete) return [];
            return runRead(`prompt ${prompt!.name}`, ctx, (readCtx) => complete(str(argument.name), str(argument.value), readCtx));
          }
          if (ref.type === 'ref/resource') {
            const template = catalog.resourceTemplates.find((t) => t.uriTemplate === ref.uri);
            const complete = template?.complete?.bind(template);
            if (!complete) return [];
            return runRead(`resource ${template!.uriTemplate}`, ctx, (readCtx) => complete(str(argument.name), str(argument.value), readCtx));
          }
          return [];
        },
      },
    ],
  ]);
}

function resourceTarget(ctx: RequestContext): undefined {
  ctx.target = { kind: 'resource', uri: str(ctx.message?.params.uri) };
  return undefined;
}

/** Finds a resource by exact URI, then by template. */
async function readResource(catalog: McpCatalog, uri: string, ctx: RequestContext, runRead: ReadRunner): Promise<readonly ResourceContents[]> {
  const resource = catalog.resources.find((r) => r.uri === uri);
  if (resource) return runRead(`resource ${resource.uri}`, ctx, (readCtx) => resource.read(readCtx));
  for (const template of catalog.resourceTemplates) {
    const variables = matchTemplate(template.uriTemplate, uri);
    if (variables) return runRead(`resource ${template.uriTemplate}`, ctx, (readCtx) => template.read(uri, variables, readCtx));
  }
  throw new CnmcpError('RESOURCE_NOT_FOUND', `no resource ${uri}`);
}
