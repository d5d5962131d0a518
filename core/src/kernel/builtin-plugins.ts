import type { PluginKind } from '../plugin/define-plugin.js';

/**
 * Built-in plugin names and the package each lives in. Core never imports these packages statically:
 * the kernel imports one only when the config selects it.
 */
export const BUILTIN_PLUGINS: Readonly<Partial<Record<PluginKind, Readonly<Record<string, string>>>>> = {
  auth: { apikey: '@cnmcp/plugin-auth', bearer: '@cnmcp/plugin-auth', basic: '@cnmcp/plugin-auth', mtls: '@cnmcp/plugin-auth' },
  authorizer: { rbac: '@cnmcp/plugin-rbac', 'allow-all': '@cnmcp/plugin-rbac' },
  'rate-limit-store': { memory: '@cnmcp/plugin-rate-limit', redis: '@cnmcp/plugin-rate-limit' },
  sanitizer: { 'injection-filter': '@cnmcp/plugin-sanitize' },
  'audit-sink': { file: '@cnmcp/plugin-audit', stdout: '@cnmcp/plugin-audit', postgres: '@cnmcp/plugin-audit', webhook: '@cnmcp/plugin-audit' },
  'secret-store': { memory: '@cnmcp/plugin-secrets', env: '@cnmcp/plugin-secrets', file: '@cnmcp/plugin-secrets', kubernetes: '@cnmcp/plugin-secrets' },
  tls: { file: '@cnmcp/plugin-tls', acme: '@cnmcp/plugin-tls' },
  'tool-pack': {
    utilities: '@cnmcp/plugin-utilities',
    prometheus: '@cnmcp/plugin-prometheus',
    alertmanager: '@cnmcp/plugin-prometheus',
    kubernetes: '@cnmcp/plugin-kubernetes',
  },
};
