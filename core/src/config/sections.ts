import type { PluginKind } from '../plugin/define-plugin.js';

/** Where each plugin kind is selected in the config file, and whether several may be. */
export interface PluginSection {
  readonly key: string;
  readonly kind: PluginKind;
  readonly multiple: boolean;
  readonly title: string;
}

/** In setup order: stores first (others read secrets, emit audit), tool packs last. */
export const PLUGIN_SECTIONS: readonly PluginSection[] = [
  { key: 'secrets', kind: 'secret-store', multiple: false, title: 'Secret store: where `${secret:NAME}` references and rotated credentials live' },
  { key: 'audit', kind: 'audit-sink', multiple: true, title: 'Audit sinks: every event is written to each' },
  { key: 'tls', kind: 'tls', multiple: false, title: 'TLS certificate provider for the HTTPS listener' },
  { key: 'rateLimit', kind: 'rate-limit-store', multiple: false, title: 'Rate-limit store used by the `limits` rules' },
  { key: 'auth', kind: 'auth', multiple: true, title: 'Authentication strategies, tried in order' },
  { key: 'authorization', kind: 'authorizer', multiple: false, title: 'Authorizer deciding which identity may call which tool' },
  { key: 'sanitize', kind: 'sanitizer', multiple: false, title: 'Sanitizer applied to string arguments after validation' },
  { key: 'toolPacks', kind: 'tool-pack', multiple: true, title: 'Tool packs serving tools, prompts and resources' },
];

/** One selected plugin: where it is in the config, and its options without `use`. */
export interface PluginSelection {
  readonly section: PluginSection;
  readonly use: string;
  /** JSON pointer of the entry, e.g. `/toolPacks/0`. */
  readonly path: string;
  readonly options: Record<string, unknown>;
}

export function selectionsOf(config: Record<string, unknown>): PluginSelection[] {
  const selections: PluginSelection[] = [];
  for (const section of PLUGIN_SECTIONS) {
    const value = config[section.key];
    if (value === undefined) continue;
    const entries = section.multiple ? (Array.isArray(value) ? value : []) : [value];
    entries.forEach((entry, index) => {
      if (typeof entry !== 'object' || entry === null || typeof (entry as { use?: unknown }).use !== 'string') return;
      const { use, ...options } = entry as { use: string } & Record<string, unknown>;
      selections.push({ section, use, path: section.multiple ? `/${section.key}/${index}` : `/${section.key}`, options });
    });
  }
  return selections;
}
