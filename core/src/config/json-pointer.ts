/** JSON pointers (RFC 6901), as config problems, reference paths and sanitized fields report them. */
export const escapePointer = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

const unescapePointer = (token: string): string => token.replace(/~1/g, '/').replace(/~0/g, '~');

/** The object holding the value a pointer names, and the key within it; undefined when the path does not exist. */
export function pointerParent(root: Record<string, unknown>, pointer: string): { parent: Record<string, unknown>; key: string } | undefined {
  const keys = pointer.split('/').slice(1).map(unescapePointer);
  const key = keys.pop();
  let parent: unknown = root;
  for (const k of keys) parent = parent !== null && typeof parent === 'object' ? (parent as Record<string, unknown>)[k] : undefined;
  if (key === undefined || parent === null || typeof parent !== 'object') return undefined;
  return { parent: parent as Record<string, unknown>, key };
}
