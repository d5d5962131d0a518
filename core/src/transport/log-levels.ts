import type { LogLevel } from '../plugin/ports/tool-pack.js';

const SEVERITY: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, notice: 2, warning: 3, error: 4, critical: 5, alert: 6, emergency: 7 };

export const isLogLevel = (value: unknown): value is LogLevel => typeof value === 'string' && Object.hasOwn(SEVERITY, value);

/**
 * The `logging/setLevel` of 2025-era clients, kept by the endpoint rather than by an SDK server instance: a
 * stateless request gets a fresh instance, so the level is kept per session where there is one, and per identity
 * otherwise (a stateless client's later requests). Bounded: the oldest entry goes first.
 */
export class LogLevels {
  readonly #levels = new Map<string, LogLevel>();
  readonly #max: number;

  constructor(max = 10_000) {
    this.#max = max;
  }

  set(key: string, level: LogLevel): void {
    this.#levels.delete(key);
    this.#levels.set(key, level);
    if (this.#levels.size > this.#max) this.#levels.delete(this.#levels.keys().next().value!);
  }

  /** Whether a message at `level` reaches a client whose threshold is kept under `key` (all do without one). */
  allows(key: string, level: LogLevel): boolean {
    const threshold = this.#levels.get(key);
    return threshold === undefined || SEVERITY[level] >= SEVERITY[threshold];
  }
}
