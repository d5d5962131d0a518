import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import { CnmcpAggregateError, CnmcpError, type AuditEmitter, type Logger, type TlsProvider, type TlsSettings } from '@cnmcp/core/plugin';
import { ChangeListeners } from '../shared/change-listeners.js';
import { checkKeyPair, listenerSettings, readPem, type KeyPair } from '../shared/key-pair.js';
import type { FileTlsConfig } from './config-schema.js';

interface Loaded {
  readonly pair: KeyPair;
  readonly settings: TlsSettings;
  /** The raw file contents, to tell a real change from a touch. */
  readonly fingerprint: string;
}

/** Reads and checks the files; every unreadable file is reported at once, at its option's path. */
export async function loadTlsFiles(config: FileTlsConfig): Promise<Loaded> {
  const read = (option: 'cert' | 'key' | 'ca', what: string) =>
    readPem(config[option]!, what).catch((error: CnmcpError) =>
      Promise.reject(new CnmcpError(error.code, error.message, { path: `/${option}`, cause: error })),
    );
  const settled = await Promise.allSettled([
    read('cert', 'certificate (cert)'),
    read('key', 'private key (key)'),
    config.clientAuth && config.ca ? read('ca', 'client CA (ca)') : Promise.resolve(undefined),
  ]);
  const failed = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as CnmcpError] : []));
  if (failed.length === 1) throw failed[0]!;
  if (failed.length > 1) throw new CnmcpAggregateError('TLS_FILE_UNREADABLE', 'TLS files cannot be read:', failed);
  const [cert, key, ca] = settled.map((r) => (r as PromiseFulfilledResult<string | undefined>).value) as [string, string, string | undefined];
  const pair = checkKeyPair(cert, key, { cert: config.cert, key: config.key });
  return { pair, settings: listenerSettings(pair, config, ca), fingerprint: `${cert}\0${key}\0${ca ?? ''}` };
}

/**
 * Serves certificate files and reloads them when they change. The directories are watched (not the files) so that
 * atomic replacements by rename (certbot, cert-manager's `..data` symlink swap) are seen. A half-written update (a
 * new cert with the old key) is rejected and the previous pair kept until the files agree again.
 */
export class FileTlsProvider implements TlsProvider {
  readonly #config: FileTlsConfig;
  readonly #logger: Logger;
  readonly #audit: AuditEmitter;
  readonly #listeners = new ChangeListeners();
  readonly #watchers: FSWatcher[] = [];
  #current: Loaded;
  #timer?: NodeJS.Timeout;
  #reloading: Promise<void> = Promise.resolve();
  /** The last reload error, so a burst of events for one bad state logs and audits it once. */
  #failedWith?: string;

  private constructor(config: FileTlsConfig, loaded: Loaded, logger: Logger, audit: AuditEmitter) {
    this.#config = config;
    this.#current = loaded;
    this.#logger = logger;
    this.#audit = audit;
  }

  /** Loads and checks the files (throwing a CnmcpError naming the bad one) and starts watching them. */
  static async open(config: FileTlsConfig, logger: Logger, audit: AuditEmitter): Promise<FileTlsProvider> {
    const loaded = await loadTlsFiles(config);
    if (loaded.pair.notAfter.getTime() <= Date.now()) {
      logger.warn('the TLS certificate has expired; clients will refuse it', { cert: config.cert, notAfter: loaded.pair.notAfter.toISOString() });
    }
    const provider = new FileTlsProvider(config, loaded, logger, audit);
    provider.#watch();
    return provider;
  }

  async secureContext(): Promise<TlsSettings> {
    return this.#current.settings;
  }

  onChange(listener: () => void): () => void {
    return this.#listeners.add(listener);
  }

  /** Re-reads the files now (also what a watched change ends in). Resolves when the reload attempt is over. */
  reload(): Promise<void> {
    this.#reloading = this.#reloading.then(() => this.#reloadOnce());
    return this.#reloading;
  }

  async close(): Promise<void> {
    clearTimeout(this.#timer);
    for (const watcher of this.#watchers.splice(0)) watcher.close();
    await this.#reloading;
  }

  #watch(): void {
    const files = [this.#config.cert, this.#config.key, ...(this.#config.clientAuth && this.#config.ca ? [this.#config.ca] : [])];
    for (const dir of new Set(files.map((f) => dirname(f)))) {
      const watcher = watch(dir, { persistent: false }, () => this.#schedule());
      watcher.on('error', (error) => this.#logger.warn('cannot watch the TLS files any more; changes need a restart', { dir, error: error.message }));
      this.#watchers.push(watcher);
    }
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.reload(), this.#config.reloadDebounceMs);
    this.#timer.unref();
  }

  async #reloadOnce(): Promise<void> {
    let next: Loaded;
    try {
      next = await loadTlsFiles(this.#config);
    } catch (error) {
      // Often a transient state (cert written, key not yet): keep serving the old pair and wait for the next change.
      const message = (error as Error).message;
      if (this.#failedWith === message) return;
      this.#failedWith = message;
      this.#logger.warn('TLS files changed but cannot be loaded; still serving the previous certificate', { error: message });
      this.#audit.emit({ type: 'tls.reload_failed', outcome: 'failure', error: { code: (error as { code?: string }).code ?? 'TLS_RELOAD_FAILED', message } });
      return;
    }
    this.#failedWith = undefined;
    if (next.fingerprint === this.#current.fingerprint) return;
    const previous = this.#current.pair;
    this.#current = next;
    this.#logger.info('TLS certificate reloaded', { subject: next.pair.subject, notAfter: next.pair.notAfter.toISOString() });
    this.#audit.emit({
      type: 'tls.reloaded',
      outcome: 'success',
      details: {
        provider: 'file',
        cert: this.#config.cert,
        fingerprint256: next.pair.fingerprint256,
        previousFingerprint256: previous.fingerprint256,
        notAfter: next.pair.notAfter.toISOString(),
      },
    });
    this.#listeners.notify();
  }
}
