// GET /api/v1/nodes/{name}/proxy/logs/...: the API server proxying the kubelet's log endpoint. With `query`, the
// kubelet's node log query (NodeLogQuery, Kubernetes 1.27+) runs journalctl for the named services; recorded here
// per node under fixtures/node-logs/NODE/SERVICE.log in journalctl's short-precise output. A node whose kubelet
// stopped posting status cannot be reached, as the proxy reports it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from './fixture-store.js';
import { badRequest, failure } from './status.js';

const SERVICE = /^[a-zA-Z0-9][a-zA-Z0-9_.@-]*$/;

/** Journal time of a line (`Dec 01 09:40:02.118734 ...`), in the fixture's year. */
const lineTime = (line: string, year: number) => Date.parse(`${line.slice(0, 6)} ${year} ${line.slice(7, 22)}Z`);

export function nodeLogs(dir: string, node: KubeObject, subpath: string, query: URLSearchParams, now: number): { status: number; body: string } {
  const name = node.metadata.name;
  const ready = ((node.status as { conditions?: { type: string; status: string }[] }).conditions ?? []).find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') {
    const ip = ((node.status as { addresses?: { type: string; address: string }[] }).addresses ?? []).find((a) => a.type === 'InternalIP')?.address;
    throw failure(503, 'ServiceUnavailable', `error trying to reach service: dial tcp ${ip ?? name}:10250: connect: no route to host`);
  }
  const files = join(dir, 'node-logs', name);
  const available = existsSync(files) ? readdirSync(files).sort() : [];
  const services = query.getAll('query');
  if (subpath.replace(/^\/+/, '') !== '') throw failure(404, 'NotFound', `the server could not find the requested resource`);
  if (services.length === 0) {
    // No query: the kubelet lists its /var/log directory.
    return { status: 200, body: `<pre>\n${available.map((f) => `<a href="${f}">${f}</a>`).join('\n')}\n</pre>\n` };
  }
  for (const service of services) if (!SERVICE.test(service)) throw badRequest(`query: Invalid value: "${service}": must be a service name or file name`);
  const tail = query.get('tailLines');
  const tailLines = tail === null ? undefined : Number(tail);
  if (tailLines !== undefined && !(Number.isInteger(tailLines) && tailLines >= 0 && tailLines <= 100_000))
    throw badRequest(`tailLines: Invalid value: "${tail}": must be an integer between 0 and 100000`);
  const sinceTime = query.get('sinceTime');
  const since = sinceTime === null ? undefined : Date.parse(sinceTime);
  if (since !== undefined && Number.isNaN(since)) throw badRequest(`sinceTime: Invalid value: "${sinceTime}": must be an RFC3339 time`);
  const pattern = query.get('pattern');
  let matcher: RegExp | undefined;
  try {
    matcher = pattern ? new RegExp(pattern) : undefined;
  } catch {
    throw badRequest(`pattern: Invalid value: "${pattern}": must be a valid regular expression`);
  }
  const year = new Date(now).getUTCFullYear();
  let lines = services.flatMap((service) => {
    const file = join(files, `${service}.log`);
    return existsSync(file)
      ? readFileSync(file, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
      : [];
  });
  lines.sort((a, b) => lineTime(a, year) - lineTime(b, year));
  if (since !== undefined) lines = lines.filter((l) => lineTime(l, year) >= since);
  if (matcher) lines = lines.filter((l) => matcher.test(l));
  if (tailLines !== undefined) lines = tailLines === 0 ? [] : lines.slice(-tailLines);
  return { status: 200, body: lines.length === 0 ? '-- No entries --\n' : lines.map((l) => `${l}\n`).join('') };
}
