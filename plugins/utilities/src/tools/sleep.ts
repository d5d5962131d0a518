import { setTimeout as delay } from 'node:timers/promises';
import type { ToolDefinition } from '@cnmcp/core/plugin';
import { SLEEP_CEILING_SECONDS, type SleepSettings } from '../config-schema.js';
import { structuredResult, toolError } from '../tool-result.js';

export type SleepArgs = { seconds: number };

const PROGRESS_INTERVAL_MS = 1000;

/** Builds the sleep tool; its advertised maximum is the configured `sleep.maxSeconds`. */
export function createSleepTool(settings: SleepSettings): ToolDefinition<SleepArgs> {
  const maxSeconds = Math.min(settings.maxSeconds, SLEEP_CEILING_SECONDS);
  return {
    name: 'utilities_sleep',
    title: 'Sleep',
    description: `Waits for the given number of seconds (at most ${maxSeconds}), then returns. Stops early when the call is cancelled.`,
    inputSchema: {
      type: 'object',
      properties: {
        seconds: { type: 'number', minimum: 0, maximum: maxSeconds, description: `How long to wait, in seconds (0 to ${maxSeconds}, fractions allowed).` },
      },
      required: ['seconds'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        requestedSeconds: { type: 'number', description: 'The duration asked for.' },
        sleptSeconds: { type: 'number', description: 'The time actually waited, measured.' },
      },
      required: ['requestedSeconds', 'sleptSeconds'],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler(args, ctx) {
      const { seconds } = args;
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > maxSeconds) {
        return toolError(`seconds must be a number from 0 to ${maxSeconds}; got ${JSON.stringify(seconds)}.`);
      }
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started) / 1000;
      // Progress is best effort: a client that did not ask for it gets nothing, and a failed notification must not end the sleep.
      const ticker = setInterval(() => void ctx.progress(elapsed(), seconds, 'sleeping').catch(() => undefined), PROGRESS_INTERVAL_MS);
      try {
        await delay(seconds * 1000, undefined, { signal: ctx.signal });
      } catch (error) {
        if (ctx.signal.aborted) return toolError(`Sleep cancelled after ${elapsed()} s of the requested ${seconds} s.`);
        throw error;
      } finally {
        clearInterval(ticker);
      }
      const slept = elapsed();
      return structuredResult({ requestedSeconds: seconds, sleptSeconds: slept }, `Slept ${slept} s (requested ${seconds} s).`);
    },
  };
}
