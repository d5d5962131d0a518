// Throwaway certificates for TLS tests, made with the openssl CLI: a CA per test suite, server certificates for
// loopback names, client certificates for mTLS. Everything lives in one temporary directory removed by remove().
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface IssuedCert {
  readonly certPath: string;
  readonly keyPath: string;
}

export interface TestCa {
  readonly dir: string;
  /** The CA certificate (PEM file) a client or server trusts. */
  readonly certPath: string;
  readonly keyPath: string;
  /** A certificate for a server reachable as localhost / 127.0.0.1 / ::1 (plus `dns`). */
  issueServer(name: string, options?: { dns?: readonly string[]; days?: number }): Promise<IssuedCert>;
  /** A client certificate with subject CN `cn` and optional SAN entries (e.g. `URI:spiffe://x/y`, `email:a@b`). */
  issueClient(cn: string, options?: { san?: readonly string[] }): Promise<IssuedCert>;
  remove(): Promise<void>;
}

async function openssl(args: readonly string[], cwd: string): Promise<void> {
  await run('openssl', args, { cwd, timeout: 60_000 }).catch((error: Error & { stderr?: string }) => {
    throw new Error(`openssl ${args[0]} failed: ${error.stderr?.trim() || error.message}`);
  });
}

/**
 * Creates a CA (EC P-256, valid for a day) in a fresh temporary directory.
 *
 * @example
 * const ca = await createTestCa('suite');
 * const server = await ca.issueServer('server');
 * try { ... } finally { await ca.remove(); }
 */
export async function createTestCa(name: string, root?: string): Promise<TestCa> {
  const dir = root ?? (await mkdtemp(join(tmpdir(), 'cnmcp-pki-')));
  const certPath = join(dir, `${name}-ca.pem`);
  const keyPath = join(dir, `${name}-ca.key`);
  await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyPath], dir);
  await openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      keyPath,
      '-sha256',
      '-days',
      '1',
      '-subj',
      `/CN=${name} test CA`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      certPath,
    ],
    dir,
  );
  let serial = 1;
  const issue = async (file: string, subject: string, extensions: string, days = 1): Promise<IssuedCert> => {
    // Prefixed with the CA's name: several CAs may share one directory.
    const base = join(dir, `${name}-${file}`);
    const [key, csr, cert, ext] = ['key', 'csr', 'pem', 'ext'].map((suffix) => `${base}.${suffix}`) as [string, string, string, string];
    await writeFile(ext, extensions);
    await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key], dir);
    await openssl(['req', '-new', '-key', key, '-subj', subject, '-out', csr], dir);
    await openssl(
      [
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        certPath,
        '-CAkey',
        keyPath,
        '-set_serial',
        String(serial++),
        '-days',
        String(days),
        '-sha256',
        '-extfile',
        ext,
        '-out',
        cert,
      ],
      dir,
    );
    return { certPath: cert, keyPath: key };
  };
  return {
    dir,
    certPath,
    keyPath,
    issueServer: (file, options = {}) => {
      const dns = ['localhost', ...(options.dns ?? [])].map((d) => `DNS:${d}`);
      const san = [...dns, 'IP:127.0.0.1', 'IP:::1'].join(',');
      return issue(
        file,
        `/CN=${file}`,
        `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`,
        options.days,
      );
    },
    issueClient: (cn, options = {}) => {
      const san = options.san?.length ? `subjectAltName=${options.san.join(',')}\n` : '';
      return issue(`client-${cn}`, `/CN=${cn}`, `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n${san}`);
    },
    remove: () => (root ? Promise.resolve() : rm(dir, { recursive: true, force: true })),
  };
}

/** A self-signed certificate for localhost / 127.0.0.1, its own CA (EC P-256), written to the two paths given. */
export async function writeSelfSignedCertificate(paths: IssuedCert, cn: string, days = 1): Promise<void> {
  await openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      String(days),
      '-subj',
      `/CN=${cn}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      paths.keyPath,
      '-out',
      paths.certPath,
    ],
    dirname(paths.certPath),
  );
}
