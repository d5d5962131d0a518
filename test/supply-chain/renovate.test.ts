// renovate.json: valid against Renovate's own config schema (from the renovate package at a pinned version, see
// scripts/ensure-test-tools.mjs), and grouping the families that must move together: every OpenTelemetry, MCP SDK and
// Kubernetes client dependency of every workspace falls in exactly one named group.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ensureTool } from '../../scripts/ensure-test-tools.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const config = JSON.parse(readFileSync(`${repo}renovate.json`, 'utf8')) as { packageRules: { groupName?: string; matchPackageNames?: string[] }[] };

/** Every dependency name of the root and of each workspace package.json. */
function dependencyNames(): Set<string> {
  const manifests = ['package.json', 'core/package.json'];
  for (const dir of ['plugins', 'packages'])
    for (const name of readdirSync(`${repo}${dir}`)) if (existsSync(`${repo}${dir}/${name}/package.json`)) manifests.push(`${dir}/${name}/package.json`);
  const names = new Set<string>();
  for (const file of manifests) {
    const pkg = JSON.parse(readFileSync(`${repo}${file}`, 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'])
      for (const n of Object.keys(pkg[field] ?? {})) names.add(n);
  }
  return names;
}

/** Renovate's matchPackageNames, for the two forms this config uses: an exact name, or `@scope/**` (any package of it). */
function matches(name: string, pattern: string): boolean {
  if (pattern.endsWith('/**')) return name.startsWith(pattern.slice(0, -2));
  expect(pattern, 'renovate.json uses only exact names and @scope/** in matchPackageNames').not.toMatch(/[*?{}[\]!\/]{2}|[*?{}[\]!]/);
  return name === pattern;
}
const groupsOf = (name: string) =>
  config.packageRules.filter((r) => r.groupName && r.matchPackageNames?.some((pattern) => matches(name, pattern))).map((r) => r.groupName);

describe('renovate.json', () => {
  it("is valid against Renovate's config schema", () => {
    const schema = JSON.parse(readFileSync(ensureTool('renovate-schema.json'), 'utf8')) as { $id?: string };
    const isRegex = (text: string) => {
      try {
        return new RegExp(text) instanceof RegExp;
      } catch {
        return false;
      }
    };
    const validate = new Ajv({ allErrors: true, strict: false, formats: { regex: isRegex } }).compile(schema);
    expect(validate(config) ? [] : validate.errors).toEqual([]);
    // The schema is not a rubber stamp: a mistyped option, and an option only the bot's own admin config may set.
    expect(validate({ ...config, prConcurrentLimit: 'five' })).toBe(false);
    expect(validate({ ...config, allowedHeaders: ['X-*'] })).toBe(false);
  });

  it('groups OpenTelemetry, the MCP SDK and the Kubernetes client, each dependency in exactly one group', () => {
    const names = [...dependencyNames()];
    const families: Record<string, RegExp> = {
      OpenTelemetry: /^@opentelemetry\//,
      'MCP SDK': /^@modelcontextprotocol\//,
      'Kubernetes client': /^@kubernetes\/client-node$|^kubernetes-models$|^@kubernetes-models\//,
    };
    for (const [group, family] of Object.entries(families)) {
      const members = names.filter((n) => family.test(n));
      expect(members.length, `${group} has dependencies to group`).toBeGreaterThan(0);
      for (const name of members) expect(groupsOf(name), name).toEqual([group]);
    }
    // Unrelated dependencies stay out of these groups.
    for (const name of ['winston', 'ajv', 'vitest']) expect(groupsOf(name), name).toEqual([]);
  });
});
