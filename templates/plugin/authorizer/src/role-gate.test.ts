import type { Identity, ToolDefinition } from '@cnmcp/core/plugin';
import { describe, expect, it } from 'vitest';
import { createRoleGate } from './role-gate.js';

const tool = (name: string, annotations?: ToolDefinition['annotations']): ToolDefinition => ({
  name,
  description: name,
  inputSchema: { type: 'object' },
  ...(annotations ? { annotations } : {}),
  handler: async () => ({ content: [] }),
});
const reader: Identity = { id: 'ada', authMethod: 'apikey', roles: ['viewer'] };
const admin: Identity = { id: 'root', authMethod: 'apikey', roles: ['viewer', 'admin'] };
const read = tool('notes_read_note', { readOnlyHint: true });
const remove = tool('notes_delete_note', { destructiveHint: true });
const unannotated = tool('notes_touch_note');

describe('role gate', () => {
  const gate = createRoleGate({ writerRoles: ['admin'] });

  it('lets everyone call read-only tools and writer roles call every tool', () => {
    expect(gate.authorize(reader, { kind: 'tool', tool: read })).toEqual({ allow: true });
    expect(gate.authorize(admin, { kind: 'tool', tool: remove })).toEqual({ allow: true });
  });

  it('denies other tools to other identities, treating a missing hint as not read-only', () => {
    expect(gate.authorize(reader, { kind: 'tool', tool: remove })).toMatchObject({ allow: false, reason: expect.stringContaining('notes_delete_note') });
    expect(gate.authorize(reader, { kind: 'tool', tool: unannotated }).allow).toBe(false);
  });

  it('lets everyone read resources and get prompts, and grants no server permission', () => {
    expect(gate.authorize(reader, { kind: 'resource', uri: 'notes://1' })).toEqual({ allow: true });
    expect(gate.authorize(reader, { kind: 'prompt', name: 'summarize' })).toEqual({ allow: true });
    expect(gate.authorize(admin, { kind: 'permission', name: 'audit:read' }).allow).toBe(false);
  });

  it('shows each identity only the tools it may call', () => {
    expect(gate.visibleTools(reader, [read, remove, unannotated]).map((t) => t.name)).toEqual(['notes_read_note']);
    expect(gate.visibleTools(admin, [read, remove]).map((t) => t.name)).toEqual(['notes_read_note', 'notes_delete_note']);
  });
});
