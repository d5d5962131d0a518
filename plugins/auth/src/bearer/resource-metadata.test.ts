import { describe, expect, it } from 'vitest';
import { challengeParams, metadataDocuments, metadataPath, metadataUrl } from './resource-metadata.js';

describe('RFC 9728 metadata location', () => {
  it.each([
    ['https://mcp.example.com', '/.well-known/oauth-protected-resource'],
    ['https://mcp.example.com/', '/.well-known/oauth-protected-resource'],
    ['https://mcp.example.com/mcp', '/.well-known/oauth-protected-resource/mcp'],
    ['https://mcp.example.com/tenant/a/mcp', '/.well-known/oauth-protected-resource/tenant/a/mcp'],
    ['https://mcp.example.com:8443/mcp/', '/.well-known/oauth-protected-resource/mcp/'],
  ])('%s -> %s', (resource, path) => {
    expect(metadataPath(resource)).toBe(path);
    expect(metadataUrl(resource)).toBe(new URL(path, resource).href);
  });

  it('serves the bare path too when the resource has a path, once when it has none', () => {
    const settings = (resource: string) => ({ resource, authorizationServers: ['https://idp.example.com'] });
    expect(metadataDocuments(settings('https://mcp.example.com/mcp')).map((d) => d.path)).toEqual([
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]);
    expect(metadataDocuments(settings('https://mcp.example.com')).map((d) => d.path)).toEqual(['/.well-known/oauth-protected-resource']);
    expect(metadataDocuments(settings('https://mcp.example.com'))[0]?.body).toEqual({
      resource: 'https://mcp.example.com',
      authorization_servers: ['https://idp.example.com'],
      bearer_methods_supported: ['header'],
    });
  });

  it('quotes challenge values', () => {
    const params = challengeParams('invalid', { resource: 'https://mcp.example.com/a"b', authorizationServers: ['https://idp.example.com'] });
    expect(params).toBe('resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/a%22b", error="invalid_token"');
  });
});
