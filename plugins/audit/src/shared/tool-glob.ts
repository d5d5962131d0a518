/**
 * Tool patterns of an audit filter: `*` matches any run of characters, everything else is literal.
 *
 * @example toolGlobRegExp('kubernetes_*').test('kubernetes_get_pods') // true
 */
export function toolGlobRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map(escapeRegExp).join('.*')}$`, 's');
}

/**
 * The same pattern as an SQL `LIKE` pattern with `\` as its escape character (`LIKE $1 ESCAPE '\'`), so a database
 * sink filters where the rows are.
 *
 * @example toolGlobToLike('kubernetes_*') // 'kubernetes\_%'
 */
export function toolGlobToLike(glob: string): string {
  return glob.replace(/[\\%_]/g, '\\$&').replace(/\*/g, '%');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
