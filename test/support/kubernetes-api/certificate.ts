import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSelfSignedCertificate } from '../test-pki.js';

/** A self-signed certificate for 127.0.0.1, made by the system's openssl; it is its own CA. */
export async function selfSignedCertificate(): Promise<{ cert: string; key: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'cnmcp-k8s-cert-'));
  try {
    const paths = { certPath: join(dir, 'cert.pem'), keyPath: join(dir, 'key.pem') };
    await writeSelfSignedCertificate(paths, 'kube-apiserver', 2);
    return { cert: await readFile(paths.certPath, 'utf8'), key: await readFile(paths.keyPath, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
