import type { AuditEvent } from '@cnmcp/core/plugin';

/** One summary of denials that crossed the threshold within a window. */
export interface DenialSummary {
  readonly windowStart: string;
  readonly windowSeconds: number;
  readonly threshold: number;
  readonly count: number;
  readonly byActor: Readonly<Record<string, number>>;
  readonly byTool: Readonly<Record<string, number>>;
}

/**
 * Counts events with outcome `denied` in fixed windows that start at the first denial; the denial that reaches the
 * threshold yields one summary, later ones in the same window none (a flood posts once per window, not per event).
 */
export class DenialWindow {
  readonly #threshold: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  #start = 0;
  #count = 0;
  #byActor = new Map<string, number>();
  #byTool = new Map<string, number>();

  constructor(threshold: number, windowSeconds: number, now: () => number) {
    this.#threshold = threshold;
    this.#windowMs = windowSeconds * 1000;
    this.#now = now;
  }

  /** The summary when this event is the one that crosses the threshold, else undefined. */
  add(event: AuditEvent): DenialSummary | undefined {
    if (event.outcome !== 'denied') return undefined;
    const now = this.#now();
    if (this.#count === 0 || now - this.#start >= this.#windowMs) {
      this.#start = now;
      this.#count = 0;
      this.#byActor = new Map();
      this.#byTool = new Map();
    }
    this.#count += 1;
    const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
    bump(this.#byActor, event.actor?.id ?? event.source?.ip ?? 'unknown');
    if (event.tool) bump(this.#byTool, event.tool);
    if (this.#count !== this.#threshold) return undefined;
    return {
      windowStart: new Date(this.#start).toISOString(),
      windowSeconds: this.#windowMs / 1000,
      threshold: this.#threshold,
      count: this.#count,
      byActor: Object.fromEntries(this.#byActor),
      byTool: Object.fromEntries(this.#byTool),
    };
  }
}
