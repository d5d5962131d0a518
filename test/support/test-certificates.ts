// A throwaway certificate authority for TLS tests, made with the openssl command line: a CA, a server certificate
// for 127.0.0.1 and a client certificate it signed. Files in a temporary directory, PEM texts returned.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificates {
  readonly dir: string;
  /** Paths of the PEM files, for servers configured by file. */
  readonly files: { readonly ca: string; readonly serverCert: string; readonly serverKey: string; readonly clientCert: string; readonly clientKey: string };
  /** PEM texts, for clients configured inline. */
  readonly pem: { readonly ca: string; readonly clientCert: string; readonly clientKey: string };
  remove(): Promise<void>;
}

/** Makes a CA, a server certificate (SAN IP:127.0.0.1 and DNS:`serverName`) and a client certificate, valid for a day. */
export async function makeTestCertificates(serverName = 'backend.test'): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'cnmcp-certs-'));
  const f = (name: string) => join(dir, name);
  const openssl = (args: string[]) =>
    run('openssl', args, { cwd: dir, timeout: 60_000 }).catch((error: Error & { stderr?: string; code?: string }) => {
      throw new Error(
        error.code === 'ENOENT'
          ? 'openssl is not installed (Debian/Ubuntu: apt-get install openssl)'
          : `openssl ${args[0]} failed: ${error.stderr ?? error.message}`,
      );
    });
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    await openssl(['req', '-x509', ...key, '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '1', '-subj', '/CN=cnmcp test CA']);
    await writeFile(f('server.ext'), `subjectAltName=IP:127.0.0.1,DNS:${serverName}\nextendedKeyUsage=serverAuth\n`);
    await writeFile(f('client.ext'), 'extendedKeyUsage=clientAuth\n');
    for (const [name, subject] of [
      ['server', `/CN=${serverName}`],
      ['client', '/CN=cnmcp-client'],
    ] as const) {
      await openssl(['req', ...key, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', subject]);
      await openssl([
        'x509',
        '-req',
        '-in',
        f(`${name}.csr`),
        '-CA',
        f('ca.crt'),
        '-CAkey',
        f('ca.key'),
        '-CAcreateserial',
        '-out',
        f(`${name}.crt`),
        '-days',
        '1',
        '-extfile',
        f(`${name}.ext`),
      ]);
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const files = { ca: f('ca.crt'), serverCert: f('server.crt'), serverKey: f('server.key'), clientCert: f('client.crt'), clientKey: f('client.key') };
  return {
    dir,
    files,
    pem: { ca: await readFile(files.ca, 'utf8'), clientCert: await readFile(files.clientCert, 'utf8'), clientKey: await readFile(files.clientKey, 'utf8') },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
