// Server-side printing: the meta.k8s.io/v1 Table the API server returns when a client (kubectl get) asks for
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. Columns are the real printers' (printers-core.ts,
// printers-groups.ts); kinds without a printer get the apiserver's default table (name and creation time).
import type { KubeObject } from './fixture-store.js';
import { CORE_PRINTERS } from './printers-core.js';
import { GROUP_PRINTERS } from './printers-groups.js';
import { CREATED_AT, NAME, type Column, type Printer } from './table-format.js';

const DEFAULT: Printer = {
  columns: [NAME, CREATED_AT],
  cells: (o) => [o.metadata.name, o.metadata.creationTimestamp],
};

/** The printer of a resource; events.k8s.io Events print from the core Event they are stored as. */
export function printerOf(group: string, resource: string): Printer {
  if (group === '' || group === 'events.k8s.io') return CORE_PRINTERS[resource] ?? DEFAULT;
  return GROUP_PRINTERS[`${group}/${resource}`] ?? DEFAULT;
}

export interface TableRequest {
  readonly group: string;
  readonly resource: string;
  /** `None`, `Object` or `PartialObjectMetadata` (the default), as the includeObject query parameter says. */
  readonly includeObject: string;
  readonly now: number;
  /** The object as the client's group version sees it, for rows that include the object. */
  readonly served: (o: KubeObject) => Record<string, unknown>;
  /** Leave the column definitions out (null), as the server does for every watch event after the first. */
  readonly noHeaders?: boolean;
}

export function table(request: TableRequest, objects: readonly KubeObject[], listMeta: Record<string, unknown>): Record<string, unknown> {
  const printer = printerOf(request.group, request.resource);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: request.noHeaders ? null : (printer.columns satisfies readonly Column[]),
    rows: objects.map((o) => ({
      cells: printer.cells(o, request.now),
      object:
        request.includeObject === 'None'
          ? undefined
          : request.includeObject === 'Object'
            ? request.served(o)
            : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
