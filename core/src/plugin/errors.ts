/**
 * An error a user can act on: a stable `code` for programs, a message for people.
 * Config errors also carry the JSON path of the offending value.
 *
 * @example throw new CnmcpError('PLUGIN_NOT_FOUND', 'no tool-pack plugin named "k8s"', { path: '/toolPacks/0/use' })
 */
export class CnmcpError extends Error {
  readonly code: string;
  readonly path?: string;
  readonly plugin?: string;

  constructor(code: string, message: string, options: { path?: string; plugin?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CnmcpError';
    this.code = code;
    if (options.path !== undefined) this.path = options.path;
    if (options.plugin !== undefined) this.plugin = options.plugin;
  }
}

/** Several problems found at once (config validation reports every one before anything starts). */
export class CnmcpAggregateError extends CnmcpError {
  readonly problems: readonly CnmcpError[];

  constructor(code: string, message: string, problems: readonly CnmcpError[]) {
    super(code, `${message}\n${problems.map((p) => `  - ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n')}`);
    this.name = 'CnmcpAggregateError';
    this.problems = problems;
  }
}
