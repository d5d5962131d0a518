// SDK v1 client (2025-11-25 initialize handshake) over Streamable HTTP at /mcp: with the default
// `server.sessions: auto` (its initialize opens a session), stateless serving, and `stateful` (Mcp-Session-Id sessions).
import { randomUUID } from 'node:crypto';
import type { TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLegacyHttp, LEGACY_PROTOCOL } from '../support/clients.js';
import { initializeRequest, jsonRpcMessagesOf, MCP_POST_HEADERS } from '../support/raw-http.js';
import { defineToolCallContract, startContractKernel } from '../support/tool-call-contract.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('SDK v1 client (2025-11-25 handshake) over Streamable HTTP, server.sessions: auto (default)', () => {
  defineToolCallContract(async () => {
    const { kernel, sleepsStarted, settlements } = await startContractKernel();
    return {
      connect: () => connectLegacyHttp(kernel.url),
      connection: 'per-test',
      protocolVersion: LEGACY_PROTOCOL,
      sleepsStarted: () => sleepsStarted,
      settlements: () => settlements,
      // The client's initialize opened a session: its server instance ran the call, so notifications/cancelled reaches it.
      cancellationReachesHandler: true,
      close: () => kernel.close(),
    };
  });
});

describe('SDK v1 client (2025-11-25 handshake) over Streamable HTTP, server.sessions: stateless', () => {
  defineToolCallContract(async () => {
    const { kernel, sleepsStarted, settlements } = await startContractKernel({ sessions: 'stateless' });
    return {
      connect: () => connectLegacyHttp(kernel.url),
      connection: 'per-test',
      protocolVersion: LEGACY_PROTOCOL,
      sleepsStarted: () => sleepsStarted,
      settlements: () => settlements,
      // Each 2025-era request gets a fresh server instance, so the client's notifications/cancelled (a separate
      // POST; the v1 client leaves the call's own response open) cannot reach the call: the handler runs on.
      cancellationReachesHandler: false,
      close: () => kernel.close(),
    };
  });
});

describe('SDK v1 client (2025-11-25 handshake) over Streamable HTTP, server.sessions: stateful', () => {
  defineToolCallContract(async () => {
    const { kernel, sleepsStarted, settlements } = await startContractKernel({ sessions: 'stateful' });
    return {
      connect: () => connectLegacyHttp(kernel.url),
      connection: 'per-test',
      protocolVersion: LEGACY_PROTOCOL,
      sleepsStarted: () => sleepsStarted,
      settlements: () => settlements,
      // The session's server instance ran the call, so notifications/cancelled reaches it.
      cancellationReachesHandler: true,
      close: () => kernel.close(),
    };
  });
});

describe('server.sessions: stateful, on the wire', () => {
  let kernel: TestKernel | undefined;
  beforeAll(async () => {
    ({ kernel } = await startContractKernel({ sessions: 'stateful' }));
  });
  afterAll(async () => {
    await kernel?.close();
  });

  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(kernel!.url, { method: 'POST', headers: { ...MCP_POST_HEADERS, ...headers }, body: JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, messages: text ? jsonRpcMessagesOf(res.headers.get('content-type'), text) : [] };
  };
  const session = (id: string) => ({ 'Mcp-Session-Id': id, 'MCP-Protocol-Version': LEGACY_PROTOCOL });

  it('answers a 2025-11-25 initialize with a fresh Mcp-Session-Id', async () => {
    const res = await post(initializeRequest(LEGACY_PROTOCOL));
    expect(res.messages[0]).toMatchObject({ id: 1, result: { protocolVersion: LEGACY_PROTOCOL, serverInfo: { name: 'cnmcp' } } });
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toMatch(UUID);
  });

  it('answers a request naming an unknown session with 404 and -32001', async () => {
    const res = await post({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }, session(randomUUID()));
    expect(res.status).toBe(404);
    expect(res.messages[0]).toMatchObject({ error: { code: -32001, message: 'session not found' } });
  });

  it('ends a session on DELETE, after which its id is unknown', async () => {
    const opened = await post(initializeRequest(LEGACY_PROTOCOL));
    const id = opened.headers.get('mcp-session-id');
    expect(id).toMatch(UUID);
    expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session(id!))).status).toBe(202);
    const listed = await post({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }, session(id!));
    expect(listed.messages[0]).toMatchObject({ id: 2, result: { tools: expect.any(Array) } });

    const deleted = await fetch(kernel!.url, { method: 'DELETE', headers: session(id!) });
    await deleted.text();
    expect(deleted.status).toBe(200);
    expect((await post({ jsonrpc: '2.0', id: 3, method: 'tools/list', params: {} }, session(id!))).status).toBe(404);
  });
});

describe('server.sessions: auto (the default), on the wire', () => {
  let kernel: TestKernel | undefined;
  beforeAll(async () => {
    ({ kernel } = await startContractKernel());
  });
  afterAll(async () => {
    await kernel?.close();
  });

  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(kernel!.url, { method: 'POST', headers: { ...MCP_POST_HEADERS, ...headers }, body: JSON.stringify(body) });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const call = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'e2e_echo_text', arguments: { text: 'hi' } } });

  it('serves a request without a session statelessly, and issues no session for it', async () => {
    const res = await post(call(1), { 'MCP-Protocol-Version': LEGACY_PROTOCOL });
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toBeNull();
    expect(jsonRpcMessagesOf(res.headers.get('content-type'), res.text)[0]).toMatchObject({ id: 1, result: { content: [{ text: 'hi' }] } });
  });

  it('opens a session on initialize; its POST streams start with a priming event and retry, even when a request names an older revision', async () => {
    const opened = await post(initializeRequest(LEGACY_PROTOCOL));
    const id = opened.headers.get('mcp-session-id');
    expect(id).toMatch(UUID);
    expect(
      (await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { 'Mcp-Session-Id': id!, 'MCP-Protocol-Version': LEGACY_PROTOCOL })).status,
    ).toBe(202);
    // The session negotiated 2025-11-25: its streams are framed for it (SEP-1699), whatever revision a POST names.
    for (const named of [LEGACY_PROTOCOL, '2025-03-26']) {
      const res = await post(call(2), { 'Mcp-Session-Id': id!, 'MCP-Protocol-Version': named });
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(res.text).toMatch(/^id: \S+\nretry: 1000\ndata: \n\n/);
      expect(jsonRpcMessagesOf(res.headers.get('content-type'), res.text)[0]).toMatchObject({ id: 2, result: { content: [{ text: 'hi' }] } });
    }
  });

  it('serves an initialize past the session cap stateless instead of refusing it', async () => {
    const capped = (await startContractKernel({ sessionLimits: { perIdentity: 1 } })).kernel;
    try {
      const open = () => fetch(capped.url, { method: 'POST', headers: MCP_POST_HEADERS, body: JSON.stringify(initializeRequest(LEGACY_PROTOCOL)) });
      const first = await open();
      await first.text();
      expect(first.headers.get('mcp-session-id')).toMatch(UUID);
      const second = await open();
      const text = await second.text();
      expect(second.status).toBe(200);
      expect(second.headers.get('mcp-session-id')).toBeNull();
      expect(jsonRpcMessagesOf(second.headers.get('content-type'), text)[0]).toMatchObject({ id: 1, result: { protocolVersion: LEGACY_PROTOCOL } });
    } finally {
      await capped.close();
    }
  });
});
