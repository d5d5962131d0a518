// Let's Encrypt's Pebble ACME test server (Debian package `pebble`) on loopback, with pebble-challtestsrv as its
// DNS (every name resolves to 127.0.0.1). Pebble validates HTTP-01 on `httpPort` and TLS-ALPN-01 on `tlsPort`
// of 127.0.0.1, so the server under test listens there. Stopped (and its files removed) by stop().
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createTestCa } from './test-pki.js';
import { tlsFetch } from './tls-fetch.js';

export interface TestPebble {
  /** The ACME directory, e.g. https://127.0.0.1:40001/dir. */
  readonly directoryUrl: string;
  /** PEM file of the CA of Pebble's own HTTPS listener: the ACME client's `directoryCa`. */
  readonly listenerCaPath: string;
  /** Pebble's current issuing root (PEM), from its management interface: what a client verifies served certificates against. */
  root(): Promise<string>;
  stop(): Promise<void>;
}

const INSTALL_HINT = 'Pebble is missing: install it (Debian/Ubuntu: `apt-get install pebble`) or run `bash scripts/ensure-test-services.sh` as root';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Spawns a process and resolves once a line of its output matches `ready`. */
function startProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} not ready in 30 s:\n${output.slice(-2000)}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code}:\n${output.slice(-2000)}`));
    });
  });
}

/**
 * Starts challtestsrv and Pebble on free loopback ports.
 *
 * @example
 * const pebble = await startPebble({ httpPort: 5002, tlsPort: 5001 });
 * try { ... } finally { await pebble.stop(); }
 */
export async function startPebble(options: { httpPort: number; tlsPort: number }): Promise<TestPebble> {
  if (!existsSync('/usr/bin/pebble') || !existsSync('/usr/bin/pebble-challtestsrv')) throw new Error(INSTALL_HINT);
  const ca = await createTestCa('pebble-listener');
  const children: ChildProcess[] = [];
  const stopSync = () => children.forEach((c) => c.kill('SIGKILL'));
  process.once('exit', stopSync);
  const stop = async () => {
    process.off('exit', stopSync);
    for (const child of children) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await ca.remove();
  };
  try {
    const listener = await ca.issueServer('pebble');
    const [dnsPort, dnsManagementPort, acmePort, managementPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    children.push(
      await startProcess(
        '/usr/bin/pebble-challtestsrv',
        [
          '-defaultIPv4',
          '127.0.0.1',
          '-defaultIPv6',
          '',
          '-dns01',
          `127.0.0.1:${dnsPort}`,
          '-http01',
          '',
          '-https01',
          '',
          '-tlsalpn01',
          '',
          '-management',
          `127.0.0.1:${dnsManagementPort}`,
        ],
        {},
        /Starting management server/,
      ),
    );
    const config = join(ca.dir, 'pebble-config.json');
    await writeFile(
      config,
      JSON.stringify({
        pebble: {
          listenAddress: `127.0.0.1:${acmePort}`,
          managementListenAddress: `127.0.0.1:${managementPort}`,
          certificate: listener.certPath,
          privateKey: listener.keyPath,
          httpPort: options.httpPort,
          tlsPort: options.tlsPort,
          ocspResponderURL: '',
          externalAccountBindingRequired: false,
        },
      }),
    );
    // No artificial validation delay, no random nonce rejection, fresh authorizations for every order (so a
    // renewal really solves a challenge again).
    const env = { PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_AUTHZREUSE: '0' };
    children.push(await startProcess('/usr/bin/pebble', ['-config', config, '-dnsserver', `127.0.0.1:${dnsPort}`], env, /ACME directory available at/));
    const management = tlsFetch({ ca: ca.certPath });
    return {
      directoryUrl: `https://127.0.0.1:${acmePort}/dir`,
      listenerCaPath: ca.certPath,
      root: async () => {
        const res = await management.fetch(`https://127.0.0.1:${managementPort}/roots/0`);
        if (!res.ok) throw new Error(`pebble /roots/0 answered ${res.status}`);
        return res.text();
      },
      stop: async () => {
        await management.close();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
