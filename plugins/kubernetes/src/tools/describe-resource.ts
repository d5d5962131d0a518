import type { ToolDefinition } from '@cnmcp/core/plugin';
import { cleanObject, summarize, summaryLine } from '../object-view.js';
import type { PackDeps } from '../pack-deps.js';
import { guarded, structuredResult } from '../tool-result.js';
import { eventLines, eventsOf, MAX_OBJECT_EVENTS } from './events-of.js';
import { getInputSchema, readObject, type GetArgs } from './get-resource.js';
import { namespaceFor } from '../list-objects.js';

/** `kubernetes_describe_resource`: the object, its summary and the events about it, as `kubectl describe` gathers them. */
export function createDescribeTool(deps: PackDeps): ToolDefinition<GetArgs> {
  return guarded<GetArgs>({
    name: 'kubernetes_describe_resource',
    title: 'Describe a Kubernetes resource',
    description: `Reads one object of any kind with its summary and the newest ${MAX_OBJECT_EVENTS} events about it (like kubectl describe). Secret values are withheld.`,
    inputSchema: getInputSchema,
    outputSchema: {
      type: 'object',
      properties: {
        summary: { type: 'object' },
        object: { type: 'object' },
        events: { type: 'array', items: { type: 'object' } },
        eventsTruncated: { type: 'boolean', description: `True when more than ${MAX_OBJECT_EVENTS} events exist; only the newest are shown.` },
      },
      required: ['summary', 'object', 'events', 'eventsTruncated'],
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const resource = await deps.catalog.resolve(ctx, args.kind, args.apiVersion);
      const object = await readObject(deps, ctx, resource, args.name, args.namespace);
      const { events, truncated } = await eventsOf(deps, ctx, resource.kind, args.name, namespaceFor(deps, resource, args.namespace));
      const summary = summarize(object, resource.kind);
      const cleaned = cleanObject(object, resource.kind, resource.apiVersion, deps.backend.guard.secrets === 'read');
      const text = [
        `${resource.kind} ${summaryLine(summary)}`,
        '',
        'Events (newest first):',
        events.length === 0 ? '  <none>' : eventLines(events),
        ...(truncated ? [`[only the newest ${MAX_OBJECT_EVENTS} events are shown]`] : []),
        '',
        'Object:',
        JSON.stringify(cleaned, null, 1),
      ].join('\n');
      return structuredResult({ summary, object: cleaned, events, eventsTruncated: truncated }, text);
    },
  });
}
