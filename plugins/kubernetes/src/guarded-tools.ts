import { ClientCapabilityError, type ToolContext, type ToolDefinition, type ToolResult } from '@cnmcp/core/plugin';
import type { GuardRails } from './guard-rails.js';
import { toolError } from './tool-result.js';

/** What a confirmation question names of the call: enough to recognise it, nothing long (a manifest, a patch). */
const NAMED_ARGS = ['kind', 'name', 'namespace', 'replicas', 'context'] as const;

function question(tool: ToolDefinition, args: Record<string, unknown>): string {
  const named = NAMED_ARGS.filter((k) => args[k] !== undefined).map((k) => `${k}=${String(args[k])}`);
  return `${tool.title ?? tool.name}${named.length > 0 ? ` (${named.join(', ')})` : ''}: this changes the cluster. Go ahead?`;
}

/**
 * Asks the client's user to confirm a destructive call (MCP elicitation) before anything is sent. Returns the
 * refusal to answer with, or undefined to go ahead. On 2026-07-28 the handler runs again with the answer, so the
 * question comes first, before any request.
 */
async function confirmation(guard: GuardRails, tool: ToolDefinition, args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult | undefined> {
  if (guard.confirmDestructive === 'off' || args.dryRun === true || guard.dryRun) return undefined;
  if (!ctx.clientSupports('elicitation')) {
    if (guard.confirmDestructive === 'ask') return undefined;
    return toolError(
      `Refused: ${tool.name} changes the cluster and this server requires a confirmation by the user (guardRails.confirmDestructive: require), but this client cannot ask (it did not declare the MCP elicitation capability). Use a client that supports elicitation, or run it with dryRun: true to see what would change.`,
    );
  }
  let answer: Record<string, unknown>;
  try {
    answer = await ctx.request('elicitation/create', {
      message: question(tool, args),
      requestedSchema: {
        type: 'object',
        properties: { confirm: { type: 'boolean', title: 'Go ahead', description: 'Confirm the change.' } },
        required: ['confirm'],
      },
    });
  } catch (error) {
    // Anything else, the kernel's own 2026-07-28 input-required signal included, must pass through.
    if (!(error instanceof ClientCapabilityError)) throw error;
    return toolError(`Refused: ${tool.name} needs a confirmation the client could not give (${(error as Error).message}).`);
  }
  const confirmed = answer.action === 'accept' && (answer.content as { confirm?: unknown } | undefined)?.confirm === true;
  return confirmed ? undefined : toolError(`Not done: the user did not confirm ${tool.name} (answer: ${String(answer.action)}). Nothing was changed.`);
}

/**
 * The pack's tools as the guard rails shape them: each description states the rules that apply to it, so a model
 * knows the limits before it calls, and each destructive tool asks for confirmation first where configured.
 */
export function withGuardRails(tools: readonly ToolDefinition[], guard: GuardRails): ToolDefinition[] {
  return tools.map((tool) => {
    const note = guard.describe(tool.annotations?.readOnlyHint !== true);
    const described = note === '' ? tool : { ...tool, description: `${tool.description}${note}` };
    if (tool.annotations?.destructiveHint !== true || guard.confirmDestructive === 'off') return described;
    return {
      ...described,
      async handler(args, ctx) {
        const refusal = await confirmation(guard, tool, args, ctx);
        return refusal ?? tool.handler(args, ctx);
      },
    };
  });
}
