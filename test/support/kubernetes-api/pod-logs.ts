// GET .../pods/{name}/log: the kubelet's answer as the API server relays it (text/plain), with its real refusals.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from './fixture-store.js';
import { badRequest } from './status.js';

interface ContainerStatus {
  readonly name: string;
  readonly restartCount?: number;
  readonly lastState?: { readonly terminated?: unknown };
}

export function podLogs(dir: string, pod: KubeObject, query: URLSearchParams, now: number): string {
  const name = pod.metadata.name;
  const spec = pod.spec as { containers: { name: string }[]; nodeName?: string };
  const names = spec.containers.map((c) => c.name);
  const container = query.get('container') ?? (names.length === 1 ? names[0]! : undefined);
  if (container === undefined) throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`);
  if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  if (spec.nodeName === undefined) throw badRequest(`pod ${name} does not have a host assigned`);
  const previous = query.get('previous') === 'true';
  const status = ((pod.status as { containerStatuses?: ContainerStatus[] }).containerStatuses ?? []).find((s) => s.name === container);
  if (previous && status?.lastState?.terminated === undefined) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);

  const file = join(dir, 'logs', pod.metadata.namespace ?? '', `${name}.${container}${previous ? '.previous' : ''}.log`);
  let lines = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : [];
  const sinceSeconds = query.get('sinceSeconds');
  const sinceTime = query.get('sinceTime');
  const since = sinceSeconds !== null ? now - Number(sinceSeconds) * 1000 : sinceTime !== null ? Date.parse(sinceTime) : undefined;
  if (sinceSeconds !== null && !(Number(sinceSeconds) >= 1))
    throw badRequest(`PodLogOptions "${name}" is invalid: sinceSeconds: Invalid value: ${sinceSeconds}: must be greater than 0`);
  if (since !== undefined) lines = lines.filter((l) => Date.parse(l.slice(0, l.indexOf(' '))) >= since);
  const tail = query.get('tailLines');
  if (tail !== null) {
    const n = Number(tail);
    if (!Number.isInteger(n) || n < 0)
      throw badRequest(`PodLogOptions "${name}" is invalid: tailLines: Invalid value: ${tail}: must be greater than or equal to 0`);
    lines = n === 0 ? [] : lines.slice(-n);
  }
  if (query.get('timestamps') !== 'true') lines = lines.map((l) => l.slice(l.indexOf(' ') + 1));
  let text = lines.map((l) => `${l}\n`).join('');
  const limitBytes = query.get('limitBytes');
  if (limitBytes !== null) text = Buffer.from(text).subarray(0, Number(limitBytes)).toString('utf8');
  return text;
}
