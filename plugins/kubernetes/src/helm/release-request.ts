// The one request shape that reads Helm releases: a GET list of core Secrets selected by `owner=helm`. Only the
// Helm tools send it (they mark their calls), and only it passes the `secrets: deny` guard rail.

export const HELM_OWNER_SELECTOR = 'owner=helm';

/** Whether a request is a list of Secrets whose label selector requires `owner=helm`. */
export function isHelmReleaseList(method: string, url: string): boolean {
  if (method.toUpperCase() !== 'GET') return false;
  const parsed = new URL(url, 'https://cluster');
  if (!/^\/api\/v1(\/namespaces\/[^/]+)?\/secrets\/?$/.test(parsed.pathname)) return false;
  if (parsed.searchParams.has('watch')) return false;
  const selectors = parsed.searchParams.getAll('labelSelector');
  return selectors.length === 1 && selectors[0]!.split(',').some((term) => term.replace(/\s+/g, '').replace('==', '=') === HELM_OWNER_SELECTOR);
}
