// Multi-round tool calls on 2026-07-28 (SEP-2322) attacked as an intruder would: raw HTTP against a real kernel,
// forging, altering and replaying the requestState the server signed, or answering questions it never asked.
// e2e_confirm deletes (says "deleted ...") only after an accepted confirmation.
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createE2ePack } from '../support/e2e-pack.js';
import { jsonRpcMessagesOf, modernRequest, rawRequest } from '../support/raw-http.js';

const ALICE = 'Alice-Admin-Key-000017!';
const BOB = 'Bobby-Admin-Key-000017!';
const ELICITATION = { elicitation: {} };

let server: TestKernel;
beforeAll(async () => {
  server = await startTestKernel({
    config: {
      auth: [
        {
          use: 'apikey',
          keys: [
            { id: 'alice', key: ALICE, roles: ['admin'] },
            { id: 'bob', key: BOB, roles: ['admin'] },
          ],
        },
      ],
      authorization: { use: 'rbac', roles: { admin: { tools: ['*'] } } },
      toolPacks: [{ use: 'e2e' }],
    },
    plugins: [createE2ePack()],
  });
});
afterAll(() => server?.close());

interface Answer {
  readonly status: number;
  readonly result?: {
    resultType?: string;
    inputRequests?: Record<string, { method: string; params: Record<string, unknown> }>;
    requestState?: string;
    content?: { text: string }[];
  };
  readonly error?: { code: number; message: string };
}

async function confirm(key: string, subject: string, extra: Record<string, unknown> = {}): Promise<Answer> {
  const { headers, body } = modernRequest('tools/call', { name: 'e2e_confirm', arguments: { subject }, ...extra }, ELICITATION);
  const res = await rawRequest(server.url, { method: 'POST', headers: { ...headers, 'x-api-key': key }, body });
  const [message] = jsonRpcMessagesOf(res.headers['content-type'] as string | undefined, res.body);
  return { status: res.status, ...(message as object) };
}

/** Round one: the server asks its question and signs the state of the call. */
async function firstRound(key: string, subject: string) {
  const answer = await confirm(key, subject);
  expect(answer.result?.resultType).toBe('input_required');
  const entries = Object.entries(answer.result!.inputRequests!);
  expect(entries).toHaveLength(1);
  const [question, request] = entries[0]!;
  expect(request).toMatchObject({ method: 'elicitation/create', params: { message: `Delete ${subject}?` } });
  return { question, state: answer.result!.requestState! };
}

const accepted = { action: 'accept', content: { confirm: true } };
const texts = (a: Answer) => (a.result?.content ?? []).map((c) => c.text);

describe('input-required rounds resist tampering', () => {
  it('completes an honest second round with the answer', async () => {
    const { question, state } = await firstRound(ALICE, 'pod/a');
    const second = await confirm(ALICE, 'pod/a', { requestState: state, inputResponses: { [question]: accepted } });
    expect(texts(second)).toEqual(['deleted pod/a']);
  });

  it('refuses an altered requestState before the tool runs', async () => {
    const { question, state } = await firstRound(ALICE, 'pod/a');
    const [version, payload, mac] = state.split('.');
    const decoded = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as { p: { asked: string[] } };
    decoded.p.asked = ['anything'];
    const altered = [version, Buffer.from(JSON.stringify(decoded)).toString('base64url'), mac].join('.');
    const answer = await confirm(ALICE, 'pod/a', { requestState: altered, inputResponses: { [question]: accepted } });
    expect(answer.error).toMatchObject({ code: -32602, message: 'Invalid or expired requestState' });
    expect(texts(answer)).toEqual([]);
  });

  it('refuses a state replayed for other arguments: a "yes" for pod/a never deletes pod/b', async () => {
    const { question, state } = await firstRound(ALICE, 'pod/a');
    const answer = await confirm(ALICE, 'pod/b', { requestState: state, inputResponses: { [question]: accepted } });
    expect(answer.error?.code).toBe(-32602);
    expect(answer.error?.message).toContain('requestState was issued for another tool call');
    expect(texts(answer)).toEqual([]);
  });

  it("refuses a state replayed by another identity (bob with alice's state)", async () => {
    const { question, state } = await firstRound(ALICE, 'pod/a');
    const answer = await confirm(BOB, 'pod/a', { requestState: state, inputResponses: { [question]: accepted } });
    expect(answer.error).toMatchObject({ code: -32602, message: 'Invalid or expired requestState' });
    expect(texts(answer)).toEqual([]);
  });

  it('takes an answer given up front (no state) only for the question asked under its key, checked against the schema', async () => {
    const { question } = await firstRound(ALICE, 'pod/a');
    // SEP-2322: the client may answer without a state; the answer is the client's to give either way (it answers
    // the elicitation too), so it serves the question this call asks under that key, and nothing else.
    const upFront = await confirm(ALICE, 'pod/a', { inputResponses: { [question]: accepted, 'q9-other': { action: 'decline' } } });
    expect(texts(upFront)).toEqual(['deleted pod/a']);
    // An answer that does not match the requested schema is refused before the tool sees it.
    const malformed = await confirm(ALICE, 'pod/a', { inputResponses: { [question]: { action: 'accept', content: { confirm: 'yes' } } } });
    expect(malformed.error).toMatchObject({ code: -32602 });
    expect(malformed.error?.message).toContain(`inputResponses.${question}: content does not match the requested schema`);
    // Not an answer at all: never a completed call (the SDK may drop it before us: then the question stays open).
    const notAnAnswer = await confirm(ALICE, 'pod/a', { inputResponses: { [question]: 12345 } });
    expect(notAnAnswer.error?.code ?? notAnAnswer.result?.resultType).toBeOneOf([-32602, 'input_required']);
    expect(texts(notAnAnswer)).toEqual([]);
    // An answer under another key leaves the question open: the server asks again.
    const unasked = await confirm(ALICE, 'pod/a', { inputResponses: { 'q9-other': accepted } });
    expect(unasked.result?.resultType).toBe('input_required');
  });

  it('ignores answers to questions the server did not ask in the last round', async () => {
    // A signed state of a round that asked something else does not carry an answer to this question.
    const { state } = await firstRound(ALICE, 'pod/a');
    const forged = await confirm(ALICE, 'pod/a', { requestState: state, inputResponses: { 'q9-other': accepted } });
    expect(forged.result?.resultType).toBe('input_required');
    expect(texts(forged)).toEqual([]);
  });

  it('answers -32021 (HTTP 400) when the call does not declare elicitation', async () => {
    const { headers, body } = modernRequest('tools/call', { name: 'e2e_confirm', arguments: { subject: 'pod/a' } }, {});
    const res = await rawRequest(server.url, { method: 'POST', headers: { ...headers, 'x-api-key': ALICE }, body });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: -32021, data: { requiredCapabilities: { elicitation: {} } } } });
  });
});
