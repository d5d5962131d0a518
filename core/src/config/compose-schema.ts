import type { Plugin } from '../plugin/define-plugin.js';
import { coreSchema } from './core-schema.js';
import { PLUGIN_SECTIONS } from './sections.js';

/** A plugin's schema as it appears under its section: the plugin's options plus `use: <name>`. */
function entrySchema(use: string, plugin: Plugin): Record<string, unknown> {
  const schema = plugin.configSchema as Record<string, unknown>;
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  return {
    ...schema,
    ...(plugin.description ? { description: plugin.description } : {}),
    properties: { use: { const: use, description: `Selects the ${plugin.kind} plugin ${plugin.name}.` }, ...properties },
    additionalProperties: schema.additionalProperties ?? false,
  };
}

/**
 * The whole config schema: the kernel's own sections, and for each plugin section one `if use = name then
 * <plugin schema>` branch per known plugin. Errors then point into the entry (`/toolPacks/0/webFetch`) instead of
 * drowning in anyOf alternatives.
 */
export interface SchemaEntry {
  readonly section: string;
  readonly use: string;
  readonly plugin: Plugin;
}

export function composeSchema(entries: readonly SchemaEntry[]): Record<string, unknown> {
  const schema = coreSchema();
  const properties = schema.properties as Record<string, Record<string, unknown>>;
  for (const section of PLUGIN_SECTIONS) {
    const branches = entries
      .filter((e) => e.section === section.key)
      .map(({ use, plugin }) => ({ if: { properties: { use: { const: use } }, required: ['use'] }, then: entrySchema(use, plugin) }));
    if (branches.length === 0) continue;
    const holder = properties[section.key]!;
    const entry = (section.multiple ? holder.items : holder) as Record<string, unknown>;
    entry.allOf = branches;
  }
  return schema;
}
