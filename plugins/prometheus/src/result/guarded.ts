import type { ToolResult } from '@cnmcp/core/plugin';
import { BackendError } from '../backend/backend-error.js';
import { PageTokenError } from './page.js';
import { toolError } from './tool-result.js';

/** Bad arguments the schema cannot catch (an end before a start, a date that does not parse). */
export class InputError extends Error {}

/** Runs a handler body, turning the failures a model can act on into `isError` results; anything else is a bug and propagates. */
export async function guarded(run: () => Promise<ToolResult>): Promise<ToolResult> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof BackendError || error instanceof PageTokenError || error instanceof InputError) return toolError(error.message);
    throw error;
  }
}
