import { inspect } from 'node:util';

const MASK = '***';

/**
 * A sensitive value that never prints itself: `String(s)`, `JSON.stringify(s)` and
 * `console.log(s)` all show `***`. Read the value on purpose with `reveal()`.
 *
 * @example const key = new Secret(process.env.KEY!); logger.info({ key }); // logs "***"
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return MASK;
  }

  toJSON(): string {
    return MASK;
  }

  [inspect.custom](): string {
    return MASK;
  }
}

export const isSecret = (value: unknown): value is Secret => value instanceof Secret;
