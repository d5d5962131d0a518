import { relative } from 'node:path';
import { Option, type Command } from 'commander';
import { PLUGIN_KIND_TABLE, type PluginKind } from '../plugin/plugin-kinds.js';
import { CnmcpError } from '../plugin/errors.js';
import { CNMCP_VERSION } from '../kernel/version.js';
import { destinationFor, type Destination } from '../scaffold/destination.js';
import { renderTemplate } from '../scaffold/render-template.js';
import { nameProblem, nameVariants } from '../scaffold/scaffold-name.js';
import { PLUGIN_TEMPLATE_KINDS, templateDirs } from '../scaffold/template-catalog.js';
import { EXIT } from './exit-codes.js';

interface CreateFlags {
  dir?: string;
}

function nextSteps(kind: PluginKind, name: string, where: Destination, cwd: string): string {
  const shown = relative(cwd, where.dir) || '.';
  const path = shown.startsWith('.') || shown.startsWith('/') ? shown : `./${shown}`;
  // Where the kind is selected in a config file, from the one declaration of the kinds.
  const { section, multiple } = PLUGIN_KIND_TABLE[kind];
  const entry = multiple ? `${section}:\n    - use: ${name}` : `${section}:\n    use: ${name}`;
  const install = where.workspaceRoot
    ? `  npm install                      # once: links the new workspace package ${where.packageName}\n  npm run build -w ${where.packageName}\n  npm test -w ${where.packageName}`
    : `  cd ${path} && npm install && npm run build && npm test${kind === 'tool-pack' ? '\n  npx cnmcp serve                  # serves cnmcp.config.yaml: the example tool' : ''}`;
  return [
    `created ${kind} "${name}" (${where.packageName}) in ${path}`,
    '',
    'next steps:',
    install,
    '',
    'then select it in cnmcp.config.yaml (paths are relative to the config file):',
    `  plugins: [${path}]`,
    `  ${entry}`,
    '',
    `and check it with: npx cnmcp config validate${kind === 'tool-pack' ? ' && npx cnmcp tools list' : ''}`,
    `(see ${path}/README.md)`,
    '',
  ].join('\n');
}

async function create(kind: PluginKind, name: string, flags: CreateFlags): Promise<number> {
  const problem = nameProblem(name);
  if (problem) {
    process.stderr.write(`cnmcp: invalid NAME: ${problem}\n`);
    return EXIT.invalidConfig;
  }
  const cwd = process.cwd();
  const where = destinationFor(name, { cwd, dir: flags.dir });
  try {
    await renderTemplate(templateDirs(kind), where.dir, { name: nameVariants(name), packageName: where.packageName, coreRange: `^${CNMCP_VERSION}` });
  } catch (error) {
    if (error instanceof CnmcpError && error.code === 'CREATE_DESTINATION_EXISTS') {
      process.stderr.write(`cnmcp: ${error.message}\n`);
      return EXIT.invalidConfig;
    }
    throw error;
  }
  process.stdout.write(nextSteps(kind, name, where, cwd));
  return EXIT.ok;
}

/** `cnmcp create tool-pack NAME` and `cnmcp create plugin --kind KIND NAME`: a new workspace package from templates/. */
export function registerCreateCommands(cli: Command, run: (code: Promise<number>) => void): void {
  const group = cli.command('create').description('scaffold a new tool pack or plugin package from a template (one working example, tests, README)');
  const dirOption = () => new Option('-d, --dir <dir>', 'directory to create (default: plugins/NAME inside a workspace with plugins/*, else ./NAME)');
  group
    .command('tool-pack')
    .description('a tool-pack package with one example tool')
    .argument('<name>', 'kebab-case name, e.g. my-pack (also the `use:` name and the tool prefix my_pack_)')
    .addOption(dirOption())
    .action((name: string, flags: CreateFlags) => run(create('tool-pack', name, flags)));
  group
    .command('plugin')
    .description('a plugin package of one kind with one working example')
    .argument('<name>', 'kebab-case name, e.g. my-auth (also the `use:` name)')
    .addOption(new Option('-k, --kind <kind>', 'plugin kind').choices([...PLUGIN_TEMPLATE_KINDS]).makeOptionMandatory())
    .addOption(dirOption())
    .action((name: string, flags: CreateFlags & { kind: PluginKind }) => run(create(flags.kind, name, flags)));
}
