import { Agent } from 'node:https';
import * as acme from 'acme-client';

/**
 * acme-client talks through one axios instance shared by the whole process, so a private ACME server's CA cannot
 * be given per client. Each provider registers the origin of its directory here; one request interceptor gives
 * requests to that origin an agent trusting that CA, and leaves every other request alone.
 */
const agents = new Map<string, Agent>();
let installed = false;

export function trustDirectory(directoryUrl: string, caPem: string): () => void {
  const origin = new URL(directoryUrl).origin;
  const agent = new Agent({ ca: caPem, keepAlive: false });
  agents.set(origin, agent);
  if (!installed) {
    installed = true;
    acme.axios.interceptors.request.use((config) => {
      const url = config.url ? new URL(config.url, config.baseURL) : undefined;
      const trusted = url && agents.get(url.origin);
      return trusted ? { ...config, httpsAgent: trusted } : config;
    });
  }
  return () => {
    if (agents.get(origin) === agent) agents.delete(origin);
    agent.destroy();
  };
}
