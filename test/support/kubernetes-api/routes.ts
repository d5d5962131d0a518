// How the recorded API server is put together: an ordered list of route modules. Each looks at an authenticated
// request and answers it, or returns undefined to let the next one try; the server answers 404 when none does.
// To serve more (node logs, exec, ...), write a module of this shape and put it before `resourceRoute`, which
// takes every remaining /api and /apis path.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Access, AccessRequest, Subject } from './access-rules.js';
import type { FixtureStore } from './fixture-store.js';
import { badRequest, forbidden } from './status.js';

export interface ApiRequest {
  readonly method: string;
  readonly url: URL;
  /** The URL path without trailing slashes. */
  readonly path: string;
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
  /** Who the request runs as: undefined for the service account itself, else the user it impersonates. */
  readonly subject: Subject | undefined;
}

/** What every route may use: the objects, the RBAC rules, where the fixtures live and the recorded clock. */
export interface ServerState {
  readonly store: FixtureStore;
  readonly access: Access;
  readonly fixtureDir: string;
  readonly now: number;
}

export type Answer =
  | { readonly status: number; readonly body: unknown; readonly contentType?: string }
  /** A long-lived answer (watch): the route writes the head and the body itself and ends it. */
  | { readonly stream: (res: ServerResponse) => void };

export type Route = (request: ApiRequest, state: ServerState) => Answer | undefined;

/** Throws the real server's Forbidden Status unless RBAC allows `attributes` for the request's subject. */
export function authorize(state: ServerState, subject: Subject | undefined, attributes: AccessRequest): void {
  if (state.access.allowedBy(attributes, subject) !== undefined) return;
  const { verb, resource, subresource, group, namespace, name } = attributes;
  throw forbidden(subject?.user ?? state.access.user, verb, resource, subresource, group, namespace, name);
}

export function parseJson(body: string, hint = ''): Record<string, unknown> {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch (error) {
    throw badRequest(`error decoding request body: ${(error as Error).message}${hint}`);
  }
}
