import { SECRET_TYPES } from '../plugin/ports/secret-store.js';
import { DURATION_PATTERN } from './parse-duration.js';

/** The kernel's `rotation:` section: which secrets of the `secrets:` store rotate, how often, with what grace. */
export function rotationSchema(): Record<string, unknown> {
  const duration = (description: string) => ({ type: 'string', pattern: DURATION_PATTERN, description });
  return {
    type: 'object',
    default: {},
    description: 'Automatic rotation of secrets in the `secrets:` store (API keys, bearer tokens, generic secrets). Needs a writable store.',
    additionalProperties: false,
    properties: {
      enabled: {
        type: 'boolean',
        default: true,
        description:
          'Run the rotation timer in this process. With several replicas sharing the secret store and a shared `rateLimit:` store (redis), leave it true everywhere: each replica takes a lease in the rate-limit store (one per secret and version) before rotating, so exactly one rotates each version. Without a shared rate-limit store, leave it true on exactly one replica and set it false on the others (pinning).',
      },
      checkIntervalSeconds: { type: 'integer', minimum: 1, maximum: 86_400, default: 60, description: 'How often the timer looks for secrets that are due.' },
      rules: {
        type: 'array',
        default: [],
        description: 'Per secret (`name`) or per type (`type`); a rule naming a secret wins over its type rule.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['every'],
          anyOf: [{ required: ['name'] }, { required: ['type'] }],
          properties: {
            name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$', description: 'The secret this rule rotates.' },
            type: { enum: [...SECRET_TYPES], description: 'Every secret of this type without a rule of its own.' },
            every: duration('Rotate when the current version is this old, e.g. `7d`.'),
            grace: { ...duration('How long replaced versions stay valid, so clients roll over without downtime (e.g. `1h`).'), default: '1h' },
            keepVersions: {
              type: 'integer',
              minimum: 1,
              maximum: 100,
              default: 2,
              description: 'Versions kept in the store (versions in their grace period are always kept).',
            },
          },
        },
      },
    },
  };
}
