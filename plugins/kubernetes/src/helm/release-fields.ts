// Input fields the Helm tools share.
import { namespaceField } from '../schemas.js';

export const releaseNameField = {
  type: 'string',
  minLength: 1,
  maxLength: 53,
  // Helm's own rule for release names; it also keeps the `name=` label selector a single term.
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
  'x-cnmcp-sanitize': 'identifier',
  description: 'Helm release name.',
} as const;

export const revisionField = {
  type: 'integer',
  minimum: 1,
  maximum: 1_000_000,
  description: 'Release revision (as helm history shows); default the latest.',
} as const;

export type ReleaseArgs = { name: string; namespace?: string; revision?: number };

export const releaseInputSchema = {
  type: 'object',
  properties: {
    name: releaseNameField,
    namespace: namespaceField('Namespace of the release; defaults to the namespace of the configured kubeconfig context.'),
    revision: revisionField,
  },
  required: ['name'],
  additionalProperties: false,
} as const;

/** How the Helm tools describe where releases come from, and the access it takes. */
export const HELM_SOURCE =
  'Read from the Helm 3 release Secrets (owner=helm), without the general secrets opt-in; needs list on secrets for that label selector.';
