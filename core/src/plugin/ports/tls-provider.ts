import type { SecureContext, SecureContextOptions } from 'node:tls';

/** What the HTTPS listener is built with: the secure context plus whether and how client certificates are asked for. */
export interface TlsSettings extends SecureContextOptions {
  /** Ask clients for a certificate (mTLS). */
  readonly requestCert?: boolean;
  /** With `requestCert`: refuse the handshake unless the client certificate verifies against `ca`. */
  readonly rejectUnauthorized?: boolean;
}

/** Port of plugin kind `tls`: where the HTTPS listener gets its certificate, and when it changes. */
export interface TlsProvider {
  /** The settings the listener starts with; asked again after every `onChange` (a renewed or reloaded certificate). */
  secureContext(): Promise<TlsSettings>;
  /** Called when the certificate was renewed or reloaded; returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
  /**
   * ACME TLS-ALPN-01: the self-signed challenge certificate to present for `servername` while its validation is
   * pending (only to clients that offer the `acme-tls/1` protocol), otherwise undefined.
   */
  challengeContext?(servername: string): SecureContext | undefined;
  close?(): Promise<void>;
}
