import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { CnmcpError } from '../plugin/errors.js';

const ACTIONS = new Set(['accept', 'decline', 'cancel']);

/**
 * Checks a client's answer to an elicitation/create question carried in a 2026-07-28 `inputResponses`: an
 * ElicitResult whose action is accept, decline or cancel, and on accept content that satisfies the schema the
 * tool asked with. The 2025 revisions' in-band answers are checked by the SDK; this is the same rule for answers
 * that come back inside the retried call. A non-conforming answer is refused (-32602) before the tool sees it.
 */
export class ElicitationAnswers {
  // The requested schemas are small and a tool asks the same few again and again: compile each once.
  readonly #ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true, validateFormats: true });
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor() {
    (addFormats as unknown as (ajv: Ajv2020) => void)(this.#ajv);
  }

  /** The answer as given when it conforms; CnmcpError INVALID_PARAMS naming the key and the problem otherwise. */
  check(key: string, params: Record<string, unknown>, answer: unknown): Record<string, unknown> {
    const refuse = (why: string) => {
      throw new CnmcpError('INVALID_PARAMS', `inputResponses.${key}: ${why}`);
    };
    if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) return refuse('an elicitation answer must be an object (ElicitResult)');
    const { action, content } = answer as Record<string, unknown>;
    if (typeof action !== 'string' || !ACTIONS.has(action)) return refuse('action must be accept, decline or cancel');
    if (action !== 'accept') return answer as Record<string, unknown>;
    if (content === null || typeof content !== 'object' || Array.isArray(content)) return refuse('an accepted answer needs content (an object)');
    const schema = params.requestedSchema;
    if (schema === undefined) return answer as Record<string, unknown>;
    const validate = this.#validator(schema);
    if (!validate(content))
      return refuse(
        `content does not match the requested schema: ${(validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ')}`,
      );
    return answer as Record<string, unknown>;
  }

  #validator(schema: unknown): ValidateFunction {
    const text = JSON.stringify(schema);
    let validate = this.#compiled.get(text);
    if (!validate) {
      validate = this.#ajv.compile(schema as object);
      if (this.#compiled.size >= 256) this.#compiled.clear();
      this.#compiled.set(text, validate);
    }
    return validate;
  }
}
