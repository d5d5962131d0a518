import type { SetupCheckReport } from '../kernel/check-setup.js';
import { EXIT } from './exit-codes.js';

/**
 * Prints what `config validate` found, every problem with its JSON path, and returns the exit code: 2 when the
 * options have problems, 1 when (with --connect) only a backend could not be reached, 0 otherwise.
 */
export function printValidation(where: string, report: SetupCheckReport, connect: boolean): number {
  const problems = [...report.secretProblems, ...report.plugins.flatMap((p) => p.problems)];
  const unreachable = report.plugins.flatMap((p) => (p.unreachable ? [p.unreachable] : []));
  if (problems.length > 0) {
    process.stderr.write(`cnmcp: invalid configuration in ${where} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n`);
    for (const p of problems) process.stderr.write(`  - ${p.path ?? '/'}: ${p.message} [${p.code}]\n`);
  }
  if (unreachable.length > 0) {
    process.stderr.write(
      `cnmcp: ${unreachable.length} plugin${unreachable.length === 1 ? '' : 's'} could not reach ${unreachable.length === 1 ? 'its' : 'their'} backend:\n`,
    );
    for (const p of unreachable) process.stderr.write(`  - ${p.path ?? '/'}: ${p.message} [${p.code}]\n`);
  }
  if (problems.length > 0) return EXIT.invalidConfig;
  if (unreachable.length > 0) return EXIT.failure;
  const count = report.plugins.length;
  process.stdout.write(`ok: ${where} is valid (${count} plugin${count === 1 ? '' : 's'})\n`);
  for (const p of report.plugins) {
    const what =
      p.status === 'connected' ? 'set up, backend reached' : p.status === 'checked' ? 'setup checks passed' : 'schema only (the plugin has no check)';
    process.stdout.write(
      `  ${p.plugin.padEnd(28)} ${p.path.padEnd(16)} ${connect || p.status !== 'connected' ? what : 'opened to resolve ${secret:} references'}\n`,
    );
  }
  return EXIT.ok;
}
