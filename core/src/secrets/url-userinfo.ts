/**
 * `scheme://user:password@host`: the userinfo of a URL carries a credential wherever the URL appears (a Redis or
 * PostgreSQL URL in config, a connection error quoting it). Greedy up to the last `@` before the path, so that a
 * password holding a raw `@` is covered too.
 */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]*)@/gi;

/** The text with the userinfo of every URL in it replaced by `***`. */
export const maskUserinfo = (text: string): string => (text.includes('://') ? text.replace(USERINFO, (_whole, scheme: string) => `${scheme}***@`) : text);

/** The userinfo parts (`user:password`, and the password alone) of every URL in the text: values never to print. */
export function userinfoOf(text: string): string[] {
  if (!text.includes('://')) return [];
  return [...text.matchAll(USERINFO)].flatMap(([, , userinfo = '']) => {
    const password = userinfo.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : '';
    return [userinfo, password, safeDecode(password)].filter((v) => v.length > 0);
  });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
