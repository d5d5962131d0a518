import { CnmcpAggregateError, CnmcpError } from '../plugin/errors.js';
import { EXIT } from './exit-codes.js';

/** Prints an error for a person (every problem with its path) and returns the exit code it deserves. */
export function reportError(error: unknown): number {
  if (error instanceof CnmcpAggregateError) {
    process.stderr.write(`cnmcp: ${error.message}\n`);
    return error.code === 'CONFIG_INVALID' ? EXIT.invalidConfig : EXIT.failure;
  }
  if (error instanceof CnmcpError) {
    process.stderr.write(`cnmcp: ${error.path ? `${error.path}: ` : ''}${error.message} [${error.code}]\n`);
    const configProblem =
      error.code.startsWith('CONFIG_') || ['PLUGIN_NOT_FOUND', 'PLUGIN_INVALID', 'PLUGIN_CONFIG_INVALID', 'UNAUTHENTICATED_PUBLIC_BIND'].includes(error.code);
    return configProblem ? EXIT.invalidConfig : EXIT.failure;
  }
  const err = error as NodeJS.ErrnoException;
  if (err?.code === 'EADDRINUSE') {
    process.stderr.write(`cnmcp: the address is already in use; pick another with --listen or server.listen\n`);
    return EXIT.failure;
  }
  process.stderr.write(`cnmcp: ${err?.message ?? String(error)}\n`);
  return EXIT.failure;
}
