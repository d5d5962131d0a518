import { createSecureContext, type SecureContext } from 'node:tls';
import * as acme from 'acme-client';
import type { AuditEmitter, Logger, TlsProvider, TlsSettings } from '@cnmcp/core/plugin';
import { ChangeListeners } from '../shared/change-listeners.js';
import { checkKeyPair, listenerSettings, readPem, type KeyPair } from '../shared/key-pair.js';
import { CertCache } from './cert-cache.js';
import type { AcmeTlsConfig } from './config-schema.js';
import { trustDirectory } from './directory-trust.js';
import { Http01Responder } from './http01-responder.js';

const DAY_MS = 86_400_000;
/** setTimeout's limit; longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Served {
  readonly pair: KeyPair;
  readonly settings: TlsSettings;
  /** False for the self-signed placeholder presented until the first certificate arrives. */
  readonly issued: boolean;
}

export interface AcmeDeps {
  readonly logger: Logger;
  readonly audit: AuditEmitter;
}

/**
 * Certificates from an ACME server. A valid cached certificate is served at once; otherwise a self-signed
 * placeholder until the first one is issued. The expiry is checked every `checkIntervalHours`; renewal runs in
 * the background while the current certificate keeps being served, and is swapped in only once issued and checked.
 * Failures are retried with exponential backoff and audited.
 */
export class AcmeTlsProvider implements TlsProvider {
  readonly #config: AcmeTlsConfig;
  readonly #deps: AcmeDeps;
  readonly #cache: CertCache;
  readonly #client: acme.Client;
  readonly #clientCa: string | undefined;
  readonly #responder: Http01Responder | undefined;
  readonly #untrust: (() => void) | undefined;
  readonly #listeners = new ChangeListeners();
  /** TLS-ALPN-01 challenge certificates by domain, while their validation is pending. */
  readonly #alpn = new Map<string, SecureContext>();
  #served: Served;
  #timer?: NodeJS.Timeout;
  #failures = 0;
  #running?: Promise<void>;
  #closed = false;

  private constructor(init: {
    config: AcmeTlsConfig;
    deps: AcmeDeps;
    cache: CertCache;
    client: acme.Client;
    clientCa: string | undefined;
    responder: Http01Responder | undefined;
    untrust: (() => void) | undefined;
    served: Served;
  }) {
    this.#config = init.config;
    this.#deps = init.deps;
    this.#cache = init.cache;
    this.#client = init.client;
    this.#clientCa = init.clientCa;
    this.#responder = init.responder;
    this.#untrust = init.untrust;
    this.#served = init.served;
  }

  static async open(config: AcmeTlsConfig, deps: AcmeDeps): Promise<AcmeTlsProvider> {
    const name = config.domains[0]!;
    const cache = await CertCache.open(config.cacheDir, name);
    const clientCa = config.clientAuth && config.ca ? await readPem(config.ca, 'client CA (ca)') : undefined;
    const untrust = config.directoryCa ? trustDirectory(config.directoryUrl, await readPem(config.directoryCa, 'ACME directory CA (directoryCa)')) : undefined;
    let responder: Http01Responder | undefined;
    try {
      let accountKey = await cache.readAccountKey();
      if (!accountKey) {
        accountKey = (await acme.crypto.createPrivateEcdsaKey('P-256')).toString();
        await cache.writeAccountKey(accountKey);
      }
      const client = new acme.Client({ directoryUrl: config.directoryUrl, accountKey });
      if (config.challenge === 'http-01') responder = await Http01Responder.listen(config.httpChallengeHost, config.httpChallengePort);
      const served = (await cachedCertificate(cache, config, clientCa, deps.logger)) ?? (await placeholder(config, clientCa));
      const provider = new AcmeTlsProvider({ config, deps, cache, client, clientCa, responder, untrust, served });
      provider.#schedule(0);
      return provider;
    } catch (error) {
      untrust?.();
      await responder?.close();
      throw error;
    }
  }

  async secureContext(): Promise<TlsSettings> {
    return this.#served.settings;
  }

  onChange(listener: () => void): () => void {
    return this.#listeners.add(listener);
  }

  challengeContext(servername: string): SecureContext | undefined {
    return this.#alpn.get(servername.toLowerCase());
  }

  /** The port the HTTP-01 responder listens on (useful when configured as 0). */
  get httpChallengePort(): number | undefined {
    return this.#responder?.port;
  }

  /** Renews now, whatever the expiry (an operator's forced renewal); resolves when the attempt is over. */
  renewNow(): Promise<void> {
    this.#running ??= this.#attempt(true).finally(() => (this.#running = undefined));
    return this.#running;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    // An attempt still running is not waited for (its ACME requests may be retrying); its outcome is dropped.
    await this.#responder?.close();
    this.#untrust?.();
  }

