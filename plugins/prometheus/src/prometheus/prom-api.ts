import type { BackendClient, QueryValue } from '../backend/backend-client.js';
import { BackendError } from '../backend/backend-error.js';

export interface PromAnswer<T> {
  readonly data: T;
  readonly warnings: readonly string[];
}

/** GET on the Prometheus HTTP API, unwrapping its `{status, data, warnings}` envelope. */
export async function promGet<T>(client: BackendClient, path: string, query: Record<string, QueryValue>, signal: AbortSignal): Promise<PromAnswer<T>> {
  const answer = (await client.request({ path, query }, signal)) as { status?: unknown; data?: unknown; warnings?: unknown; error?: unknown } | undefined;
  if (answer?.status !== 'success') {
    throw new BackendError(
      `${client.label} answered ${path} with status ${JSON.stringify(answer?.status)}${typeof answer?.error === 'string' ? `: ${answer.error}` : ''}.`,
    );
  }
  const warnings = Array.isArray(answer.warnings) ? answer.warnings.filter((w): w is string => typeof w === 'string') : [];
  return { data: answer.data as T, warnings };
}

/** `{job="api", instance="a:9090"}`, labels sorted by name with `__name__` as the metric name in front. */
export function seriesName(labels: Readonly<Record<string, string>>): string {
  const { __name__: name, ...rest } = labels;
  const pairs = Object.keys(rest)
    .sort()
    .map((k) => `${k}=${JSON.stringify(rest[k])}`);
  return `${name ?? ''}{${pairs.join(', ')}}`;
}

export const warningText = (warnings: readonly string[]): string => (warnings.length ? `\nWarnings from Prometheus: ${warnings.join('; ')}` : '');
