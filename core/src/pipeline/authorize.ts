import type { Authorizer } from '../plugin/ports/authorizer.js';
import type { ToolDefinition } from '../plugin/ports/tool-pack.js';
import type { Identity } from '../plugin/identity.js';
import { stop, type Verdict } from './verdict.js';

export type AuthorizeStage = (identity: Identity, tool: ToolDefinition) => Verdict;

/** Asks the authorizer; an authorizer that throws denies. */
export function compileAuthorize(authorizer: Authorizer | undefined): AuthorizeStage | undefined {
  if (!authorizer) return undefined;
  return (identity, tool) => {
    let decision;
    try {
      decision = authorizer.authorize(identity, { kind: 'tool', tool });
    } catch {
      decision = { allow: false as const, reason: 'authorizer error' };
    }
    return decision.allow
      ? { continue: true }
      : stop('ACCESS_DENIED', `tool "${tool.name}" is not permitted for this identity`, { details: { reason: decision.reason } });
  };
}
