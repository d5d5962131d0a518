import type { WellKnownDocument } from '@cnmcp/core/plugin';
import type { ResourceSettings } from './config-schema.js';

export const METADATA_PREFIX = '/.well-known/oauth-protected-resource';

/** RFC 9728 §3.1: the well-known segment goes between the host and the resource's path. */
export function metadataPath(resource: string): string {
  const { pathname } = new URL(resource);
  return pathname === '/' ? METADATA_PREFIX : `${METADATA_PREFIX}${pathname}`;
}

/** The absolute URL a client fetches, named in `resource_metadata` of every challenge. */
export function metadataUrl(resource: string): string {
  return new URL(metadataPath(resource), resource).href;
}

/** RFC 9728 §2 protected-resource metadata. */
export function metadataDocument(settings: ResourceSettings): Record<string, unknown> {
  return {
    resource: settings.resource,
    authorization_servers: [...settings.authorizationServers],
    ...(settings.scopesSupported ? { scopes_supported: [...settings.scopesSupported] } : {}),
    bearer_methods_supported: ['header'],
  };
}

/**
 * The documents to serve: at the RFC 9728 path for the resource and, when that has a path, also at the bare
 * prefix, which some clients try first.
 */
export function metadataDocuments(settings: ResourceSettings): WellKnownDocument[] {
  const body = metadataDocument(settings);
  const path = metadataPath(settings.resource);
  return path === METADATA_PREFIX
    ? [{ path, body }]
    : [
        { path, body },
        { path: METADATA_PREFIX, body },
      ];
}

/**
 * `WWW-Authenticate` parameters after `Bearer` (RFC 6750 §3, RFC 9728 §5.1). In resource mode they point to the
 * metadata; otherwise they name the realm. `invalid` adds `error="invalid_token"`, never a description.
 */
export function challengeParams(why: 'missing' | 'invalid', resource: ResourceSettings | undefined): string {
  const params = resource
    ? [
        `resource_metadata=${quote(metadataUrl(resource.resource))}`,
        ...(resource.scopesSupported ? [`scope=${quote(resource.scopesSupported.join(' '))}`] : []),
      ]
    : ['realm="cnmcp"'];
  if (why === 'invalid') params.push('error="invalid_token"');
  return params.join(', ');
}

const quote = (value: string) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
