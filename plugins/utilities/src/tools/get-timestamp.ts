import type { ToolDefinition } from '@cnmcp/core/plugin';
import { structuredResult } from '../tool-result.js';

export type GetTimestampArgs = Record<string, never>;

export const getTimestampTool: ToolDefinition<GetTimestampArgs> = {
  name: 'utilities_get_timestamp',
  title: 'Get Unix timestamp',
  description: 'Returns the current Unix timestamp in seconds and milliseconds, and the same instant in ISO 8601 UTC.',
  inputSchema: { type: 'object', properties: {}, additionalProperties: false },
  outputSchema: {
    type: 'object',
    properties: {
      seconds: { type: 'integer', description: 'Whole seconds since 1970-01-01T00:00:00Z.' },
      milliseconds: { type: 'integer', description: 'Milliseconds since 1970-01-01T00:00:00Z.' },
      iso: { type: 'string', description: 'The same instant in ISO 8601 UTC.' },
    },
    required: ['seconds', 'milliseconds', 'iso'],
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler() {
    const milliseconds = Date.now();
    const seconds = Math.floor(milliseconds / 1000);
    const iso = new Date(milliseconds).toISOString();
    return structuredResult({ seconds, milliseconds, iso }, `${seconds} (${milliseconds} ms, ${iso})`);
  },
};
