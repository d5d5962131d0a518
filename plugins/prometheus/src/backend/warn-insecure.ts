import type { Logger } from '@cnmcp/core/plugin';
import type { BackendSettings } from './backend-config.js';

/** Logs loudly, at every start, that a backend's certificate is not verified. */
export function warnIfInsecure(logger: Logger, pack: string, backend: BackendSettings): void {
  if (!backend.tls.insecureSkipVerify) return;
  logger.warn(
    `INSECURE: ${pack} does not verify the TLS certificate of ${backend.url} (backend.tls.insecureSkipVerify: true). Anyone on the network path can read and change this traffic, backend credentials included. Set backend.tls.ca instead.`,
    { pack, backend: backend.url },
  );
  if (backend.url.startsWith('http:'))
    logger.warn(`${pack}: insecureSkipVerify has no effect on the http URL ${backend.url}; the traffic is not encrypted at all.`, { pack });
}
