import { PLUGIN_KIND_TABLE, PLUGIN_KINDS, type PluginKind } from '../plugin/plugin-kinds.js';

/** Where each plugin kind is selected in the config file, and whether several may be. */
export interface PluginSection {
  readonly key: string;
  readonly kind: PluginKind;
  readonly multiple: boolean;
  readonly title: string;
}

/** In setup order, from the one declaration of the kinds. */
export const PLUGIN_SECTIONS: readonly PluginSection[] = Object.freeze(
  PLUGIN_KINDS.map((kind) => {
    const { section, multiple, title } = PLUGIN_KIND_TABLE[kind];
    return Object.freeze({ key: section, kind, multiple, title });
  }),
);

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
