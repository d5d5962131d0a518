import type { Command } from 'commander';
import { Option } from 'commander';
import { findConfig } from '../config/find-config.js';
import { Kernel } from '../kernel/kernel.js';
import { apiKeyProblems } from '../plugin/api-key-rule.js';
import { CnmcpError } from '../plugin/errors.js';
import { SECRET_TYPES, type SecretRecord, type SecretStore, type SecretType } from '../plugin/ports/secret-store.js';
import { Secret } from '../plugin/secret.js';
import { newSecretValue, type GenerateSettings } from '../secrets/new-secret-value.js';
import { parseDuration } from '../secrets/parse-duration.js';
import { rotateSecret, DEFAULT_ROTATION_POLICY } from '../secrets/rotate-secret.js';
import { ruleFor } from '../secrets/rotation-rules.js';
import { EXIT } from './exit-codes.js';
import { readPassword } from './read-password.js';

interface Flags {
  config?: string;
}

/** Opens only the secret store and the audit sinks of the config, runs `fn`, and closes them (flushing audit). */
async function withStore(flags: Flags, fn: (store: SecretStore, kernel: Kernel) => Promise<number>): Promise<number> {
  const kernel = await Kernel.load({ found: await findConfig({ file: flags.config }) });
  await kernel.setup(['secret-store', 'audit-sink']);
  try {
    const store = kernel.secretStore;
    if (!store) throw new CnmcpError('SECRET_STORE_MISSING', 'no secret store is configured: add a `secrets:` section (use: file, env or memory)');
    if (kernel.config.config.secrets?.use === 'memory')
      process.stderr.write('cnmcp: note: the memory store keeps nothing after this command exits; use the file store to share secrets with a server\n');
    return await fn(store, kernel);
  } finally {
    await kernel.stop();
  }
}

/** The rule's problems as a CLI error: exit 2, the key never shown. */
function assertStrongApiKey(value: string): void {
  const problems = apiKeyProblems(value);
  if (problems.length > 0) throw new CnmcpError('SECRET_WEAK_API_KEY', `refused: the API key breaks the complexity rule: it ${problems.join('; it ')}`);
}

const describe = (r: Omit<SecretRecord, 'value'>) =>
  `${r.name}  ${r.type}  v${r.version}  created ${r.createdAt.toISOString()}  ${r.expiresAt ? `expires ${r.expiresAt.toISOString()}` : 'no expiry'}`;

interface GenerateFlags extends Flags {
  type: SecretType;
  length?: string;
  subject?: string;
  ttl?: string;
  signingSecret?: string;
  roles?: string;
  issuer?: string;
  audience?: string;
}

async function generate(name: string, flags: GenerateFlags): Promise<number> {
  return withStore(flags, async (store, kernel) => {
    const settings: GenerateSettings = {
      ...(flags.length ? { length: Number(flags.length) } : {}),
      ...(flags.subject ? { subject: flags.subject } : {}),
      ...(flags.ttl ? { ttlSeconds: Math.floor(parseDuration(flags.ttl) / 1000) } : {}),
      ...(flags.signingSecret ? { signingSecret: flags.signingSecret } : {}),
      ...(flags.roles ? { roles: flags.roles.split(',').filter(Boolean) } : {}),
      ...(flags.issuer ? { issuer: flags.issuer } : {}),
      ...(flags.audience ? { audience: flags.audience } : {}),
    };
    const next = await newSecretValue(store, flags.type, settings);
    if (flags.type === 'apikey') assertStrongApiKey(next.value.reveal());
    const record = await store.put(name, next.value, { type: flags.type, metadata: next.metadata, ...(next.expiresAt ? { expiresAt: next.expiresAt } : {}) });
    await kernel.audit.hub.record({
      type: 'secret.stored',
      outcome: 'success',
      details: { name, type: record.type, version: record.version, trigger: 'cli', generated: true },
    });
    process.stdout.write(`# ${describe(record)}\n# the value below is shown this once; store it now\n${record.value.reveal()}\n`);
    return EXIT.ok;
  });
}

async function set(name: string, flags: Flags & { type: SecretType; expires?: string }): Promise<number> {
  const value = await readPassword('Value: ');
  if (value.length === 0) throw new CnmcpError('SECRET_VALUE_EMPTY', 'no value on stdin: pipe it in (`printf %s "$VALUE" | cnmcp secrets set NAME`)');
  if (flags.type === 'apikey') assertStrongApiKey(value);
  return withStore(flags, async (store, kernel) => {
    const expiresAt = flags.expires ? new Date(Date.now() + parseDuration(flags.expires)) : undefined;
    const record = await store.put(name, new Secret(value), { type: flags.type, ...(expiresAt ? { expiresAt } : {}) });
    await kernel.audit.hub.record({ type: 'secret.stored', outcome: 'success', details: { name, type: record.type, version: record.version, trigger: 'cli' } });
    process.stdout.write(`stored ${describe(record)}\n`);
    return EXIT.ok;
  });
}

async function get(name: string, flags: Flags & { reveal?: boolean }): Promise<number> {
  return withStore(flags, async (store) => {
    const record = await store.get(name);
    process.stdout.write(`${describe(record)}\n${flags.reveal ? record.value.reveal() : String(record.value)}\n`);
    return EXIT.ok;
  });
}

