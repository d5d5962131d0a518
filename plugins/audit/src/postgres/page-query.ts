import type { AuditFilter } from '@cnmcp/core/plugin';
import { toolGlobToLike } from '../shared/tool-glob.js';
import { storable } from './event-row.js';
import type { TableNames } from './table-names.js';

/**
 * One page of a query: every filter field as a parameter, then keyset paging (`id > cursor ORDER BY id LIMIT n`),
 * so a page costs the same however deep into the table it is. `since` and `until` are inclusive. `tool` is a
 * pattern where `*` matches anything: `%`, `_` and `\` in it are escaped (`\` is LIKE's default escape character).
 *
 * @example pageQuery(names, { actor: 'alice' }, undefined, 500)
 * // { text: 'SELECT id, event, event_text FROM "cnmcp_audit" WHERE actor_id = $1 ORDER BY id LIMIT 500', values: ['alice'] }
 */
export function pageQuery(names: TableNames, filter: AuditFilter, cursor: string | undefined, size: number): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const where: string[] = [];
  const param = (value: unknown) => `$${values.push(value)}`;
  if (filter.type !== undefined) where.push(`type = ${param(storable(filter.type))}`);
  if (filter.outcome !== undefined) where.push(`outcome = ${param(storable(filter.outcome))}`);
  if (filter.actor !== undefined) where.push(`actor_id = ${param(storable(filter.actor))}`);
  if (filter.tool !== undefined) where.push(`tool LIKE ${param(toolGlobToLike(storable(filter.tool)))}`);
  if (filter.since !== undefined) where.push(`time >= ${param(filter.since.toISOString())}`);
  if (filter.until !== undefined) where.push(`time <= ${param(filter.until.toISOString())}`);
  const after = cursor ?? filter.after;
  if (after !== undefined) where.push(`id > ${param(storable(after))}`);
  const conditions = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  return { text: `SELECT id, event, event_text FROM ${names.events}${conditions} ORDER BY id LIMIT ${Math.floor(size)}`, values };
}
