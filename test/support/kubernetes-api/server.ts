// A recorded-fixture Kubernetes API server for tests: no real API server can run on these machines, so this one
// serves v1.31 API responses from fixtures (test/fixtures/kubernetes, see its README) over TLS with bearer-token auth, and
// applies writes (patch, server-side apply, scale, delete, dryRun=All) to an in-memory copy the way the real
// server's REST handlers do: resourceVersion and generation bumps, optimistic-concurrency conflicts, Status bodies
// for 400/401/403/404/409, limit/continue paging, watches of the changes. This file owns the connection (TLS, bearer
// token, impersonation, request log, the exec WebSocket upgrade); what is served lives in the route modules listed
// in ROUTES.
import { timingSafeEqual } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAccess, type Access, type Subject } from './access-rules.js';
import { selfSignedCertificate } from './certificate.js';
import { discoveryRoute } from './discovery-routes.js';
import { FixtureStore } from './fixture-store.js';
import { nodeLogRoute } from './node-log-routes.js';
import { serveExec } from './pod-exec.js';
import { resourceRoute } from './resource-routes.js';
import { reviewRoute } from './review-routes.js';
import { authorize, type Route, type ServerState } from './routes.js';
import { ApiError, failure, forbidden, unauthorized } from './status.js';

export const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/kubernetes/', import.meta.url));
/** The fixture's clock: when the responses were recorded. Ages, `sinceSeconds` and deletion times count from it. */
export const RECORDED_NOW = Date.parse('2026-12-01T10:00:00Z');

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly contentType: string | undefined;
  readonly accept: string | undefined;
  readonly userAgent: string | undefined;
  /** The Impersonate-* headers, as sent (one entry per header line). */
  readonly impersonate: { readonly user?: string; readonly groups: readonly string[]; readonly extra: Readonly<Record<string, readonly string[]>> };
}

export interface KubernetesApiServer {
  /** e.g. https://127.0.0.1:41234 */
  readonly url: string;
  readonly token: string;
  /** PEM of the server's self-signed certificate, to trust as the cluster CA. */
  readonly caPem: string;
  readonly store: FixtureStore;
  /** Every request served, in order (tests assert what a client sent). */
  readonly requests: RecordedRequest[];
  /** Requests to paths starting with `prefix` are accepted and never answered, as a hung API server does. */
  stall(prefix: string): void;
  /** Writes a kubeconfig for this server (context `fixture`, namespace `shop`; context `stale` has a revoked token). */
  writeKubeconfig(dir: string): Promise<string>;
  close(): Promise<void>;
}

/** The route modules, tried in order; the first that answers wins. New modules go before `resourceRoute`. */
const ROUTES: readonly Route[] = [discoveryRoute, reviewRoute, nodeLogRoute, resourceRoute];

