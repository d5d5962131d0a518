/** How a string field is treated, from the tool schema's `x-cnmcp-sanitize` keyword (default `filter`). */
export type SanitizePolicy = 'filter' | 'identifier' | 'url' | 'query' | 'raw';

export type SanitizeOutcome = { readonly value: unknown } | { readonly reject: string };

/** Port of plugin kind `sanitizer`. Called once per string field of validated tool arguments. */
export interface Sanitizer {
  /** `path` is the JSON pointer of the field, e.g. `/selector`; `tool` is the tool being called. */
  sanitize(value: string, policy: SanitizePolicy, path: string, tool: string): SanitizeOutcome;
}