  #schedule(delayMs: number): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#check(), Math.min(delayMs, MAX_TIMER_MS));
    this.#timer.unref();
  }

  async #check(): Promise<void> {
    const dueAt = this.#served.issued ? this.#served.pair.notAfter.getTime() - this.#config.renewBeforeDays * DAY_MS : 0;
    if (Date.now() < dueAt) return this.#schedule(Math.min(dueAt - Date.now(), this.#config.checkIntervalHours * 3_600_000));
    this.#running ??= this.#attempt(false).finally(() => (this.#running = undefined));
    await this.#running;
  }

  async #attempt(forced: boolean): Promise<void> {
    const first = !this.#served.issued;
    const started = Date.now();
    try {
      const pair = await this.#issue();
      if (this.#closed) return;
      this.#served = { pair, settings: listenerSettings(pair, this.#config, this.#clientCa), issued: true };
      this.#failures = 0;
      this.#deps.logger.info(first ? 'TLS certificate issued' : 'TLS certificate renewed', {
        domains: this.#config.domains,
        notAfter: pair.notAfter.toISOString(),
      });
      this.#deps.audit.emit({
        type: first ? 'tls.issued' : 'tls.renewed',
        outcome: 'success',
        durationMs: Date.now() - started,
        details: {
          provider: 'acme',
          domains: [...this.#config.domains],
          directoryUrl: this.#config.directoryUrl,
          fingerprint256: pair.fingerprint256,
          notAfter: pair.notAfter.toISOString(),
          forced,
        },
      });
      this.#listeners.notify();
      this.#schedule(this.#config.checkIntervalHours * 3_600_000);
    } catch (error) {
      if (this.#closed) return;
      this.#failures += 1;
      const retryInMs = Math.min(this.#config.retryInitialDelaySeconds * 1000 * 2 ** (this.#failures - 1), this.#config.retryMaxDelaySeconds * 1000);
      const message = (error as Error).message;
      this.#deps.logger.warn('ACME issuance failed; still serving the current certificate', {
        domains: this.#config.domains,
        error: message,
        attempt: this.#failures,
        retryInMs,
      });
      this.#deps.audit.emit({
        type: first ? 'tls.issue_failed' : 'tls.renewal_failed',
        outcome: 'failure',
        durationMs: Date.now() - started,
        error: { code: 'ACME_FAILED', message },
        details: {
          provider: 'acme',
          domains: [...this.#config.domains],
          directoryUrl: this.#config.directoryUrl,
          attempt: this.#failures,
          retryInSeconds: Math.round(retryInMs / 1000),
        },
      });
      this.#schedule(retryInMs);
    }
  }

  async #issue(): Promise<KeyPair> {
    const { domains } = this.#config;
    const [key, csr] = await acme.crypto.createCsr({ commonName: domains[0], altNames: [...domains] }, await acme.crypto.createPrivateEcdsaKey('P-256'));
    const cert = await this.#client.auto({
      csr,
      ...(this.#config.email ? { email: this.#config.email } : {}),
      termsOfServiceAgreed: true,
      challengePriority: [this.#config.challenge],
      // acme-client's self-check fetches the challenge over the public network first; the ACME server's own check suffices.
      skipChallengeVerification: true,
      challengeCreateFn: async (authz, challenge, keyAuthorization) => {
        if (challenge.type === 'http-01') this.#responder?.add(challenge.token, keyAuthorization);
        else {
          const [alpnKey, alpnCert] = await acme.crypto.createAlpnCertificate(authz, keyAuthorization);
          this.#alpn.set(authz.identifier.value.toLowerCase(), createSecureContext({ key: alpnKey, cert: alpnCert }));
        }
      },
      challengeRemoveFn: async (authz, challenge) => {
        if (challenge.type === 'http-01') this.#responder?.remove(challenge.token);
        else this.#alpn.delete(authz.identifier.value.toLowerCase());
      },
    });
    const pair = checkKeyPair(cert, key.toString(), { cert: `the certificate issued for ${domains.join(', ')}`, key: 'its new key' });
    await this.#cache.writeCertificate(cert, key.toString());
    return pair;
  }
}

/** The cached certificate, if it exists, belongs to its key and covers every configured domain. */
async function cachedCertificate(cache: CertCache, config: AcmeTlsConfig, clientCa: string | undefined, logger: Logger): Promise<Served | undefined> {
  const cached = await cache.readCertificate();
  if (!cached) return undefined;
  try {
    const pair = checkKeyPair(cached.cert, cached.key, { cert: 'the cached certificate', key: 'the cached key' });
    const info = acme.crypto.readCertificateInfo(cached.cert);
    const covered = new Set([info.domains.commonName, ...info.domains.altNames].map((d) => d?.toLowerCase()));
    if (!config.domains.every((d) => covered.has(d.toLowerCase()))) {
      logger.info('the cached certificate does not cover every configured domain; a new one will be issued', { domains: config.domains });
      return undefined;
    }
    return { pair, settings: listenerSettings(pair, config, clientCa), issued: true };
  } catch (error) {
    logger.warn('the cached certificate is unusable; a new one will be issued', { error: (error as Error).message });
    return undefined;
  }
}

/** A self-signed certificate for the first domain, so that the listener can start before the first issuance. */
async function placeholder(config: AcmeTlsConfig, clientCa: string | undefined): Promise<Served> {
  const authz = { identifier: { type: 'dns', value: config.domains[0]! } } as unknown as acme.Authorization;
  const [key, cert] = await acme.crypto.createAlpnCertificate(authz, 'cnmcp placeholder until the first ACME certificate is issued');
  const pair = checkKeyPair(cert.toString(), key.toString(), { cert: 'the placeholder certificate', key: 'its key' });
  return { pair, settings: listenerSettings(pair, config, clientCa), issued: false };
}
