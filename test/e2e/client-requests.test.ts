// ctx.clientSupports() and ctx.request(): one tool (e2e_confirm asks for confirmation through elicitation) served
// to clients that declared elicitation, on every transport and revision that can carry the question: in-band
// requests on 2025-era sessions, input-required rounds on 2026-07-28 (the SDK v2 client answers and calls again).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectLegacyHttp,
  connectLegacySse,
  connectLegacyStdio,
  connectModernHttp,
  connectModernStdio,
  stdioServerParameters,
  textsOf,
  type ClientAnswers,
  type E2eClient,
} from '../support/clients.js';
import { E2E_PACK_PATH } from '../support/e2e-pack.js';
import { modernRequest, rawRequest } from '../support/raw-http.js';
import { CLI_PATH, writeStdioConfig, type StdioConfig } from '../support/stdio-server.js';
import { CONTRACT_LIMITS } from '../support/tool-call-contract.js';
import { startContractKernel, type ContractKernel } from '../support/tool-call-contract.js';

type Connect = (answers: ClientAnswers) => Promise<E2eClient>;

describe('a tool asks the client back (elicitation)', () => {
  let stateless: ContractKernel | undefined;
  let stateful: ContractKernel | undefined;
  let stdio: StdioConfig | undefined;
  beforeAll(async () => {
    stdio = writeStdioConfig(E2E_PACK_PATH, CONTRACT_LIMITS);
    stateless = await startContractKernel();
    stateful = await startContractKernel({ sessions: 'stateful' });
  });
  afterAll(async () => {
    await stateless?.kernel.close();
    await stateful?.kernel.close();
    stdio?.remove();
  });

  const combinations: Record<string, Connect> = {
    'v1 client, 2025-11-25 over legacy SSE': (answers) => connectLegacySse(stateless!.kernel.origin, answers),
    'v1 client, 2025-11-25 over Streamable HTTP sessions': (answers) => connectLegacyHttp(stateful!.kernel.url, answers),
    'v1 client, 2025-11-25 over stdio': (answers) => connectLegacyStdio(stdioServerParameters(CLI_PATH, stdio!.path), answers),
    'v2 client, 2026-07-28 over Streamable HTTP (input-required rounds)': (answers) => connectModernHttp(stateless!.kernel.url, answers),
    'v2 client, 2026-07-28 over stdio (input-required rounds)': (answers) => connectModernStdio(stdioServerParameters(CLI_PATH, stdio!.path), answers),
  };

  for (const [name, connect] of Object.entries(combinations)) {
    // Generous: a stdio client spawns the CLI (twice for the v2 client, which probes first) on a busy machine.
    describe(name, { timeout: 90_000 }, () => {
      const asked: string[] = [];
      const withAnswer = (action: 'accept' | 'decline', confirm?: boolean) =>
        connect({
          elicit: (params) => {
            asked.push(String(params.message));
            return { action, ...(confirm === undefined ? {} : { content: { confirm } }) };
          },
        });

      it('sees the declared capability', async () => {
        const client = await withAnswer('accept', true);
        try {
          expect(textsOf(await client.callTool('e2e_client_supports', {}))).toEqual(['elicitation']);
        } finally {
          await client.close();
        }
      });

      it('goes ahead on an accepted confirmation and stops on a declined one', async () => {
        const yes = await withAnswer('accept', true);
        const no = await withAnswer('decline');
        try {
          expect(textsOf(await yes.callTool('e2e_confirm', { subject: 'pod/web-1' }))).toEqual(['deleted pod/web-1']);
          expect(textsOf(await no.callTool('e2e_confirm', { subject: 'pod/web-2' }))).toEqual(['kept pod/web-2']);
          expect(asked).toEqual(['Delete pod/web-1?', 'Delete pod/web-2?']);
        } finally {
          await yes.close();
          await no.close();
        }
      });
    });
  }

  it('answers a 2026-07-28 call asking for an undeclared capability with HTTP 400 and -32021, as the spec says', async () => {
    const { headers, body } = modernRequest('tools/call', { name: 'e2e_confirm', arguments: { subject: 'pod/web-1' } }, { sampling: {} });
    const res = await rawRequest(stateless!.kernel.url, { method: 'POST', headers, body });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ id: 1, error: { code: -32021, data: { requiredCapabilities: { elicitation: {} } } } });
  });
});
