import { X509Certificate } from 'node:crypto';
import type { Logger } from '../plugin/logger.js';
import type { TlsProvider } from '../plugin/ports/tls-provider.js';

/** The metric name; documented in docs/operations/observability.md and alerted on by the chart's PrometheusRule. */
export const CERTIFICATE_EXPIRY_METRIC = 'cnmcp_tls_certificate_expiry_timestamp_seconds';

/** The served leaf certificate as the gauge shows it: when it expires and whether a CA or the server itself signed it. */
export interface ServedCertificate {
  readonly notAfterSeconds: number;
  readonly source: 'ca' | 'self-signed';
}

/** Where the kernel shows the served certificate; `undefined` removes the series. */
export interface CertificateExpiryGauge {
  show(provider: string, served: ServedCertificate | undefined): void;
}

/** The first certificate of the served chain (the leaf), read from the settings the listener is built with. */
export function servedCertificate(cert: unknown): ServedCertificate | undefined {
  const first: unknown = Array.isArray(cert) ? cert[0] : cert;
  if (typeof first !== 'string' && !Buffer.isBuffer(first)) return undefined;
  const leaf = new X509Certificate(first);
  const selfSigned = leaf.checkIssued(leaf) && leaf.verify(leaf.publicKey);
  return { notAfterSeconds: Math.floor(Date.parse(leaf.validTo) / 1000), source: selfSigned ? 'self-signed' : 'ca' };
}

/**
 * Shows the served certificate's notAfter, labelled with the provider plugin and whether it is CA-issued or a
 * self-signed placeholder (nothing else: a subject may name internal hosts), when the provider starts and again on
 * every renewal or reload, so an alert fires days before clients refuse it. Returns the unsubscribe from the provider.
 */
export async function watchCertificateExpiry(
  gauge: CertificateExpiryGauge,
  tls: { readonly id: string; readonly port: TlsProvider },
  logger: Logger,
): Promise<() => void> {
  const provider = tls.id.split('/')[1] ?? tls.id;
  const read = async () => {
    try {
      gauge.show(provider, servedCertificate((await tls.port.secureContext()).cert));
    } catch (error) {
      logger.warn('cannot read the served TLS certificate for its expiry metric', { error: (error as Error).message });
    }
  };
  // Reads run one after another, so two quick reloads cannot leave the older certificate shown.
  let reading = read();
  await reading;
  return tls.port.onChange(() => void (reading = reading.then(read)));
}
