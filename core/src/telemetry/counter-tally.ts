import type { Attributes, Meter } from '@opentelemetry/api';

/**
 * A counter the kernel adds to on every request, tallied here and read by the SDK at scrape time (an observable
 * counter: the same `_total` series in Prometheus). A synchronous SDK counter sorts and hashes its attributes on
 * every `add`; here a series is found by a key its caller builds from its labels (NUL-separated, each from a small
 * closed set), and its attributes object is made once.
 */
export class CounterTally {
  readonly #series = new Map<string, { readonly attributes: Attributes; value: number }>();

  constructor(meter: Meter, name: string, description: string) {
    meter.createObservableCounter(name, { description }).addCallback((result) => {
      for (const { attributes, value } of this.#series.values()) result.observe(value, attributes);
    });
  }

  /** Adds `n` to the series `key` names; `attributes` are read only the first time the series is seen. */
  add(key: string, n: number, attributes: () => Attributes): void {
    const series = this.#series.get(key);
    if (series) series.value += n;
    else this.#series.set(key, { attributes: attributes(), value: n });
  }
}
