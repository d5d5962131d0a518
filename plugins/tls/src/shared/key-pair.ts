import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import { CnmcpError, type TlsSettings } from '@cnmcp/core/plugin';
import type { ListenerOptions } from './listener-options.js';

/** A certificate chain and its private key, as PEM text, checked to belong together. */
export interface KeyPair {
  readonly cert: string;
  readonly key: string;
  /** Of the leaf certificate. */
  readonly notAfter: Date;
  readonly subject: string;
  readonly fingerprint256: string;
}

/** Reads a PEM file; an unreadable one is a CnmcpError naming the path and what the file is for. */
export async function readPem(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CnmcpError('TLS_FILE_UNREADABLE', `cannot read the ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Parses the leaf certificate and the key and checks that the key is the certificate's. `where` names the files
 * in errors (e.g. `cert ./tls/cert.pem / key ./tls/key.pem`).
 */
export function checkKeyPair(cert: string, key: string, where: { cert: string; key: string }): KeyPair {
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert);
  } catch (error) {
    throw new CnmcpError('TLS_CERT_INVALID', `${where.cert} holds no valid PEM certificate: ${(error as Error).message}`, { cause: error });
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    throw new CnmcpError('TLS_KEY_INVALID', `${where.key} holds no valid unencrypted PEM private key: ${(error as Error).message}`, { cause: error });
  }
  if (!leaf.checkPrivateKey(privateKey)) {
    throw new CnmcpError(
      'TLS_KEY_MISMATCH',
      `the private key in ${where.key} does not belong to the certificate in ${where.cert} (${leaf.subject.replace(/\n/g, ', ')})`,
    );
  }
  return { cert, key, notAfter: new Date(leaf.validTo), subject: leaf.subject.replace(/\n/g, ', '), fingerprint256: leaf.fingerprint256 };
}

/** The listener settings for a key pair; building a context once here surfaces a bad cipher list or CA file at startup. */
export function listenerSettings(pair: KeyPair, options: ListenerOptions, clientCa: string | undefined): TlsSettings {
  const settings: TlsSettings = {
    cert: pair.cert,
    key: pair.key,
    minVersion: options.minVersion,
    ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
    ...(options.ciphers ? { ciphers: options.ciphers } : {}),
    ...(options.clientAuth && clientCa ? { ca: clientCa, requestCert: true, rejectUnauthorized: options.clientAuth === 'require' } : {}),
  };
  try {
    createSecureContext(settings);
  } catch (error) {
    throw new CnmcpError('TLS_OPTIONS_INVALID', `the TLS settings are not usable: ${(error as Error).message}`, { cause: error });
  }
  return settings;
}
