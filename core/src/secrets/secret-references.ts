import { pointerParent } from '../config/json-pointer.js';

/**
 * The `${secret:NAME}` templates of a config, kept before they are first replaced, so that they can be resolved
 * again after a rotation (the kernel's copy of the config then shows current values to whoever reads it next).
 */
export class SecretReferences {
  readonly #templates = new Map<string, string>();

  constructor(config: Record<string, unknown>, paths: ReadonlySet<string>) {
    for (const path of paths) {
      const at = pointerParent(config, path);
      const text = at?.parent[at.key];
      if (typeof text === 'string') this.#templates.set(path, text);
    }
  }

  get size(): number {
    return this.#templates.size;
  }

  /** Every secret name referenced. */
  names(): Set<string> {
    return new Set([...this.#templates.values()].flatMap((t) => [...t.matchAll(/\$\{secret:([^}]*)\}/g)].map((m) => m[1] ?? '')));
  }

  /** Writes each template back into `config`, so that resolving starts again from the references. */
  restore(config: Record<string, unknown>): void {
    for (const [path, text] of this.#templates) {
      const at = pointerParent(config, path);
      if (at) at.parent[at.key] = text;
    }
  }
}
