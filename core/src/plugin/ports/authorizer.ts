import type { Identity } from '../identity.js';
import type { ToolDefinition } from './tool-pack.js';

export type Decision = { readonly allow: true } | { readonly allow: false; readonly reason: string };

/**
 * What an identity asks to reach: a tool to call, a resource to read (by URI), a prompt to get (by name), or a
 * named server permission (`audit:read`, `metrics:read`, `console:read`, ...) that guards a non-MCP endpoint.
 */
export type AccessTarget =
  | { readonly kind: 'tool'; readonly tool: ToolDefinition }
  | { readonly kind: 'resource'; readonly uri: string }
  | { readonly kind: 'prompt'; readonly name: string }
  | { readonly kind: 'permission'; readonly name: string };

/**
 * Port of plugin kind `authorizer`. Core asks it for every tool call, resource read, prompt get and permission
 * check; resource and prompt lists are filtered by asking `authorize` per entry (see `visible` below). An
 * authorizer grants nothing to a role it does not define.
 */
export interface Authorizer {
  authorize(identity: Identity, target: AccessTarget): Decision;
  /** The tools `tools/list` shows this identity: only those it may call. */
  visibleTools(identity: Identity, tools: readonly ToolDefinition[]): readonly ToolDefinition[];
}

/**
 * The entries of a resource or prompt list this identity may reach, with the same decision `authorize` gives for
 * the entry itself. Core filters `resources/list`, `resources/templates/list` and `prompts/list` through this.
 *
 * @example visible(authorizer, identity, resources, (r) => ({ kind: 'resource', uri: r.uri }))
 */
export function visible<T>(authorizer: Authorizer, identity: Identity, entries: readonly T[], target: (entry: T) => AccessTarget): T[] {
  return entries.filter((entry) => {
    try {
      return authorizer.authorize(identity, target(entry)).allow;
    } catch {
      return false; // an authorizer that throws denies
    }
  });
}
