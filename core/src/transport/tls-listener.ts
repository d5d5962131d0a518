import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { SecureContext, TLSSocket } from 'node:tls';
import type { Logger } from '../plugin/logger.js';
import type { AuthRequest } from '../plugin/ports/auth-strategy.js';
import type { TlsProvider } from '../plugin/ports/tls-provider.js';

const ACME_TLS_ALPN = 'acme-tls/1';

/** `server.headersTimeoutMs` / `server.requestTimeoutMs`: a client that sends slower is cut (slow-loris). */
export interface ServerTimeouts {
  readonly headersMs: number;
  readonly requestMs: number;
}

/** Node options for the timeouts; the check runs often enough that a timeout is enforced close to its value. */
export const serverTimeouts = (t: ServerTimeouts) => ({
  headersTimeout: Math.min(t.headersMs, t.requestMs),
  requestTimeout: t.requestMs,
  connectionsCheckingInterval: Math.max(250, Math.min(1000, Math.floor(Math.min(t.headersMs, t.requestMs) / 4))),
});

/**
 * The HTTPS server for a TLS provider. A renewed or reloaded certificate is swapped in with setSecureContext: new
 * handshakes use it, open connections keep theirs. A provider that answers TLS-ALPN-01 challenges gets the
 * `acme-tls/1` protocol and an SNI hook that serves its challenge certificate to the validator only.
 */
export async function createTlsServer(
  provider: TlsProvider,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  logger: Logger,
  timeouts: ServerTimeouts,
): Promise<{ server: Server; unsubscribe: () => void }> {
  const settings = await provider.secureContext();
  const challenges = provider.challengeContext?.bind(provider);
  // OpenSSL selects the protocol (ALPN) before it asks for the certificate (SNI), in one synchronous step: the name
  // an `acme-tls/1` offer came with is remembered just long enough for the SNI hook of the same handshake, so only
  // the ACME validator, never an ordinary client, is shown a challenge certificate.
  let acmeOfferFor: string | undefined;
  const server = createServer(
    {
      ...serverTimeouts(timeouts),
      ...settings,
      ...(challenges
        ? {
            ALPNCallback: ({ servername, protocols }: { servername: string; protocols: string[] }) => {
              acmeOfferFor = protocols.includes(ACME_TLS_ALPN) && !protocols.includes('http/1.1') ? servername : undefined;
              if (protocols.includes('http/1.1')) return 'http/1.1';
              return acmeOfferFor !== undefined ? ACME_TLS_ALPN : undefined;
            },
            SNICallback: (servername: string, done: (error: Error | null, context?: SecureContext) => void) => {
              const acme = acmeOfferFor === servername;
              acmeOfferFor = undefined;
              done(null, acme ? challenges(servername) : undefined);
            },
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
