import type { AccessTarget, Authorizer } from '../plugin/ports/authorizer.js';
import type { Identity } from '../plugin/identity.js';
import { stop, type Verdict } from './verdict.js';

export type AuthorizeStage = (identity: Identity, target: AccessTarget) => Verdict;

const what = (target: AccessTarget) =>
  target.kind === 'tool'
    ? `tool "${target.tool.name}"`
    : target.kind === 'resource'
      ? `resource ${JSON.stringify(target.uri)}`
      : target.kind === 'prompt'
        ? `prompt "${target.name}"`
        : `permission ${target.name}`;

const named = (target: AccessTarget) =>
  target.kind === 'permission'
    ? { permission: target.name }
    : target.kind === 'resource'
      ? { uri: target.uri }
      : target.kind === 'prompt'
        ? { prompt: target.name }
        : {};

/**
 * Asks the authorizer about a tool, resource, prompt or named permission; an authorizer that throws denies. A
 * permission guards an HTTP endpoint (403 FORBIDDEN); the rest are MCP access (JSON-RPC ACCESS_DENIED).
 */
export function compileAuthorize(authorizer: Authorizer | undefined): AuthorizeStage | undefined {
  if (!authorizer) return undefined;
  return (identity, target) => {
    let decision;
    try {
      decision = authorizer.authorize(identity, target);
    } catch {
      decision = { allow: false as const, reason: 'authorizer error' };
    }
    if (decision.allow) return { continue: true };
    // The audit record names what was refused (a tool is named by the record's own `tool` field).
    const details = { reason: decision.reason, ...named(target) };
    return target.kind === 'permission'
      ? stop('FORBIDDEN', `${what(target)} is not granted to this identity`, { details })
      : stop('ACCESS_DENIED', `${what(target)} is not permitted for this identity`, { details });
  };
}