async function list(flags: Flags & { type?: SecretType }): Promise<number> {
  return withStore(flags, async (store) => {
    const records = await store.list(flags.type ? { type: flags.type } : {});
    for (const r of records) process.stdout.write(`${describe(r)}\n`);
    process.stdout.write(`${records.length} secret${records.length === 1 ? '' : 's'}\n`);
    return EXIT.ok;
  });
}

async function rotate(name: string, flags: Flags & { grace?: string; keep?: string }): Promise<number> {
  return withStore(flags, async (store, kernel) => {
    const current = await store.get(name);
    const rule = ruleFor(kernel.config.config.rotation.rules, name, current.type);
    const policy = {
      graceMs: flags.grace !== undefined ? parseDuration(flags.grace) : (rule?.graceMs ?? DEFAULT_ROTATION_POLICY.graceMs),
      keepVersions: flags.keep !== undefined ? Number(flags.keep) : (rule?.keepVersions ?? DEFAULT_ROTATION_POLICY.keepVersions),
    };
    const rotated = await rotateSecret(store, name, policy);
    const { record, previousVersion, graceUntil } = rotated;
    await kernel.audit.hub.record({
      type: 'secret.rotated',
      outcome: 'success',
      details: { name, type: record.type, version: record.version, previousVersion, graceUntil: graceUntil.toISOString(), trigger: 'cli' },
    });
    process.stdout.write(
      `# rotated ${describe(record)}; v${previousVersion} stays valid until ${graceUntil.toISOString()}\n# the new value below is shown this once\n${record.value.reveal()}\n`,
    );
    return EXIT.ok;
  });
}

async function remove(name: string, flags: Flags): Promise<number> {
  return withStore(flags, async (store, kernel) => {
    await store.delete(name);
    await kernel.audit.hub.record({ type: 'secret.deleted', outcome: 'success', details: { name, trigger: 'cli' } });
    process.stdout.write(`deleted ${name}\n`);
    return EXIT.ok;
  });
}

/** Refused input (a weak key, an empty value, a bad duration) exits 2 like any other invalid command line. */
function exitCodeOf(run: (code: Promise<number>) => void) {
  return (work: Promise<number>) =>
    run(
      work.catch((error: unknown) => {
        const code = (error as CnmcpError).code;
        if (
          code === 'SECRET_WEAK_API_KEY' ||
          code === 'SECRET_VALUE_EMPTY' ||
          code === 'SECRET_NAME_INVALID' ||
          /^not a duration/.test((error as Error).message)
        ) {
          process.stderr.write(`cnmcp: ${(error as Error).message}${code ? ` [${code}]` : ''}\n`);
          return EXIT.invalidConfig;
        }
        throw error;
      }),
    );
}

/** `cnmcp secrets ...`: manage the store selected under `secrets:` in the config. */
export function addSecretsCommands(cli: Command, configOption: () => Option, run: (code: Promise<number>) => void): void {
  const go = exitCodeOf(run);
  const typeOption = (fallback: SecretType) => new Option('--type <type>', 'apikey, bearer, basic or generic').choices([...SECRET_TYPES]).default(fallback);
  const secrets = cli.command('secrets').description('generate, store, show, list, rotate and delete secrets in the configured store');
  secrets
    .command('generate <name>')
    .description('generate a secret, store it and print its value once, alone on the last line of stdout')
    .addOption(configOption())
    .addOption(new Option('--type <type>', 'apikey, bearer or generic').choices(['apikey', 'bearer', 'generic']).makeOptionMandatory())
    .option('--length <n>', 'apikey: characters (default 32); generic: random bytes (default 32)')
    .option('--subject <sub>', 'bearer: the `sub` claim')
    .option('--ttl <duration>', 'bearer: lifetime, e.g. 1h or 30d (default 1d)')
    .option('--signing-secret <name>', 'bearer: HS256 key in the store, created when missing (default jwt-signing-key)')
    .option('--roles <a,b>', 'bearer: roles claim')
    .option('--issuer <iss>', 'bearer: `iss` claim')
    .option('--audience <aud>', 'bearer: `aud` claim')
    .action((name: string, f: GenerateFlags) => go(generate(name, f)));
  secrets
    .command('set <name>')
    .description('store a value read from stdin (never from argv); API keys must meet the complexity rule')
    .addOption(configOption())
    .addOption(typeOption('generic'))
    .option('--expires <duration>', 'expire after this long, e.g. 30d')
    .action((name: string, f: Flags & { type: SecretType; expires?: string }) => go(set(name, f)));
  secrets
    .command('get <name>')
    .description('show a secret, its value masked unless --reveal')
    .addOption(configOption())
    .option('--reveal', 'print the value, alone on the last line')
    .action((name: string, f: Flags & { reveal?: boolean }) => go(get(name, f)));
  secrets
    .command('list')
    .description('secrets that have not expired, without values')
    .addOption(configOption())
    .addOption(new Option('--type <type>').choices([...SECRET_TYPES]))
    .action((f: Flags & { type?: SecretType }) => go(list(f)));
  secrets
    .command('rotate <name>')
    .description('replace a secret with a new generated value; the old one stays valid for the grace period')
    .addOption(configOption())
    .option('--grace <duration>', 'how long the old value stays valid (default: its rotation rule, else 1h)')
    .option('--keep <n>', 'versions to keep (default: its rotation rule, else 2)')
    .action((name: string, f: Flags & { grace?: string; keep?: string }) => go(rotate(name, f)));
  secrets
    .command('delete <name>')
    .description('delete every version of a secret')
    .addOption(configOption())
    .action((name: string, f: Flags) => go(remove(name, f)));
}
