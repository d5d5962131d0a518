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
}

/** A question the handler asked that has no answer yet: the kernel answers the round with it (input_required). */
export class InputRequired extends CnmcpError {
  constructor() {
    super('INPUT_REQUIRED', 'the tool asked the client for input; the call goes on when the client answers');
    this.name = 'InputRequired';
  }
}

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
  readonly #pending = new Map<string, { method: ClientRequestMethod; params: Record<string, unknown> }>();
  #asked = 0;

  private constructor(tool: string, args: string, answers: Record<string, unknown>) {
    this.#tool = tool;
    this.#args = args;
    this.#answers = answers;
  }

  /**
   * The rounds of a call to `tool` with `args`: the first (no state), or the next one from a verified state and the
   * client's responses. State issued for another tool or other arguments is refused.
   */
  static resume(tool: string, args: unknown, state: RoundState | undefined, responses: Readonly<Record<string, unknown>> | undefined): InputRounds {
    const argsDigest = digest(args ?? {});
    if (state === undefined) return new InputRounds(tool, argsDigest, {});
    if (state.tool !== tool || state.args !== argsDigest)
      throw new CnmcpError('INVALID_PARAMS', 'requestState was issued for another tool call: call again without it, with the same arguments');
    const answers: Record<string, unknown> = { ...state.answers };
    for (const key of state.asked) if (responses && Object.hasOwn(responses, key)) answers[key] = responses[key];
    return new InputRounds(tool, argsDigest, answers);
  }

  /** The handler's next question: its answer, or InputRequired (the question is kept for the round's answer). */
  ask(method: ClientRequestMethod, params: Record<string, unknown>): Record<string, unknown> {
    const key = `q${++this.#asked}-${digest({ method, params }).slice(0, 12)}`;
    if (Object.hasOwn(this.#answers, key)) return this.#answers[key] as Record<string, unknown>;
    this.#pending.set(key, { method, params });
    throw new InputRequired();
  }

  /** The questions this round leaves open, keyed as the client must answer them; empty when the call completed. */
  get pending(): ReadonlyMap<string, { method: ClientRequestMethod; params: Record<string, unknown> }> {
    return this.#pending;
  }

  /** The state the next round needs (to be signed before it leaves). */
  next(): RoundState {
    return { tool: this.#tool, args: this.#args, answers: this.#answers, asked: [...this.#pending.keys()] };
  }
}
