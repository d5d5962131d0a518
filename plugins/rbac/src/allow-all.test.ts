import type { Identity, ToolDefinition } from '@cnmcp/core/plugin';
import { describe, expect, it } from 'vitest';
import { createAllowAllAuthorizer } from './allow-all.js';

const anyone: Identity = { id: 'u', authMethod: 'bearer', roles: ['admin'] };
const tool: ToolDefinition = { name: 'x_delete', description: 'x', inputSchema: { type: 'object' }, handler: async () => ({ content: [] }) };

describe('allow-all authorizer', () => {
  it('allows every tool, resource and prompt', () => {
    const all = createAllowAllAuthorizer();
    expect(all.authorize(anyone, { kind: 'tool', tool })).toEqual({ allow: true });
    expect(all.authorize(anyone, { kind: 'resource', uri: 'file:///etc/shadow' })).toEqual({ allow: true });
    expect(all.authorize(anyone, { kind: 'prompt', name: 'p' })).toEqual({ allow: true });
    expect(all.visibleTools(anyone, [tool])).toEqual([tool]);
  });

  it('grants only the server permissions it lists, whatever roles the identity claims', () => {
    expect(createAllowAllAuthorizer().authorize(anyone, { kind: 'permission', name: 'audit:read' }).allow).toBe(false);
    const metrics = createAllowAllAuthorizer({ permissions: ['metrics:read'] });
    expect(metrics.authorize(anyone, { kind: 'permission', name: 'metrics:read' }).allow).toBe(true);
    expect(metrics.authorize(anyone, { kind: 'permission', name: 'audit:read' }).allow).toBe(false);
  });
});
