import { resolveSecretReferences, SECRET_REFERENCE } from '../config/interpolate.js';
import { pointerParent } from '../config/json-pointer.js';
import { CnmcpAggregateError } from '../plugin/errors.js';
import { deepFreeze } from './deep-freeze.js';

/**
 * The values of the config's `${secret:NAME}` references, kept beside the loaded config and never written into it:
 * the loaded config stays frozen and holds the references, this view holds what they resolve to. A rotation builds
 * a whole new set of values and swaps it in at once, so a reader sees the old values or the new ones, never a
 * reference in between.
 */
export class ResolvedSecrets {
  readonly #config: Readonly<Record<string, unknown>>;
  readonly #paths: ReadonlySet<string>;
  #values: ReadonlyMap<string, string> = new Map();

  constructor(config: Readonly<Record<string, unknown>>, paths: ReadonlySet<string>) {
    this.#config = config;
    this.#paths = paths;
  }

  get size(): number {
    return this.#paths.size;
  }

  /** Every secret name referenced. */
  names(): Set<string> {
    return new Set(
      [...this.#paths].flatMap((path) => {
        const at = pointerParent(this.#config as Record<string, unknown>, path);
        const text = at?.parent[at.key];
        return typeof text === 'string' ? [...text.matchAll(SECRET_REFERENCE)].map((m) => m[1] ?? '') : [];
      }),
    );
  }

  /** Reads every referenced secret and swaps the new values in; on any problem the previous values stay. */
  async resolve(read: (name: string) => Promise<string>): Promise<void> {
    const { values, problems } = await resolveSecretReferences(this.#config, this.#paths, read);
    if (problems.length > 0) throw new CnmcpAggregateError('CONFIG_INVALID', 'secret references could not be resolved:', problems);
    this.#values = values;
  }

  /**
   * The options at `pointer` (a plugin's entry, e.g. `/auth/0`) with every reference under it resolved: a deep,
   * frozen copy, so that neither the plugin nor a later rotation can change what the other holds.
   */
  optionsAt(pointer: string): Readonly<Record<string, unknown>> {
    const at = pointerParent(this.#config as Record<string, unknown>, pointer);
    const copy = structuredClone((at?.parent[at.key] ?? {}) as Record<string, unknown>);
    for (const [path, value] of this.#values) {
      if (!path.startsWith(`${pointer}/`)) continue;
      const target = pointerParent(copy, path.slice(pointer.length));
      if (target) target.parent[target.key] = value;
    }
    return deepFreeze(copy);
  }
}
