import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The account key and the certificate of one domain set, kept in a directory only the server's user can read. */
export class CertCache {
  readonly #dir: string;
  readonly #name: string;

  private constructor(dir: string, name: string) {
    this.#dir = dir;
    this.#name = name;
  }

  /** `name` identifies the certificate (its first domain); the directory is created 0700. */
  static async open(dir: string, name: string): Promise<CertCache> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    return new CertCache(dir, name);
  }

  readAccountKey(): Promise<string | undefined> {
    return this.#read('account.key');
  }

  writeAccountKey(pem: string): Promise<void> {
    return this.#write('account.key', pem);
  }

  async readCertificate(): Promise<{ cert: string; key: string } | undefined> {
    const [cert, key] = await Promise.all([this.#read(`${this.#name}.crt`), this.#read(`${this.#name}.key`)]);
    return cert && key ? { cert, key } : undefined;
  }

  /** Key first, then certificate: a crash in between leaves a key without its new certificate, which is re-issued. */
  async writeCertificate(cert: string, key: string): Promise<void> {
    await this.#write(`${this.#name}.key`, key);
    await this.#write(`${this.#name}.crt`, cert);
  }

  async #read(file: string): Promise<string | undefined> {
    try {
      return await readFile(join(this.#dir, file), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Written aside and renamed over, 0600, so a reader never sees half a file. */
  async #write(file: string, text: string): Promise<void> {
    const target = join(this.#dir, file);
    const temporary = `${target}.${process.pid}.tmp`;
    await writeFile(temporary, text, { mode: 0o600 });
    await rename(temporary, target);
  }
}
