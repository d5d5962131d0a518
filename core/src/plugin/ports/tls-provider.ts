import type { SecureContextOptions } from 'node:tls';

/** Port of plugin kind `tls`: where the HTTPS listener gets its certificate, and when it changes. */
export interface TlsProvider {
  secureContext(): Promise<SecureContextOptions>;
  /** Called when the certificate was renewed or reloaded; returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
  close?(): Promise<void>;
}
