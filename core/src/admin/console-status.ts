import { X509Certificate } from 'node:crypto';
import type { CnmcpConfig } from '../config/types.js';
import type { StageDescription } from '../pipeline/compile-pipeline.js';
import type { SecretStore } from '../plugin/ports/secret-store.js';
import type { TlsProvider } from '../plugin/ports/tls-provider.js';
import type { ChainKeyring } from '../audit/chain-key.js';
import { readCheckpoints } from '../audit/checkpoint-file.js';
import { ruleFor } from '../secrets/rotation-rules.js';

/** What the status page reads, handed over by the kernel. Nothing here holds or returns a secret value. */
export interface StatusSources {
  readonly server: { readonly name: string; readonly version: string; readonly transport: string; readonly startedAt: Date };
  readonly pipeline: () => readonly StageDescription[];
  /** `kind/name` of every plugin loaded, in config order. */
  readonly plugins: readonly string[];
  readonly ready: () => boolean;
  /** False while a fail-closed audit sink cannot record. */
  readonly auditRecording: () => boolean;
  readonly tls?: TlsProvider;
  readonly secrets?: SecretStore;
  readonly rotation: CnmcpConfig['rotation'];
  readonly sessions: { readonly mode: 'auto' | 'stateless' | 'stateful'; readonly open: () => number };
  readonly checkpoints?: { readonly path: string; readonly keyring: ChainKeyring };
}

export interface CertificateStatus {
  readonly role: 'server' | 'client CA';
  readonly subject: string;
  readonly issuer: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly daysLeft: number;
  readonly fingerprint256: string;
}

/** The status page's data: each part answers on its own, so one failing source shows as an error, not a blank page. */
export async function statusOf(sources: StatusSources, now = Date.now()) {
  return {
    server: { ...sources.server, startedAt: sources.server.startedAt.toISOString(), ready: sources.ready() },
    pipeline: sources.pipeline(),
    plugins: sources.plugins,
    audit: { recording: sources.auditRecording() },
    sessions: { mode: sources.sessions.mode, open: sources.sessions.open() },
    certificates: await attempt(() => certificatesOf(sources.tls, now)),
    secrets: await attempt(() => secretsOf(sources, now)),
    chains: await attempt(() => checkpointsOf(sources.checkpoints)),
  };
}

async function attempt<T>(fn: () => Promise<T>): Promise<T | { readonly error: string }> {
  try {
    return await fn();
  } catch (error) {
    return { error: (error as Error).message };
  }
}

async function certificatesOf(tls: TlsProvider | undefined, now: number): Promise<CertificateStatus[]> {
  if (!tls) return [];
  const settings = await tls.secureContext();
  const pems = (value: unknown): string[] => (Array.isArray(value) ? value.flatMap(pems) : value ? [String(value)] : []);
  const describe = (pem: string, role: CertificateStatus['role']): CertificateStatus => {
    const cert = new X509Certificate(pem);
    return {
      role,
      subject: cert.subject,
      issuer: cert.issuer,
      validFrom: new Date(cert.validFrom).toISOString(),
      validTo: new Date(cert.validTo).toISOString(),
      daysLeft: Math.floor((Date.parse(cert.validTo) - now) / 86_400_000),
      fingerprint256: cert.fingerprint256,
    };
  };
  return [...pems(settings.cert).map((p) => describe(p, 'server')), ...pems(settings.ca).map((p) => describe(p, 'client CA'))];
}

async function secretsOf({ secrets, rotation }: StatusSources, now: number) {
  if (!secrets) return [];
  const listed = await secrets.list();
  // Fields picked one by one: whatever else a store returns (a value, metadata) never reaches the browser.
  return listed.map(({ name, type, version, createdAt, expiresAt }) => {
    const rule = rotation.enabled ? ruleFor(rotation.rules, name, type) : undefined;
    const due = rule ? createdAt.getTime() + rule.everyMs : undefined;
    return {
      name,
      type,
      version,
      createdAt: createdAt.toISOString(),
      ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
      ...(due !== undefined ? { nextRotation: new Date(Math.max(due, now)).toISOString() } : {}),
    };
  });
}

/** The newest signed checkpoint of each chain, as `audit verify` will hold the log against them. */
async function checkpointsOf(checkpoints: StatusSources['checkpoints']) {
  if (!checkpoints) return { configured: false as const, chains: [], forgedLines: 0 };
  const read = await readCheckpoints(checkpoints.path, checkpoints.keyring);
  const chains = [...read.latest.values()].map(({ chain, seq, time, keyId }) => ({ chain, seq, time, keyId })).sort((a, b) => b.time.localeCompare(a.time));
  return { configured: true as const, found: read.found, chains, forgedLines: read.forged.length };
}
