import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '../plugin/logger.js';
import type { AuthRequest } from '../plugin/ports/auth-strategy.js';
import type { TlsProvider } from '../plugin/ports/tls-provider.js';

const ACME_TLS_ALPN = 'acme-tls/1';

/**
 * The HTTPS server for a TLS provider. A renewed or reloaded certificate is swapped in with setSecureContext: new
 * handshakes use it, open connections keep theirs. A provider that answers TLS-ALPN-01 challenges gets the
 * `acme-tls/1` protocol and an SNI hook.
 */
export async function createTlsServer(
  provider: TlsProvider,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  logger: Logger,
): Promise<{ server: Server; unsubscribe: () => void }> {
  const settings = await provider.secureContext();
  const challenges = provider.challengeContext?.bind(provider);
  const server = createServer(
    {
      ...settings,
      ...(challenges
        ? {
            ALPNProtocols: ['http/1.1', ACME_TLS_ALPN],
            SNICallback: (servername: string, done: (error: Error | null, context?: import('node:tls').SecureContext) => void) =>
              done(null, challenges(servername)),
          }
        : {}),
    },
    handler,
  );
  const unsubscribe = provider.onChange(() => {
    provider
      .secureContext()
      .then((next) => server.setSecureContext(next))
      .catch((error: Error) => logger.error('could not apply the new TLS certificate; still serving the previous one', { error: error.message }));
  });
  return { server, unsubscribe };
}

/**
 * The client certificate of a TLS request as the auth strategies see it. With `clientAuth: request` an unverified
 * one gets here too, marked `authorized: false`, so that the `mtls` strategy can refuse it rather than ignore it.
 */
export function peerCertificateOf(req: IncomingMessage): AuthRequest['peerCertificate'] {
  const socket = req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return undefined;
  return {
    subject: { ...cert.subject } as Record<string, string>,
    ...(cert.subjectaltname ? { subjectaltname: cert.subjectaltname } : {}),
    fingerprint256: cert.fingerprint256,
    authorized: socket.authorized === true,
    ...(socket.authorizationError ? { authorizationError: String(socket.authorizationError) } : {}),
  };
}
