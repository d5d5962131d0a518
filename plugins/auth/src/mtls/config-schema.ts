import type { ConfigOf, PluginConfigSchema } from '@cnmcp/core/plugin';

/** Options as written under `auth: [{ use: mtls, ... }]`, typed by the schema below. */
export type MtlsConfig = ConfigOf<typeof configSchema>;

/** One client certificate subject and who it is. Exactly one of `cn` and `san` selects the certificate. */
export type CertificateIdentity = NonNullable<MtlsConfig['identities']>[number];

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    identities: {
      type: 'array',
      default: [],
      description: 'Verified client certificates and the identity each one is: matched by subject CN or by one subject alternative name, first match wins.',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          cn: { type: 'string', minLength: 1, description: 'Subject common name, matched exactly.' },
          san: {
            type: 'string',
            pattern: '^(DNS|URI|email|IP Address):.+$',
            description: 'A subject alternative name as Node prints it: `DNS:host`, `URI:spiffe://...`, `email:a@b`, `IP Address:10.0.0.1`.',
          },
          id: { type: 'string', pattern: '^[A-Za-z0-9._:@/-]{1,256}$', description: 'Identity id in audit records (default: the matched CN or SAN value).' },
          roles: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Roles the authorizer sees.' },
        },
        required: ['roles'],
        oneOf: [{ required: ['cn'] }, { required: ['san'] }],
      },
    },
    allowUnmapped: {
      type: 'boolean',
      default: false,
      description:
        'Accept a verified certificate that matches no entry, as an identity named by its CN with `unmappedRoles`. Off: such a certificate is refused.',
    },
    unmappedRoles: { type: 'array', items: { type: 'string', minLength: 1 }, default: [], description: 'Roles of certificates let in by allowUnmapped.' },
  },
} as const satisfies PluginConfigSchema;
