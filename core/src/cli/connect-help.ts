import { reachableUrl, type ReachableUrl } from './reachable-url.js';

/**
 * What `cnmcp serve` prints once it listens: where to connect and a ready-made client config. A wildcard listen
 * address (0.0.0.0, ::) is replaced by an address clients can reach, with a note saying so.
 */
export function connectHelp(listening: URL, authenticated: boolean, reachable: ReachableUrl = reachableUrl(listening)): string {
  const { url, note } = reachable;
  const snippet = JSON.stringify(
    { mcpServers: { cnmcp: { type: 'http', url: url.href, ...(authenticated ? { headers: { 'X-API-Key': '<your key>' } } : {}) } } },
    null,
    2,
  );
  return [
    `cnmcp is serving MCP at ${url.href}`,
    ...(note ? [`  Note: ${note}`] : []),
    `  Streamable HTTP (MCP 2026-07-28 and 2025-era clients): ${url.href}`,
    `  Legacy HTTP+SSE: ${new URL('/sse', url).href}`,
    `  Health: ${new URL('/healthz', url).href}  Ready: ${new URL('/readyz', url).href}`,
    '',
    'Add this to your MCP client configuration:',
    snippet,
    '',
  ].join('\n');
}
