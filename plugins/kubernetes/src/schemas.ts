// Schema fragments every tool of the pack shares, with their sanitize policies.

export const nameField = (description: string) => ({ type: 'string', minLength: 1, maxLength: 253, 'x-cnmcp-sanitize': 'identifier', description }) as const;

export const namespaceField = (description = 'Namespace; defaults to the namespace of the configured kubeconfig context.') =>
  ({ type: 'string', minLength: 1, maxLength: 63, 'x-cnmcp-sanitize': 'identifier', description }) as const;

export const kindField = {
  type: 'string',
  minLength: 1,
  maxLength: 253,
  // The pattern admits only kind names, so the filter policy can never change a valid value.
  pattern: '^[A-Za-z][A-Za-z0-9]*(\\.[a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$',
  'x-cnmcp-sanitize': 'filter',
  description: 'Resource kind as kubectl takes it: kind (`Pod`), plural (`pods`), short name (`po`, `deploy`), optionally with its group (`deployments.apps`).',
} as const;

export const apiVersionField = {
  type: 'string',
  maxLength: 253,
  pattern: '^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?v[0-9]+((alpha|beta)[0-9]+)?$',
  'x-cnmcp-sanitize': 'filter',
  description: 'API version to pick when a kind exists in several (`v1`, `apps/v1`); by default the preferred one.',
} as const;

// Selectors are `query` fields, never rewritten: the injection filter would strip the parentheses of set-based
// selectors (`env in (a,b)`). The pattern admits only selector characters instead, none a shell or markup needs.
export const labelSelectorField = {
  type: 'string',
  maxLength: 1024,
  pattern: '^[A-Za-z0-9_./=!,() -]*$',
  'x-cnmcp-sanitize': 'query',
  description: 'Label selector, e.g. `app=web,tier!=cache` or `env in (prod,staging)`.',
} as const;

export const fieldSelectorField = {
  type: 'string',
  maxLength: 1024,
  pattern: '^[A-Za-z0-9_./=!,{}-]*$',
  'x-cnmcp-sanitize': 'query',
  description: 'Field selector, e.g. `status.phase=Running` or `spec.nodeName=node-1` (fields the kind supports).',
} as const;

export const limitField = (defaultLimit: number, maxLimit: number) =>
  ({
    type: 'integer',
    minimum: 1,
    maximum: maxLimit,
    default: defaultLimit,
    description: `Most objects to return (default ${defaultLimit}, at most ${maxLimit}); more are reported with a continue token.`,
  }) as const;

export const continueField = {
  type: 'string',
  maxLength: 8192,
  // Opaque API server token (base64): the pattern bounds it, a filter must not touch it.
  pattern: '^[A-Za-z0-9+/=_.-]*$',
  'x-cnmcp-sanitize': 'raw',
  description: 'The `continue` token of a previous page, to get the next one.',
} as const;

export const dryRunField = {
  type: 'boolean',
  default: false,
  description: 'Server-side dry run (`dryRun=All`): the API server validates and answers but stores nothing.',
} as const;

export const objectRefOutput = {
  type: 'object',
  properties: {
    kind: { type: 'string' },
    apiVersion: { type: 'string' },
    name: { type: 'string' },
    namespace: { type: 'string' },
  },
  required: ['kind', 'name'],
} as const;

/** A kind among a few (scale, restart, rollout): any name kubectl takes, in any case (`deploy`, `Deployments`, `STS`). */
export const workloadKindField = (kinds: readonly string[]) =>
  ({ ...kindField, description: `Workload kind: ${kinds.join(', ')}, by kind, plural or short name in any case (\`deploy\`, \`statefulsets\`).` }) as const;
