import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { connectHelp } from './connect-help.js';
import { reachableUrl } from './reachable-url.js';

const info = (address: string, family: 'IPv4' | 'IPv6', internal = false) => ({ address, family, internal }) as NetworkInterfaceInfo;
const machine = (interfaces: Record<string, NetworkInterfaceInfo[]>, name = 'mcp-host') => ({ interfaces: () => interfaces, hostname: () => name });

describe('the URL printed for clients', () => {
  it('keeps a specific listen address as it is, with no note', () => {
    const listening = new URL('http://127.0.0.1:8080/mcp');
    expect(reachableUrl(listening, machine({ eth0: [info('10.0.0.5', 'IPv4')] }))).toEqual({ url: listening });
  });

  it('replaces 0.0.0.0 by the first non-loopback IPv4 address, skipping internal ones', () => {
    const { url, note } = reachableUrl(
      new URL('http://0.0.0.0:8080/mcp'),
      machine({ lo: [info('127.0.0.1', 'IPv4', true)], eth0: [info('fe80::1', 'IPv6'), info('192.168.1.20', 'IPv4')] }),
    );
    expect(url.href).toBe('http://192.168.1.20:8080/mcp');
    expect(note).toContain('all interfaces (0.0.0.0)');
  });

  it('replaces :: by a global IPv6 address in brackets when there is no IPv4 one, never a link-local one', () => {
    const { url } = reachableUrl(new URL('https://[::]:8443/mcp'), machine({ eth0: [info('fe80::1', 'IPv6'), info('2001:db8::7', 'IPv6')] }));
    expect(url.href).toBe('https://[2001:db8::7]:8443/mcp');
  });

  it('falls back to the host name when the machine has only loopback interfaces', () => {
    const { url, note } = reachableUrl(new URL('http://0.0.0.0:8080/mcp'), machine({ lo: [info('127.0.0.1', 'IPv4', true)] }, 'box.internal'));
    expect(url.href).toBe('http://box.internal:8080/mcp');
    expect(note).toContain('host name');
  });

  it('puts the reachable URL, not the wildcard, into the client configuration', () => {
    const listening = new URL('http://0.0.0.0:8080/mcp');
    const text = connectHelp(listening, true, reachableUrl(listening, machine({ eth0: [info('10.1.2.3', 'IPv4')] })));
    expect(text).not.toContain('0.0.0.0:8080/mcp"');
    expect(JSON.parse(text.slice(text.indexOf('{'))).mcpServers.cnmcp).toEqual({
      type: 'http',
      url: 'http://10.1.2.3:8080/mcp',
      headers: { 'X-API-Key': '<your key>' },
    });
    expect(text).toContain('Note: listening on all interfaces');
  });
});
