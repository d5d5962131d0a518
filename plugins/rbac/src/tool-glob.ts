/**
 * Compiles tool-name globs into one anchored, case-sensitive RegExp: `*` matches any run of characters
 * (including none), `?` exactly one, everything else itself. No globs compiles to a RegExp that matches nothing.
 *
 * @example compileGlobs(['*_get_*', 'k8s_list_pods']).test('k8s_get_pod') // true
 */
export function compileGlobs(globs: readonly string[]): RegExp {
  if (globs.length === 0) return /(?!)/;
  return new RegExp(`^(?:${globs.map(globSource).join('|')})$`);
}

// `[\s\S]` rather than `.`: a pattern must never match less than it says, even across a line terminator.
function globSource(glob: string): string {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += '[\\s\\S]*';
    else if (char === '?') source += '[\\s\\S]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return source;
}
