import type { ToolDefinition } from '@cnmcp/core/plugin';
import { listObjects, pagingNote } from '../list-objects.js';
import { summarize } from '../object-view.js';
import type { PackDeps } from '../pack-deps.js';
import { continueField, fieldSelectorField, kindField, limitField, nameField, namespaceField } from '../schemas.js';
import { guarded, structuredResult } from '../tool-result.js';
import { byRecency, eventLines } from './events-of.js';

export type EventsArgs = {
  namespace?: string;
  allNamespaces?: boolean;
  type?: 'Normal' | 'Warning';
  objectKind?: string;
  objectName?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
};

/** `kubernetes_list_events`: core/v1 events, optionally only warnings or only about one object. */
export function createListEventsTool(deps: PackDeps): ToolDefinition<EventsArgs> {
  const { defaultLimit, maxLimit } = deps.settings.list;
  return guarded<EventsArgs>({
    name: 'kubernetes_list_events',
    title: 'List Kubernetes events',
    description:
      'Lists events of a namespace (or all), newest first within the page, optionally only Warning events or only those about one object. Paged with limit and continue.',
    inputSchema: {
      type: 'object',
      properties: {
        namespace: namespaceField(),
        allNamespaces: { type: 'boolean', default: false, description: 'Events of every namespace.' },
        type: { type: 'string', enum: ['Normal', 'Warning'], description: 'Only events of this type.' },
        objectKind: { ...kindField, description: 'Only events about objects of this kind (as the event names it, e.g. Pod, Deployment, Node).' },
        objectName: nameField('Only events about the object of this name.'),
        fieldSelector: {
          ...fieldSelectorField,
          description:
            'More event fields to select on, e.g. `reason=BackOff`, `involvedObject.namespace=shop`, `source=kubelet`, `reportingComponent=kubelet`; combined with type, objectKind and objectName.',
        },
        limit: limitField(defaultLimit, maxLimit),
        continue: continueField,
      },
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        namespace: { type: 'string' },
        events: { type: 'array', items: { type: 'object' } },
        continue: { type: 'string' },
        remainingItemCount: { type: 'integer' },
      },
      required: ['events'],
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const events = await deps.catalog.resolve(ctx, 'events', 'v1');
      const fieldSelector = [
        ...(args.type ? [`type=${args.type}`] : []),
        ...(args.objectKind ? [`involvedObject.kind=${args.objectKind}`] : []),
        ...(args.objectName ? [`involvedObject.name=${args.objectName}`] : []),
        ...(args.fieldSelector ? [args.fieldSelector] : []),
      ].join(',');
      const page = await listObjects(deps, ctx, events, { ...args, fieldSelector, limit: Math.min(args.limit ?? defaultLimit, maxLimit) });
      const rows = byRecency(page.items).map((e) => summarize(e, 'Event'));
      const text = `${rows.length === 0 ? 'No events.' : eventLines(rows)}\n${pagingNote(page, rows.length)}`;
      return structuredResult(
        {
          ...(page.namespace ? { namespace: page.namespace } : {}),
          events: rows,
          ...(page.continue ? { continue: page.continue } : {}),
          ...(page.remainingItemCount !== undefined ? { remainingItemCount: page.remainingItemCount } : {}),
        },
        text,
      );
    },
  });
}
