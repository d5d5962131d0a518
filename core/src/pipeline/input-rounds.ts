import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json.js';
import { CnmcpError } from '../plugin/errors.js';
import type { ClientRequestMethod } from '../plugin/client-capability-error.js';

/**
 * What a 2026-07-28 tool call carries from one round to the next, inside the signed requestState: the call it
 * belongs to (tool and a hash of its arguments, so answers given for one call never unlock another), the answers
 * so far, and the questions of the last round (the only answers the next round accepts).
 */
export interface RoundState {
  readonly tool: string;
  readonly args: string;
  readonly answers: Readonly<Record<string, unknown>>;
  readonly asked: readonly string[];
  /** Each question's key -> a digest of what it asked (method and parameters): an answer serves only that question. */
  readonly questions: Readonly<Record<string, string>>;
}

/** A question the handler asked that has no answer yet: the kernel answers the round with it (input_required). */
export class InputRequired extends CnmcpError {
  constructor() {
    super('INPUT_REQUIRED', 'the tool asked the client for input; the call goes on when the client answers');
    this.name = 'InputRequired';
  }
}

/** What a question's key may be: short, and safe anywhere a client shows or logs it. */
const KEY = /^[A-Za-z0-9_.-]{1,64}$/;

/** Checks a client's answer to a question before the handler sees it (throws to refuse it). */
export type AnswerCheck = (key: string, method: ClientRequestMethod, params: Record<string, unknown>, answer: unknown) => Record<string, unknown>;

const digest = (value: unknown) => createHash('sha256').update(canonicalJson(value)).digest('base64url');

/**
 * The rounds of one 2026-07-28 tool call (SEP-2322 multi-round tool results). The handler runs again from the
 * start on every round; its n-th question is answered from the state when the client answered that very question
 * (same method and parameters), and otherwise recorded and the handler stopped with InputRequired. Pure data:
 * signing the state and the wire shapes are the adapter's business.
 */
export class InputRounds {
  readonly #tool: string;
  readonly #args: string;
  readonly #answers: Record<string, unknown>;
  readonly #questions: Record<string, string>;
  readonly #check: AnswerCheck | undefined;
  /** Answers given without requestState: not yet tied to a question (the first one asked under the key takes it). */
  readonly #unbound = new Map<string, unknown>();
  readonly #pending = new Map<string, { method: ClientRequestMethod; params: Record<string, unknown> }>();
  #asked = 0;

  private constructor(tool: string, args: string, answers: Record<string, unknown>, questions: Record<string, string>, check?: AnswerCheck) {
    this.#check = check;
    this.#tool = tool;
    this.#args = args;
    this.#answers = answers;
    this.#questions = questions;
  }

  /**
   * The rounds of a call to `tool` with `args`: the first (no state), or the next one from a verified state and the
   * client's responses. State issued for another tool or other arguments is refused.
   */
  static resume(
    tool: string,
    args: unknown,
    state: RoundState | undefined,
    responses: Readonly<Record<string, unknown>> | undefined,
    check?: AnswerCheck,
  ): InputRounds {
    const argsDigest = digest(args ?? {});
    if (state === undefined) {
      // Answers that come without state (SEP-2322: a client may answer up front; servers SHOULD ignore what they
      // do not recognize) serve the question of that key this call asks, checked like any answer; the rest is ignored.
      const rounds = new InputRounds(tool, argsDigest, {}, {}, check);
      if (responses !== null && typeof responses === 'object' && !Array.isArray(responses))
        for (const [key, answer] of Object.entries(responses)) if (KEY.test(key)) rounds.#unbound.set(key, answer);
      return rounds;
    }
    if (state.tool !== tool || state.args !== argsDigest)
      throw new CnmcpError('INVALID_PARAMS', 'requestState was issued for another tool call: call again without it, with the same arguments');
    const answers: Record<string, unknown> = { ...state.answers };
    for (const key of state.asked) if (responses && Object.hasOwn(responses, key)) answers[key] = responses[key];
    return new InputRounds(tool, argsDigest, answers, { ...state.questions }, check);
  }

  /**
   * The handler's next question: its answer, or InputRequired (the question is kept for the round's answer). `name`
   * is the question's key on the wire; without one it is made from its position and content.
   */
  ask(method: ClientRequestMethod, params: Record<string, unknown>, name?: string): Record<string, unknown> {
    const question = digest({ method, params });
    this.#asked++;
    if (name !== undefined && !KEY.test(name)) throw new TypeError(`ctx.request key ${JSON.stringify(name)} must match ${KEY}`);
    const key = name ?? `q${this.#asked}-${question.slice(0, 12)}`;
    if (Object.hasOwn(this.#answers, key) && this.#questions[key] === question) {
      const answer = this.#answers[key];
      return this.#check ? this.#check(key, method, params, answer) : (answer as Record<string, unknown>);
    }
    if (this.#unbound.has(key) && !Object.hasOwn(this.#questions, key)) {
      const answer = this.#unbound.get(key);
      this.#unbound.delete(key);
      this.#questions[key] = question;
      this.#answers[key] = answer;
      return this.#check ? this.#check(key, method, params, answer) : (answer as Record<string, unknown>);
    }
    if (this.#pending.has(key) && this.#questions[key] !== question)
      throw new TypeError(`ctx.request key ${JSON.stringify(key)} names two different questions in one call`);
    this.#questions[key] = question;
    this.#pending.set(key, { method, params });
    throw new InputRequired();
  }

  /** The questions this round leaves open, keyed as the client must answer them; empty when the call completed. */
  get pending(): ReadonlyMap<string, { method: ClientRequestMethod; params: Record<string, unknown> }> {
    return this.#pending;
  }

  /** The state the next round needs (to be signed before it leaves). */
  next(): RoundState {
    return { tool: this.#tool, args: this.#args, answers: this.#answers, asked: [...this.#pending.keys()], questions: this.#questions };
  }
}
