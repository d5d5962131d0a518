// ctx.clientSupports() and ctx.request(): one tool (e2e_confirm asks for confirmation through elicitation) served
// to clients that declared elicitation, on every transport and revision that can carry the question.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLegacyHttp, connectLegacySse, textsOf, type ClientAnswers, type E2eClient } from '../support/clients.js';
import { modernRequest, rawRequest } from '../support/raw-http.js';
import { startContractKernel, type ContractKernel } from '../support/tool-call-contract.js';

type Connect = (answers: ClientAnswers) => Promise<E2eClient>;

describe('a tool asks the client back (elicitation)', () => {
  let stateless: ContractKernel | undefined;
  let stateful: ContractKernel | undefined;
  beforeAll(async () => {
    stateless = await startContractKernel();
    stateful = await startContractKernel({ sessions: 'stateful' });
  });
  afterAll(async () => {
    await stateless?.kernel.close();
    await stateful?.kernel.close();
  });

  const combinations: Record<string, Connect> = {
    'v1 client, 2025-11-25 over legacy SSE': (answers) => connectLegacySse(stateless!.kernel.origin, answers),
    'v1 client, 2025-11-25 over Streamable HTTP sessions': (answers) => connectLegacyHttp(stateful!.kernel.url, answers),
  };

  for (const [name, connect] of Object.entries(combinations)) {
    describe(name, () => {
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
