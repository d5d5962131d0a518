import type { Identity } from '../identity.js';
import type { ToolDefinition } from './tool-pack.js';

export type Decision = { readonly allow: true } | { readonly allow: false; readonly reason: string };

/** Port of plugin kind `authorizer`. With none configured every authenticated identity may call every tool. */
export interface Authorizer {
  authorize(identity: Identity, tool: ToolDefinition): Decision;
  /** The tools `tools/list` shows this identity: only those it may call. */
  visibleTools(identity: Identity, tools: readonly ToolDefinition[]): readonly ToolDefinition[];
}
