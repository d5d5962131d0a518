import { Command, Option } from 'commander';
import { findConfig, type FoundConfig } from '../config/find-config.js';
import { editorSchema } from '../kernel/load-config.js';
import { Kernel } from '../kernel/kernel.js';
import { CNMCP_VERSION } from '../kernel/version.js';
import { cacheDir } from './cache-dir.js';
import { connectHelp } from './connect-help.js';
import { EXIT } from './exit-codes.js';
import { reportError } from './report-error.js';
import { readPassword } from './read-password.js';
import type { QueryFlags, VerifyFlags } from './audit-commands.js';
import { registerCreateCommands } from './create-commands.js';
import { hashPassword } from '../plugin/password-hash.js';
import { addSecretsCommands } from './secrets-commands.js';
import { healthCommand, DEFAULT_HEALTH_URL, type HealthFlags } from './health-command.js';

interface ConfigFlags {
  config?: string;
}

interface ServeFlags extends ConfigFlags {
  transport?: 'http' | 'stdio';
  listen?: string;
}

const configOption = () =>
  new Option('-c, --config <file>', 'config file (default: search for cnmcp.config.*, .cnmcprc*, package.json#cnmcp; env CNMCP_CONFIG)');

async function found(flags: ServeFlags): Promise<FoundConfig> {
  const result = await findConfig({ file: flags.config });
  if (!flags.transport && !flags.listen) return result;
  const config = structuredClone(result.config);
  config.server = {
    ...(config.server as Record<string, unknown> | undefined),
    ...(flags.transport ? { transport: flags.transport } : {}),
    ...(flags.listen ? { listen: flags.listen } : {}),
  };
  return { ...result, config };
}

async function serve(flags: ServeFlags): Promise<number> {
  const kernel = await Kernel.load({ found: await found(flags), cacheDir: cacheDir() });
  let signals = 0;
  let finish: (code: number) => void = () => {};
  const stopped = new Promise<number>((resolve) => (finish = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    if (++signals > 1) {
      process.stderr.write(`cnmcp: second ${signal}, exiting without draining\n`);
      process.exit(EXIT.failure);
    }
    kernel.logger.info('shutting down', { signal });
    // Once stdin has ended nothing else may keep the event loop alive; the stop must still run to its end.
    const keepAlive = setInterval(() => {}, 1000);
    kernel
      .stop()
      .then(
        () => finish(EXIT.ok),
        (error) => finish(reportError(error)),
      )
      .finally(() => clearInterval(keepAlive));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  await kernel.start();
  if (kernel.url) process.stdout.write(connectHelp(kernel.url, (kernel.config.config.auth ?? []).length > 0));
  // A stdio client that closes stdin is done with us: stop gracefully (flush audit, run onStop hooks).
  if (kernel.config.config.server.transport === 'stdio') process.stdin.once('end', () => onSignal('SIGTERM'));
  return stopped;
}

async function validate(flags: ConfigFlags & { connect?: boolean }): Promise<number> {
  const kernel = await Kernel.load({ found: await findConfig({ file: flags.config }), cacheDir: cacheDir() });
  const where = kernel.config.filepath ?? 'embedded default config';
  const [{ checkSetup }, { printValidation }] = await Promise.all([import('../kernel/check-setup.js'), import('./print-validation.js')]);
  const report = await checkSetup(kernel.config, kernel.logger, { connect: flags.connect === true });
  return printValidation(where, report, flags.connect === true);
}

async function print(flags: ConfigFlags & { json?: boolean }): Promise<number> {
  const kernel = await Kernel.load({ found: await findConfig({ file: flags.config }), cacheDir: cacheDir() });
  const { config, referencePaths, secretFieldPaths, resolvedValues, filepath } = kernel.config;
  const { maskConfig } = await import('./mask-config.js');
  const effective = maskConfig(config as unknown as Record<string, unknown>, [...referencePaths, ...secretFieldPaths], resolvedValues);
  const pipeline = kernel.pipeline();
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ source: filepath ?? 'embedded default', config: effective, pipeline }, null, 2)}\n`);
    return EXIT.ok;
  }
  const width = Math.max(...pipeline.map((s) => s.stage.length));
  process.stdout.write(`# effective configuration from ${filepath ?? 'the embedded default'} (secrets shown as ***)\n`);
  const { stringify: toYaml } = await import('yaml');
  process.stdout.write(toYaml(effective));
  process.stdout.write('\n# request pipeline, in order (request stages once per HTTP request, message stages per JSON-RPC message)\n');
  for (const s of pipeline)
    process.stdout.write(`#   ${s.stage.padEnd(width)}  ${s.phase.padEnd(7)}  ${s.status === 'on' ? 'on     ' : 'skipped'}  ${s.detail}\n`);
  return EXIT.ok;
}

