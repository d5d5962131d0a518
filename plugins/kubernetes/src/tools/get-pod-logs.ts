import type { ToolDefinition } from '@cnmcp/core/plugin';
import type { PackDeps } from '../pack-deps.js';
import { nameField, namespaceField } from '../schemas.js';
import { guarded, structuredResult } from '../tool-result.js';

export type LogsArgs = {
  name: string;
  namespace?: string;
  container?: string;
  tailLines?: number;
  sinceSeconds?: number;
  previous?: boolean;
  timestamps?: boolean;
};

/** `kubernetes_get_pod_logs`: the tail of a container's log, capped in lines and bytes, the cut always stated. */
export function createPodLogsTool(deps: PackDeps): ToolDefinition<LogsArgs> {
  const { defaultTailLines, maxTailLines, maxBytes } = deps.settings.logs;
  return guarded<LogsArgs>({
    name: 'kubernetes_get_pod_logs',
    title: 'Get pod logs',
    description: `Returns the last lines of a pod container's log (default ${defaultTailLines}, at most ${maxTailLines} lines and ${maxBytes} bytes), optionally only recent lines or those of the previous (crashed) container.`,
    inputSchema: {
      type: 'object',
      properties: {
        name: nameField('Pod name.'),
        namespace: namespaceField(),
        container: {
          type: 'string',
          minLength: 1,
          maxLength: 63,
          'x-cnmcp-sanitize': 'identifier',
          description: 'Container name; required when the pod has several.',
        },
        tailLines: { type: 'integer', minimum: 1, maximum: maxTailLines, default: defaultTailLines, description: 'Lines from the end of the log.' },
        sinceSeconds: { type: 'integer', minimum: 1, maximum: 31_536_000, description: 'Only lines written in the last N seconds.' },
        previous: { type: 'boolean', default: false, description: 'Log of the previous instance of the container (after a crash or restart).' },
        timestamps: { type: 'boolean', default: false, description: 'Prefix each line with its RFC 3339 timestamp.' },
      },
      required: ['name'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        pod: { type: 'string' },
        namespace: { type: 'string' },
        container: { type: 'string' },
        previous: { type: 'boolean' },
        lineCount: { type: 'integer' },
        log: { type: 'string' },
        truncated: { type: 'boolean', description: 'True when earlier lines or bytes may have been left out.' },
        note: { type: 'string', description: 'What was left out, when something was.' },
      },
      required: ['pod', 'namespace', 'previous', 'lineCount', 'log', 'truncated'],
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const namespace = args.namespace ?? deps.backend.defaultNamespace;
      const tailLines = Math.min(args.tailLines ?? defaultTailLines, maxTailLines);
      const previous = args.previous === true;
      const log = String(
        await deps.backend.call(
          ctx,
          `read the ${previous ? 'previous ' : ''}log of pod "${args.name}"${args.container ? ` container "${args.container}"` : ''} in namespace "${namespace}"`,
          () =>
            deps.backend.core.readNamespacedPodLog({
              name: args.name,
              namespace,
              ...(args.container ? { container: args.container } : {}),
              tailLines,
              limitBytes: maxBytes,
              ...(args.sinceSeconds ? { sinceSeconds: args.sinceSeconds } : {}),
              ...(previous ? { previous: true } : {}),
              ...(args.timestamps ? { timestamps: true } : {}),
            }),
        ),
      );
      const lines = log === '' ? [] : log.replace(/\n$/, '').split('\n');
      const notes: string[] = [];
      if (Buffer.byteLength(log) >= maxBytes) notes.push(`the log was cut at ${maxBytes} bytes`);
      if (lines.length >= tailLines) notes.push(`only the last ${tailLines} lines were requested; earlier lines may exist`);
      const note = notes.join('; ');
      const header = `Log of pod ${namespace}/${args.name}${args.container ? ` container ${args.container}` : ''}${previous ? ' (previous instance)' : ''}: ${lines.length} line(s)${note ? ` (${note})` : ''}.`;
      return structuredResult(
        {
          pod: args.name,
          namespace,
          ...(args.container ? { container: args.container } : {}),
          previous,
          lineCount: lines.length,
          log,
          truncated: notes.length > 0,
          ...(note ? { note } : {}),
        },
        `${header}\n${log}`,
      );
    },
  });
}
