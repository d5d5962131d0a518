import type { ToolDefinition } from '@cnmcp/core/plugin';
import type { GuardRails } from './guard-rails.js';

/** The pack's tools with their guard rails stated in each description, so a model knows the limits before it calls. */
export function withGuardRails(tools: readonly ToolDefinition[], guard: GuardRails): ToolDefinition[] {
  return tools.map((tool) => {
    const note = guard.describe(tool.annotations?.readOnlyHint !== true);
    return note === '' ? tool : { ...tool, description: `${tool.description}${note}` };
  });
}