async function schema(flags: ConfigFlags): Promise<number> {
  process.stdout.write(`${JSON.stringify(await editorSchema(await findConfig({ file: flags.config })), null, 2)}\n`);
  return EXIT.ok;
}

async function listTools(flags: ConfigFlags & { json?: boolean }): Promise<number> {
  const kernel = await Kernel.load({ found: await findConfig({ file: flags.config }), cacheDir: cacheDir() });
  await kernel.setup();
  try {
    const tools = kernel.tools();
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify(
          tools.map(({ handler: _h, ...t }) => t),
          null,
          2,
        )}\n`,
      );
    } else {
      const width = Math.max(4, ...tools.map((t) => t.name.length));
      for (const t of tools) {
        const hints = [t.annotations?.readOnlyHint ? 'read-only' : '', t.annotations?.destructiveHint ? 'destructive' : ''].filter(Boolean).join(',');
        process.stdout.write(`${t.name.padEnd(width)}  ${(hints || '-').padEnd(20)}  ${t.title ?? t.description.split('\n')[0]}\n`);
      }
    }
  } finally {
    await kernel.stop();
  }
  return EXIT.ok;
}

async function hashPasswordCommand(): Promise<number> {
  const password = await readPassword('Password: ');
  if (password.length === 0) {
    process.stderr.write('cnmcp: the password must not be empty\n');
    return EXIT.invalidConfig;
  }
  process.stdout.write(`${await hashPassword(password)}\n`);
  return EXIT.ok;
}

// `serve` is what start-up time is about: the other commands' modules (yaml, audit verification, ...) load when run.
async function auditCommand(
  flags: ConfigFlags,
  command: (found: FoundConfig, commands: typeof import('./audit-commands.js')) => Promise<number>,
): Promise<number> {
  const [found, commands] = await Promise.all([findConfig({ file: flags.config }), import('./audit-commands.js')]);
  return command(found, commands);
}

function program(run: (code: Promise<number>) => void): Command {
  const cli = new Command('cnmcp')
    .description('cnmcp: a secure, plugin-based MCP server for cloud-native operations')
    .version(CNMCP_VERSION, '-V, --version')
    .showHelpAfterError()
    .exitOverride((error) => process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.invalidConfig))
    .addHelpText('after', '\nExit codes: 0 success, 1 runtime failure, 2 invalid configuration or command line, 3 audit verification failed.');

  cli
    .command('serve')
    .description('start the MCP server (with no config file: 127.0.0.1:8080 and the utilities pack)')
    .addOption(configOption())
    .addOption(new Option('-t, --transport <transport>', 'override server.transport').choices(['http', 'stdio']))
    .option('-l, --listen <host:port>', 'override server.listen')
    .action((flags: ServeFlags) => run(serve(flags)));

  const config = cli.command('config').description('check, show and describe configuration');
  config
    .command('validate')
    .description("validate the config and run every plugin's setup checks without listening or connecting; exit 2 listing each problem")
    .addOption(configOption())
    .option('--connect', 'also set up each plugin as serve would, reaching its backend (Redis, PostgreSQL, ...); exit 1 when one is unreachable')
    .action((f: ConfigFlags & { connect?: boolean }) => run(validate(f)));
  config
    .command('migrate')
    .description("print the cnmcp config equivalent to the original Cloud Native MCP Server's config.yaml, with a note per setting it cannot carry")
    .argument('<file>', "the original server's YAML config")
    .action((file: string) => run(import('./migrate-command.js').then(({ migrateCommand }) => migrateCommand(file))));
  config
    .command('print')
    .description('print the effective config (defaults filled, secrets as ***) and the request pipeline')
    .addOption(configOption())
    .option('--json', 'print JSON instead of YAML')
    .action((f: ConfigFlags & { json?: boolean }) => run(print(f)));
  config
    .command('schema')
    .description('print the composed JSON Schema of the config, for editors')
    .addOption(configOption())
    .action((f: ConfigFlags) => run(schema(f)));

  const tools = cli.command('tools').description('inspect the tools the configured packs serve');
  tools
    .command('list')
    .description('list tools with their read-only/destructive hints')
    .addOption(configOption())
    .option('--json', 'print full tool definitions as JSON')
    .action((f: ConfigFlags & { json?: boolean }) => run(listTools(f)));

  const audit = cli.command('audit').description('query, verify and erase the audit log of the configured sinks');
  audit
    .command('query')
    .description('events matching every given filter, oldest first')
    .addOption(configOption())
    .option('--since <time>', 'e.g. 1h, 30m, 7d or an ISO date')
    .option('--until <time>', 'e.g. 10m or an ISO date')
    .option('--type <type>', 'e.g. auth.failure')
    .option('--actor <id>', 'identity id')
    .option('--tool <pattern>', "tool name or pattern, e.g. 'kubernetes_*'")
    .addOption(new Option('--outcome <outcome>').choices(['success', 'failure', 'denied', 'error']))
    .option('--after <id>', 'cursor: events after this id')
    .option('--limit <n>', 'most events to print', '100')
    .addOption(new Option('--format <format>').choices(['table', 'json']).default('table'))
    .action((f: ConfigFlags & QueryFlags) => run(auditCommand(f, (found, { auditQuery }) => auditQuery(found, f))));
  audit
    .command('verify')
    .description('check every hash chain and the checkpoints; exit 3 naming each edited, deleted, reordered or missing event, chain or tail')
    .addOption(configOption())
    .option('--checkpoints <file>', 'checkpoint file to hold the log against (default: auditing.checkpoints.path)')
    .option('--allow-unkeyed', 'accept chains sealed without a key (written before auditing.chainKey was set) and list them')
    .action((f: ConfigFlags & VerifyFlags) => run(auditCommand(f, (found, { auditVerify }) => auditVerify(found, f))));
  audit
    .command('erase')
    .description('pseudonymize an actor in every sink (GDPR) and record the erasure so verify still passes')
    .addOption(configOption())
    .requiredOption('--actor <id>', 'identity id to erase')
    .action((f: ConfigFlags & { actor: string }) => run(auditCommand(f, (found, { auditErase }) => auditErase(found, f.actor))));

  const auth = cli.command('auth').description('authentication helpers');
  auth
    .command('hash-password')
    .description('hash a password for basic auth (scrypt); reads it from stdin or a silent prompt, never from argv')
    .action(() => run(hashPasswordCommand()));

  cli
    .command('health')
    .description('probe a running server: exit 0 when its /healthz answers 200, 1 otherwise (for HEALTHCHECK, needs no shell)')
    .option('--url <url>', `liveness URL (default: env CNMCP_HEALTH_URL or ${DEFAULT_HEALTH_URL})`)
    .option('--timeout <ms>', 'give up after this many milliseconds', '5000')
    .option('--ca <file>', 'PEM CA certificate(s) to trust for an https URL (default: env CNMCP_HEALTH_CA)')
    .action((f: HealthFlags) => run(healthCommand(f)));

  registerCreateCommands(cli, run);
  addSecretsCommands(cli, configOption, run);

  cli
    .command('version')
    .description('print the cnmcp version')
    .action(() => {
      process.stdout.write(`${CNMCP_VERSION}\n`);
      run(Promise.resolve(EXIT.ok));
    });
  return cli;
}

const cli = program((code) => {
  code.then(
    (exit) => {
      process.exitCode = exit;
      // serve resolves only after a clean stop; nothing else keeps the loop alive on purpose.
      if (exit !== EXIT.ok) process.exit(exit);
    },
    (error: unknown) => process.exit(reportError(error)),
  );
});
await cli.parseAsync(process.argv);
