// Kubernetes impersonation: the pack's own identity asks the API server to act as the MCP caller, so Kubernetes
// RBAC decides per person and the cluster's audit log names them. The caller's credential never leaves cnmcp.
import type { Identity } from '@cnmcp/core/plugin';
import { GuardRefusal } from './guard-rails.js';

/** How an authenticated identity becomes a Kubernetes user, groups and extra fields. */
export type ImpersonationConfig = {
  user?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
};

const PLACEHOLDERS = '`{id}`, `{authMethod}`, `{role}` (one value per role), `{scope}` (one value per scope)';

export const impersonationSchema = {
  type: 'object',
  additionalProperties: false,
  description: `Impersonate the MCP caller on every API request (\`Impersonate-User\`, \`Impersonate-Group\`, \`Impersonate-Extra-*\`), so Kubernetes RBAC decides per caller and its audit log names them. Templates take ${PLACEHOLDERS}. The pack's identity needs the \`impersonate\` verb on exactly these users and groups (the Helm chart grants it by resourceNames). Anonymous callers are refused; names starting with \`system:\` are never impersonated.`,
  properties: {
    user: { type: 'string', minLength: 1, maxLength: 253, default: '{id}', description: 'User name template, e.g. `cnmcp:{id}`.' },
    groups: {
      type: 'array',
      maxItems: 32,
      items: { type: 'string', minLength: 1, maxLength: 253 },
      default: ['{role}'],
      description: 'Group templates, e.g. `[cnmcp:{role}]`: a caller with roles viewer and oncall becomes groups cnmcp:viewer and cnmcp:oncall.',
    },
    extra: {
      type: 'object',
      maxProperties: 16,
      propertyNames: { pattern: '^[a-z0-9.\\-/]{1,253}$' },
      additionalProperties: { type: 'array', maxItems: 16, items: { type: 'string', minLength: 1, maxLength: 253 } },
      description: 'Extra fields (user-info extras, e.g. `cnmcp.io/auth-method: ["{authMethod}"]`).',
    },
  },
} as const;

/** Printable ASCII only: a header value cannot carry line breaks, and a Kubernetes name has no use for the rest. */
const SAFE = /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/;

function expand(template: string, identity: Identity): string[] {
  const many = (placeholder: string, values: readonly string[]) => values.map((v) => template.split(placeholder).join(v));
  if (template.includes('{role}')) return many('{role}', identity.roles).flatMap((t) => expand(t, identity));
  if (template.includes('{scope}')) return many('{scope}', identity.scopes ?? []).flatMap((t) => expand(t, identity));
  return [template.split('{id}').join(identity.id).split('{authMethod}').join(identity.authMethod)];
}

function checked(value: string, what: string): string {
  if (!SAFE.test(value))
    throw new GuardRefusal(`Refused: the caller's ${what} "${value.replace(/[^\x20-\x7e]/g, '?')}" cannot be impersonated (printable ASCII only).`);
  if (value.startsWith('system:')) throw new GuardRefusal(`Refused: the pack never impersonates the reserved ${what} "${value}".`);
  return value;
}

/** The impersonation headers of one call, as name/value pairs (a header may repeat: one per group). */
export function impersonationHeaders(config: ImpersonationConfig, identity: Identity): [string, string][] {
  if (identity.authMethod === 'anonymous') {
    throw new GuardRefusal(
      'Refused: this server impersonates each caller on Kubernetes, and an anonymous caller has no one to impersonate. Authenticate first.',
    );
  }
  const users = expand(config.user ?? '{id}', identity);
  if (users.length !== 1) throw new GuardRefusal('Refused: the impersonation user template must name exactly one user.');
  const headers: [string, string][] = [['Impersonate-User', checked(users[0]!, 'user name')]];
  for (const group of new Set((config.groups ?? ['{role}']).flatMap((t) => expand(t, identity)))) headers.push(['Impersonate-Group', checked(group, 'group')]);
  for (const [key, templates] of Object.entries(config.extra ?? {})) {
    for (const value of templates.flatMap((t) => expand(t, identity)))
      headers.push([`Impersonate-Extra-${encodeURIComponent(key)}`, checked(value, `extra ${key}`)]);
  }
  return headers;
}
