/** The `watch` side of a store: listeners called with the name of each changed secret. */
export class ChangeListeners {
  readonly #listeners = new Set<(name: string) => void>();

  add(listener: (name: string) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  notify(names: Iterable<string>): void {
    for (const name of names) {
      for (const listener of this.#listeners) {
        try {
          listener(name);
        } catch {
          // A failing listener must not stop the others from hearing about the change.
        }
      }
    }
  }
}