export async function startKubernetesApiServer(options: { token?: string } = {}): Promise<KubernetesApiServer> {
  const token = options.token ?? 'fixture-token-3f9c1d7e5b2a';
  const store = new FixtureStore(FIXTURE_DIR);
  const access = loadAccess(FIXTURE_DIR);
  const state: ServerState = { store, access, fixtureDir: FIXTURE_DIR, now: RECORDED_NOW };
  const requests: RecordedRequest[] = [];
  const stalled: string[] = [];
  const { cert, key } = await selfSignedCertificate();

  const server = createServer({ cert, key }, (req, res) => {
    void serve(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, failure(500, 'InternalError', `fixture server: ${String(error)}`).body);
    });
  });

  function record(req: IncomingMessage, url: URL): void {
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: req.headers['content-type'],
      accept: req.headers.accept,
      userAgent: req.headers['user-agent'],
      impersonate: impersonationOf(req.headersDistinct),
    });
  }

  // Pod exec (WebSocket upgrade): admitted as every other request, authorized as `create pods/exec`.
  const exec = serveExec(server, {
    dir: FIXTURE_DIR,
    store,
    admit(req, url, namespace, pod) {
      record(req, url);
      if (!authenticated(req.headers.authorization, token)) throw unauthorized();
      const subject = impersonate(access, requests.at(-1)!.impersonate);
      authorize(state, subject, { verb: 'create', group: '', resource: 'pods', subresource: 'exec', namespace, name: pod });
    },
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://fixture');
    record(req, url);
    const body = await readBody(req);
    if (stalled.some((prefix) => url.pathname.startsWith(prefix))) return;
    try {
      if (!authenticated(req.headers.authorization, token)) throw unauthorized();
      const subject = impersonate(access, requests.at(-1)!.impersonate);
      const request = { method: req.method ?? 'GET', url, path: url.pathname.replace(/\/+$/, ''), body, headers: req.headers, subject };
      const answer = route(request);
      if (answer === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
        return;
      }
      if ('stream' in answer) {
        answer.stream(res);
        return;
      }
      if (typeof answer.body === 'string') {
        res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body);
        return;
      }
      send(res, answer.status, answer.body, answer.contentType);
    } catch (error) {
      if (error instanceof ApiError) send(res, error.body.code, error.body);
      else throw error;
    }
  }

  function route(request: Parameters<Route>[0]) {
    for (const candidate of ROUTES) {
      const answer = candidate(request, state);
      if (answer !== undefined) return answer;
    }
    return undefined;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    token,
    caPem: cert,
    store,
    requests,
    stall: (prefix) => void stalled.push(prefix),
    async writeKubeconfig(dir) {
      const path = join(dir, 'kubeconfig');
      const ca = Buffer.from(cert).toString('base64');
      await writeFile(
        path,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'fixture', cluster: { server: url, 'certificate-authority-data': ca } }],
          users: [
            { name: 'cnmcp-agent', user: { token } },
            { name: 'revoked', user: { token: 'revoked-token' } },
          ],
          contexts: [
            { name: 'fixture', context: { cluster: 'fixture', user: 'cnmcp-agent', namespace: 'shop' } },
            { name: 'stale', context: { cluster: 'fixture', user: 'revoked', namespace: 'shop' } },
          ],
          'current-context': 'fixture',
        }),
        { mode: 0o600 },
      );
      return path;
    },
    close: () =>
      new Promise<void>((resolve) => {
        exec.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function impersonationOf(headers: IncomingMessage['headersDistinct']): RecordedRequest['impersonate'] {
  const extra: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers)) {
    if (name.startsWith('impersonate-extra-')) extra[decodeURIComponent(name.slice('impersonate-extra-'.length))] = values ?? [];
  }
  const user = headers['impersonate-user']?.[0];
  return { ...(user !== undefined ? { user } : {}), groups: headers['impersonate-group'] ?? [], extra };
}

/**
 * The subject a request runs as, checked as the real impersonation filter checks it: the authenticated service
 * account needs the `impersonate` verb on the user, on each group and on each extra key, or the request is refused.
 */
function impersonate(access: Access, wanted: RecordedRequest['impersonate']): Subject | undefined {
  if (wanted.user === undefined) {
    if (wanted.groups.length > 0 || Object.keys(wanted.extra).length > 0)
      throw failure(
        500,
        'InternalError',
        `Internal error occurred: requested [${wanted.groups.map((g) => `{Group ${g}}`).join(' ')}] without impersonating a user`,
      );
    return undefined;
  }
  const may = (resource: string, subresource: string, group: string, name?: string) =>
    access.allowedBy({ verb: 'impersonate', group, resource, subresource, namespace: '', ...(name !== undefined ? { name } : {}) }) !== undefined;
  if (!may('users', '', '', wanted.user)) throw forbidden(access.user, 'impersonate', 'users', '', '', '', wanted.user);
  for (const group of wanted.groups) if (!may('groups', '', '', group)) throw forbidden(access.user, 'impersonate', 'groups', '', '', '', group);
  for (const [key, values] of Object.entries(wanted.extra)) {
    for (const value of values)
      if (!may('userextras', key, 'authentication.k8s.io', value))
        throw forbidden(access.user, 'impersonate', 'userextras', key, 'authentication.k8s.io', '', value);
  }
  return { user: wanted.user, groups: [...wanted.groups, 'system:authenticated'] };
}

function authenticated(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-cache, private' }).end(JSON.stringify(body));
}
