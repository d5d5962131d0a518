import { readFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { migrateOriginal } from '../config/migrate-original.js';
import { CnmcpError } from '../plugin/errors.js';
import { EXIT } from './exit-codes.js';

/** `cnmcp config migrate FILE`: the cnmcp config on stdout, its notes as comments above it and counted on stderr. */
export async function migrateCommand(file: string): Promise<number> {
  let original: unknown;
  try {
    original = parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CnmcpError('CONFIG_UNREADABLE', `cannot read ${file} as YAML: ${(error as Error).message}`);
  }
  if (!original || typeof original !== 'object' || Array.isArray(original)) {
    throw new CnmcpError('CONFIG_UNREADABLE', `${file} is not a YAML mapping like the original server's config.yaml`);
  }
  const { config, notes } = migrateOriginal(original as Record<string, unknown>);
  const header = [
    `# cnmcp config migrated from ${file} by \`cnmcp config migrate\`; check it with \`cnmcp config validate\`.`,
    ...(notes.length > 0 ? [`# ${notes.length} note${notes.length === 1 ? '' : 's'} on what could not be carried as it was:`] : []),
    ...notes.map((note) => `#   - ${note}`),
  ];
  process.stdout.write(`${header.join('\n')}\n${stringify(config)}`);
  process.stderr.write(`cnmcp: migrated ${file} with ${notes.length} note${notes.length === 1 ? '' : 's'} (in the comments at the top)\n`);
  return EXIT.ok;
}
