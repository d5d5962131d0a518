import type { ToolDefinition } from '@cnmcp/core/plugin';
import { allowedBy } from '../exec-policy.js';
import type { PackDeps } from '../pack-deps.js';
import { runExec } from '../pod-exec.js';
import { namespaceField } from '../schemas.js';
import { guarded, toolError } from '../tool-result.js';

export type ExecArgs = { name: string; namespace?: string; container?: string; command: string[]; timeoutSeconds?: number };

// Pod and container names go into the exec URL path and query as they are: DNS names only.
const dnsName = (description: string, max: number) =>
  ({ type: 'string', minLength: 1, maxLength: max, pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', 'x-cnmcp-sanitize': 'identifier', description }) as const;

/** `kubernetes_exec_command`: one allowlisted command in a container, time-limited, for allowlisted roles. */
export function createExecTool(deps: PackDeps): ToolDefinition<ExecArgs> {
  const { commands, roles, timeoutSeconds, maxOutputBytes } = deps.settings.exec;
  return guarded<ExecArgs>({
    name: 'kubernetes_exec_command',
    title: 'Run a command in a container',
    description: `Runs one command in a pod's container (like kubectl exec POD -- COMMAND, no shell, no stdin, no TTY) and returns its stdout, stderr and exit code. Allowed commands only: ${commands.join('; ')}. Ended after ${timeoutSeconds} s at most; ${maxOutputBytes} bytes of each output stream kept.`,
    inputSchema: {
      type: 'object',
      properties: {
        name: dnsName('Pod name.', 253),
        namespace: namespaceField(),
        container: dnsName('Container name; required when the pod has several.', 63),
        command: {
          type: 'array',
          minItems: 1,
          maxItems: 64,
          // Arguments are passed to the program as they are (no shell): `query` keeps them unrewritten.
          items: { type: 'string', minLength: 1, maxLength: 4096, 'x-cnmcp-sanitize': 'query' },
          description: 'The program and its arguments, one array item each, e.g. ["cat", "/etc/os-release"].',
        },
        timeoutSeconds: { type: 'integer', minimum: 1, maximum: timeoutSeconds, default: timeoutSeconds, description: 'Time limit of this command.' },
      },
      required: ['name', 'command'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        pod: { type: 'string' },
        namespace: { type: 'string' },
        container: { type: 'string' },
        command: { type: 'array', items: { type: 'string' } },
        exitCode: { type: 'integer' },
        stdout: { type: 'string' },
        stderr: { type: 'string' },
        timedOut: { type: 'boolean' },
        truncated: { type: 'boolean' },
        failure: { type: 'string', description: 'Why the command could not run, when it could not.' },
      },
      required: ['pod', 'namespace', 'command', 'stdout', 'stderr', 'timedOut', 'truncated'],
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    async run(args, ctx) {
      if (!ctx.identity.roles.some((role) => roles.includes(role))) {
        return toolError(
          `Refused: running commands is limited to the roles ${roles.join(', ')} (exec.roles); this caller has ${ctx.identity.roles.join(', ') || 'none'}.`,
        );
      }
      if (allowedBy(commands, args.command) === undefined) {
        return toolError(`Refused: ${JSON.stringify(args.command)} is not an allowed command (exec.commands: ${commands.join('; ')}).`);
      }
      const namespace = args.namespace ?? deps.backend.defaultNamespace;
      const limit = Math.min(args.timeoutSeconds ?? timeoutSeconds, timeoutSeconds);
      const outcome = await runExec(deps.backend, ctx, {
        namespace,
        pod: args.name,
        ...(args.container ? { container: args.container } : {}),
        command: args.command,
        timeoutMs: limit * 1000,
        maxBytes: maxOutputBytes,
      });
      const data = {
        pod: args.name,
        namespace,
        ...(args.container ? { container: args.container } : {}),
        command: args.command,
        ...outcome,
      };
      const state = outcome.timedOut
        ? `was ended after the ${limit} s time limit`
        : outcome.failure !== undefined
          ? `could not run: ${outcome.failure}`
          : outcome.exitCode !== undefined
            ? `exited with code ${outcome.exitCode}`
            : 'ended without reporting an exit status (the connection closed or the call was cancelled)';
      const cut = outcome.truncated ? ` (output cut at ${maxOutputBytes} bytes per stream)` : '';
      const text = `${JSON.stringify(args.command)} in ${namespace}/${args.name} ${state}${cut}.\n--- stdout ---\n${outcome.stdout}${outcome.stderr ? `\n--- stderr ---\n${outcome.stderr}` : ''}`;
      return { ...(outcome.failure !== undefined ? { isError: true } : {}), structuredContent: data, content: [{ type: 'text', text }] };
    },
  });
}
