import type { ToolDefinition } from '@cnmcp/core/plugin';
import type { PackDeps } from '../pack-deps.js';
import { nameField } from '../schemas.js';
import { guarded, structuredResult } from '../tool-result.js';

export type NodeLogsArgs = { name: string; service?: string; tailLines?: number; sinceTime?: string; pattern?: string };

/** `kubernetes_node_logs`: a node service's journal (kubelet, containerd...) through the kubelet's log query. */
export function createNodeLogsTool(deps: PackDeps): ToolDefinition<NodeLogsArgs> {
  const { defaultTailLines, maxTailLines, maxBytes } = deps.settings.logs;
  return guarded<NodeLogsArgs>({
    name: 'kubernetes_node_logs',
    title: 'Node service logs',
    description: `The last lines of a node service's log (kubelet, containerd...) through the kubelet's node log query (GET /api/v1/nodes/NAME/proxy/logs/?query=SERVICE; Kubernetes 1.27+ with the NodeLogQuery feature and the kubelet's enableSystemLogQuery). Default ${defaultTailLines} lines, at most ${maxTailLines} lines and ${maxBytes} bytes. Needs get on nodes/proxy.`,
    inputSchema: {
      type: 'object',
      properties: {
        name: nameField('Node name.'),
        service: {
          type: 'string',
          minLength: 1,
          maxLength: 128,
          pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.@-]*$',
          'x-cnmcp-sanitize': 'identifier',
          default: 'kubelet',
          description: 'Service (systemd unit) or log file name under /var/log, e.g. `kubelet`, `containerd`.',
        },
        tailLines: { type: 'integer', minimum: 1, maximum: maxTailLines, default: defaultTailLines, description: 'Lines from the end.' },
        sinceTime: {
          type: 'string',
          maxLength: 40,
          pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
          'x-cnmcp-sanitize': 'raw',
          description: 'Only lines at or after this RFC 3339 time, e.g. `2026-12-01T09:45:00Z`.',
        },
        pattern: {
          type: 'string',
          minLength: 1,
          maxLength: 256,
          'x-cnmcp-sanitize': 'query',
          description: 'Only lines matching this regular expression (journalctl --grep), e.g. `Eviction|OOM`.',
        },
      },
      required: ['name'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        node: { type: 'string' },
        service: { type: 'string' },
        lineCount: { type: 'integer' },
        log: { type: 'string' },
        truncated: { type: 'boolean' },
      },
      required: ['node', 'service', 'lineCount', 'log', 'truncated'],
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const service = args.service ?? 'kubelet';
      const tailLines = Math.min(args.tailLines ?? defaultTailLines, maxTailLines);
      const raw = String(
        await deps.backend.call(ctx, `read the ${service} log of node "${args.name}"`, () =>
          deps.backend.objects.request('GET', `/api/v1/nodes/${encodeURIComponent(args.name)}/proxy/logs/`, {
            query: { query: service, tailLines: String(tailLines), sinceTime: args.sinceTime, pattern: args.pattern },
          }),
        ),
      );
      const empty = raw.trim() === '-- No entries --';
      const cut = Buffer.byteLength(raw) > maxBytes;
      const log = empty
        ? ''
        : cut
          ? Buffer.from(raw)
              .subarray(-maxBytes)
              .toString('utf8')
              .replace(/^[^\n]*\n/, '')
          : raw;
      const lines = log === '' ? [] : log.replace(/\n$/, '').split('\n');
      const truncated = cut || lines.length >= tailLines;
      return structuredResult(
        { node: args.name, service, lineCount: lines.length, log, truncated },
        `${service} log of node ${args.name}: ${lines.length} line(s)${truncated ? ` (only the last ${cut ? `${maxBytes} bytes` : `${tailLines} lines`}; earlier lines may exist)` : ''}.\n${log}`,
      );
    },
  });
}
