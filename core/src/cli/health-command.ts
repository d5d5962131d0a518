import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { EXIT } from './exit-codes.js';

export interface HealthFlags {
  url?: string;
  timeout?: string;
  ca?: string;
}

/** Where `cnmcp health` looks when neither --url nor CNMCP_HEALTH_URL says otherwise: the image's default listener. */
export const DEFAULT_HEALTH_URL = 'http://127.0.0.1:8080/healthz';

/**
 * `cnmcp health`: GET the liveness URL, exit 0 on 200 and 1 otherwise with one line on stderr. It exists so a
 * container HEALTHCHECK or probe needs no shell or curl. node:http(s) rather than fetch, because only they take a
 * private CA (`--ca`) for a server that serves TLS with its own certificate; there is deliberately no "insecure" mode.
 */
export async function healthCommand(flags: HealthFlags, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const where = flags.url ?? env.CNMCP_HEALTH_URL ?? DEFAULT_HEALTH_URL;
  const timeoutMs = Number(flags.timeout ?? '5000');
  let url: URL;
  try {
    url = new URL(where);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    process.stderr.write(`cnmcp: health: --url must be an http:// or https:// URL, got ${JSON.stringify(where)}\n`);
    return EXIT.invalidConfig;
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    process.stderr.write(`cnmcp: health: --timeout must be a positive number of milliseconds, got ${JSON.stringify(flags.timeout)}\n`);
    return EXIT.invalidConfig;
  }
  // The env twins let an image HEALTHCHECK (fixed argv, no shell to expand variables) follow the deployment.
  const caFile = flags.ca ?? env.CNMCP_HEALTH_CA;
  let ca: Buffer | undefined;
  if (caFile) {
    try {
      ca = await readFile(caFile);
    } catch (error) {
      process.stderr.write(`cnmcp: health: cannot read --ca ${caFile}: ${(error as Error).message}\n`);
      return EXIT.invalidConfig;
    }
  }
  try {
    const status = await get(url, timeoutMs, ca);
    if (status === 200) return EXIT.ok;
    process.stderr.write(`cnmcp: health: ${url.href} answered ${status}\n`);
  } catch (error) {
    process.stderr.write(`cnmcp: health: ${url.href} failed: ${(error as Error).message}\n`);
  }
  return EXIT.failure;
}

function get(url: URL, timeoutMs: number, ca: Buffer | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const options = { method: 'GET', timeout: timeoutMs, headers: { accept: 'application/json' }, ...(ca ? { ca } : {}) };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.once('error', reject);
    req.end();
  });
}
