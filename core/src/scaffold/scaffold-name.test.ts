import { describe, expect, it } from 'vitest';
import { nameProblem, nameVariants, reservedNames } from './scaffold-name.js';

describe('scaffold names', () => {
  it('accepts npm-safe kebab-case names', () => {
    for (const name of ['ops-pack', 'k8s-extra', 'a', 'team2-token']) expect(nameProblem(name), name).toBeUndefined();
  });

  it('refuses anything else, saying why', () => {
    for (const name of ['MyPack', 'my_pack', 'my--pack', '-pack', 'pack-', '9lives', '../evil', 'a/b', '@scope/x', 'ops pack']) {
      expect(nameProblem(name), name).toMatch(/not kebab-case/);
    }
    expect(nameProblem('')).toMatch(/empty/);
    expect(nameProblem('x'.repeat(41))).toMatch(/at most 40/);
  });

  it('reserves every built-in plugin name and package name', () => {
    for (const name of [
      'utilities',
      'apikey',
      'bearer',
      'rbac',
      'memory',
      'file',
      'postgres',
      'injection-filter',
      'auth',
      'audit',
      'rate-limit',
      'sanitize',
      'core',
      'cnmcp',
    ]) {
      expect(reservedNames().has(name), name).toBe(true);
      expect(nameProblem(name), name).toMatch(/reserved/);
    }
  });

  it('spells a name the ways templates need', () => {
    expect(nameVariants('ops-pack-two')).toEqual({ kebab: 'ops-pack-two', camel: 'opsPackTwo', pascal: 'OpsPackTwo', snake: 'ops_pack_two' });
  });
});
