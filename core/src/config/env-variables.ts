import { CnmcpError } from '../plugin/errors.js';

/** What the original server's MCP_* mappers return: sections to add to the config, and variables refused. */
export interface EnvSections {
  readonly sections: Readonly<Record<string, unknown>>;
  readonly problems: readonly CnmcpError[];
}

/** A true-ish variable, as the original server read booleans. */
export const TRUE = /^(1|true|yes|on)$/i;

/** The variables of `env` whose name starts with `prefix`, set to something. */
export const setVariables = (env: NodeJS.ProcessEnv, prefix: string): string[] =>
  Object.keys(env)
    .filter((name) => name.startsWith(prefix) && (env[name] ?? '') !== '')
    .sort();

export const refused = (variable: string, instead: string, path = '/'): CnmcpError =>
  new CnmcpError('CONFIG_ENV_UNSUPPORTED', `${variable} (from the original server) is not read by cnmcp: ${instead}`, { path });
