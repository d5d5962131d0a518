import { Gauge, type Registry } from 'prom-client';
import { CERTIFICATE_EXPIRY_METRIC, type CertificateExpiryGauge } from './certificate-expiry.js';

/**
 * The expiry gauge on the kernel's prom-client registry rather than an OpenTelemetry instrument: when a placeholder
 * is replaced by an issued certificate its `source` label changes, and only here can the old series be removed
 * (an OpenTelemetry cumulative gauge keeps reporting every label set it has seen, which would keep an alert firing).
 */
export function certificateExpiryGauge(registry: Registry): CertificateExpiryGauge {
  const gauge = new Gauge({
    name: CERTIFICATE_EXPIRY_METRIC,
    help: 'When the served TLS certificate expires (notAfter, Unix seconds), by TLS provider and source (ca, self-signed).',
    labelNames: ['provider', 'source'],
    registers: [registry],
  });
  return {
    show(provider, served) {
      gauge.reset();
      if (served) gauge.set({ provider, source: served.source }, served.notAfterSeconds);
    },
  };
}
