import { BUILTIN_PLUGINS } from '../kernel/builtin-plugins.js';

/** The spellings of one plugin name that templates use. */
export interface NameVariants {
  /** `my-plugin`: package directory, plugin name, `use:` value. */
  readonly kebab: string;
  /** `myPlugin`: variables. */
  readonly camel: string;
  /** `MyPlugin`: types, the auth scheme. */
  readonly pascal: string;
  /** `my_plugin`: tool name prefix (`my_plugin_count_words`). */
  readonly snake: string;
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const MAX_LENGTH = 40;

// Names a new plugin may not take: they would shadow a built-in `use:` name or collide with a package of this repo.
const RESERVED = ['cnmcp', 'core', 'plugin', 'plugins', 'template', 'templates', 'test', 'tests', 'dist', 'node_modules'];

/** Every built-in plugin name of every kind, and the `<name>` of each built-in `@cnmcp/plugin-<name>` package. */
export function reservedNames(): ReadonlySet<string> {
  const names = new Set(RESERVED);
  for (const byName of Object.values(BUILTIN_PLUGINS)) {
    for (const [name, pkg] of Object.entries(byName ?? {})) {
      names.add(name);
      names.add(pkg.replace(/^@cnmcp\/plugin-/, ''));
    }
  }
  return names;
}

/** What is wrong with `name` as a new plugin's name, in words for the command line; undefined when it is fine. */
export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'the name is empty';
  if (name.length > MAX_LENGTH) return `"${name}" is ${name.length} characters long (at most ${MAX_LENGTH})`;
  if (!KEBAB.test(name)) return `"${name}" is not kebab-case: use lowercase letters, digits and single hyphens, starting with a letter (e.g. "my-pack")`;
  if (reservedNames().has(name)) return `"${name}" is reserved (a built-in plugin or package has it): pick another name`;
  return undefined;
}

export function nameVariants(kebab: string): NameVariants {
  const words = kebab.split('-');
  const pascal = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return { kebab, camel: pascal.charAt(0).toLowerCase() + pascal.slice(1), pascal, snake: words.join('_') };
}
