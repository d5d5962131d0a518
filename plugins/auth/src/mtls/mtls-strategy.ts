import type { AuthRequest, AuthStrategy, Identity } from '@cnmcp/core/plugin';
import type { MtlsConfig } from './config-schema.js';
import { subjectAltNames } from './subject-names.js';

type PeerCertificate = NonNullable<AuthRequest['peerCertificate']>;

/**
 * The client certificate of the TLS connection, as the `tls` provider's CA verified it. No certificate: none (the
 * next strategy decides). A presented one that did not verify is refused, never passed on to a weaker scheme.
 */
export function createMtlsStrategy(config: MtlsConfig): AuthStrategy {
  const identityOf = (cert: PeerCertificate): Identity | undefined => {
    const cn = cert.subject?.CN;
    const sans = subjectAltNames(cert.subjectaltname);
    const attributes = Object.freeze({ certificateSubject: cn, fingerprint256: cert.fingerprint256 });
    for (const entry of config.identities) {
      const matched = entry.cn !== undefined ? (entry.cn === cn ? cn : undefined) : sans.find((san) => san === entry.san)?.replace(/^[^:]+:/, '');
      if (matched === undefined) continue;
      return Object.freeze({ id: entry.id ?? matched, authMethod: 'mtls', roles: Object.freeze([...entry.roles]), attributes });
    }
    if (config.allowUnmapped && cn) return Object.freeze({ id: cn, authMethod: 'mtls', roles: Object.freeze([...config.unmappedRoles]), attributes });
    return undefined;
  };
  return {
    scheme: 'mTLS',
    async authenticate(request) {
      const cert = request.peerCertificate;
      if (!cert) return { kind: 'none' };
      const subject = cert.subject?.CN;
      if (!cert.authorized) {
        return { kind: 'fail', reason: `client certificate not verified: ${cert.authorizationError ?? 'unknown error'}`, ...(subject ? { subject } : {}) };
      }
      const identity = identityOf(cert);
      if (!identity) return { kind: 'fail', reason: 'client certificate matches no configured identity', ...(subject ? { subject } : {}) };
      return { kind: 'ok', identity };
    },
  };
}
