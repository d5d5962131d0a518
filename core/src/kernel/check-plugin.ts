import { PLUGIN_KINDS, type Plugin } from '../plugin/define-plugin.js';
import { CnmcpError } from '../plugin/errors.js';

/** Checks a descriptor's shape at load time, naming the plugin, so a broken plugin fails before anything listens. */
export function checkPlugin(plugin: Plugin, path: string): CnmcpError[] {
  const id = `${String(plugin.kind)}/${String(plugin.name)}`;
  const problems: string[] = [];
  if (typeof plugin.name !== 'string' || !/^[a-z0-9@][a-z0-9._/-]*$/i.test(plugin.name)) problems.push('name must be a non-empty identifier');
  if (!PLUGIN_KINDS.includes(plugin.kind)) problems.push(`kind must be one of ${PLUGIN_KINDS.join(', ')}`);
  if (typeof plugin.setup !== 'function') problems.push('setup must be a function');
  if (plugin.check !== undefined && typeof plugin.check !== 'function') problems.push('check, when given, must be a function');
  const schema = plugin.configSchema as { type?: unknown } | undefined;
  if (!schema || typeof schema !== 'object' || schema.type !== 'object') problems.push("configSchema must be a JSON Schema with type: 'object'");
  return problems.map((p) => new CnmcpError('PLUGIN_INVALID', `plugin ${id}: ${p}`, { path, plugin: id }));
}
