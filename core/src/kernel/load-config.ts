import type { Plugin } from '../plugin/define-plugin.js';
import { CnmcpAggregateError, CnmcpError } from '../plugin/errors.js';
import { checkPlugin } from './check-plugin.js';
import { deepFreeze } from './deep-freeze.js';
import { BUILTIN_PLUGINS } from './builtin-plugins.js';
import { importModule, pluginsOf, registryKey, resolvePlugin } from './resolve-plugin.js';
import { composeSchema, type SchemaEntry } from '../config/compose-schema.js';
import type { FoundConfig } from '../config/find-config.js';
import { interpolate } from '../config/interpolate.js';
import { fromOriginalEnv } from '../config/original-env.js';
import { telemetryFromEnv } from '../config/telemetry-from-env.js';
import { PLUGIN_SECTIONS, selectionsOf, type PluginSelection } from '../config/sections.js';
import { crossCheck } from '../config/cross-check.js';
import { validateConfig } from '../config/validate-config.js';
import { configValidators } from '../config/config-validators.js';
import { concealValues, sensitiveValues } from '../config/sensitive-values.js';
import type { CnmcpConfig } from '../config/types.js';

/** Config paths the kernel reads before any plugin (the secret store among them) is set up. */
const READ_BEFORE_SECRETS: readonly string[] = ['/auditing/hmacKey', '/auditing/chainKey', '/auditing/previousChainKeys'];

export interface SelectedPlugin extends PluginSelection {
  readonly plugin: Plugin;
}

/** A config ready to run: valid, defaults filled, every selected plugin imported and checked, frozen. */
export interface LoadedConfig {
  readonly config: CnmcpConfig;
  readonly filepath?: string;
  readonly baseDir: string;
  readonly plugins: readonly SelectedPlugin[];
  readonly schema: Record<string, unknown>;
  /** JSON pointers of values built from references. */
  readonly referencePaths: ReadonlySet<string>;
  /** JSON pointers of fields their schema marks secret (`x-cnmcp-secret`), literal or not. */
  readonly secretFieldPaths: ReadonlySet<string>;
  /** Values never to print (from references, secret fields, URL userinfo): logs, errors and answers mask them. */
  readonly resolvedValues: ReadonlySet<string>;
  readonly secretPaths: ReadonlySet<string>;
  /**
   * Checks a JSON Schema (a tool's inputSchema) against the 2020-12 meta-schema with the config's ajv options:
   * undefined when valid, else ajv's message. Compiling the meta-schema is a large part of start-up, so the tool
   * validators use this one (compiled once, or loaded from the cache) instead of compiling it a second time.
   */
  readonly schemaProblems?: (schema: object) => string | undefined;
  /** Where compiled validators are kept between starts (LoadOptions.cacheDir): the tool validators' too. */
  readonly cacheDir?: string;
}

export interface LoadOptions {
  /** Plugins available by name without import (tests, embedding). */
  readonly plugins?: readonly Plugin[];
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Where compiled config validators are kept between starts (the CLI passes ~/.cache/cnmcp or CNMCP_CACHE_DIR);
   * without it they are compiled on every load.
   */
  readonly cacheDir?: string;
}

/**
 * load -> validate, reporting every problem at once with its JSON path. Throws CnmcpAggregateError('CONFIG_INVALID').
 */
export async function loadConfig(found: FoundConfig, options: LoadOptions = {}): Promise<LoadedConfig> {
  const raw = { ...found.config };
  const env = options.env ?? process.env;
  // The original server's MCP_* variables become the sections they stand for (or are refused, naming what to use).
  const fromEnv = fromOriginalEnv(raw, env);
  Object.assign(raw, fromEnv.sections);
  const otel = telemetryFromEnv(raw, env);
  if (otel.telemetry) raw.telemetry = otel.telemetry;
  // Brute-force lockout needs a store; an auth config without one gets the in-memory store, visibly in `config print`.
  if (Array.isArray(raw.auth) && raw.auth.length > 0 && raw.rateLimit === undefined) raw.rateLimit = { use: 'memory' };
  const { value, referencePaths, resolvedValues, secretPaths, problems: interpolationProblems } = interpolate(raw, found.baseDir, options.env);
  const problems = [...fromEnv.problems, ...otel.problems, ...interpolationProblems];
  const registered = new Map<string, Plugin>();
  const register = (plugin: Plugin, path: string) => {
    const key = registryKey(plugin.kind, plugin.name);
    const existing = registered.get(key);
    if (existing && existing !== plugin) problems.push(new CnmcpError('PLUGIN_DUPLICATE', `two plugins are named ${key}`, { path, plugin: key }));
    registered.set(key, plugin);
  };
  for (const plugin of options.plugins ?? []) register(plugin, '/');
  await registerPluginModules(value, found.baseDir, register, problems);

  const selected: SelectedPlugin[] = [];
  for (const selection of selectionsOf(value)) {
    try {
      const plugin = await resolvePlugin(selection.section.kind, selection.use, selection.path, { registered, baseDir: found.baseDir });
      const invalid = checkPlugin(plugin, selection.path);
      if (invalid.length > 0) problems.push(...invalid);
      else selected.push({ ...selection, plugin });
    } catch (error) {
      problems.push(error instanceof CnmcpError ? error : new CnmcpError('PLUGIN_LOAD_FAILED', (error as Error).message, { path: `${selection.path}/use` }));
    }
  }

  const schema = composeSchema(selected.map((s): SchemaEntry => ({ section: s.section.key, use: s.use, plugin: s.plugin })));
  // The audit redactor takes its key when the kernel is built, before the secret store opens: say so plainly
  // instead of reporting the reference's own text as a key too short.
  const tooEarly = [...secretPaths].filter((path) => READ_BEFORE_SECRETS.some((early) => path === early || path.startsWith(`${early}/`)));
  for (const path of tooEarly) {
    problems.push(
      new CnmcpError(
        'CONFIG_SECRET_UNAVAILABLE',
        '${secret:...} cannot be used here: it is read before the secret store opens; use ${env:NAME} or ${file:PATH}',
        {
          path,
        },
      ),
    );
  }
  const secretFields = new Map<string, unknown>();
  const validators = configValidators(schema, options.cacheDir);
  const onSecret = (path: string, fieldValue: unknown) => void secretFields.set(path, fieldValue);
  problems.push(...validateConfig(validators.config, value, { onSecret }).filter((problem) => !tooEarly.includes(problem.path ?? '')));
  if (problems.length === 0) problems.push(...crossCheck(value as unknown as CnmcpConfig, secretPaths));
  const sensitive = sensitiveValues(value, new Set([...resolvedValues, ...otel.sensitive]), secretFields);
  if (problems.length > 0) {
    const concealed = concealValues(problems, value, new Set([...referencePaths, ...secretFields.keys()]), sensitive);
    const where = found.filepath ?? (found.embedded ? 'the embedded default config' : 'the inline config');
    throw new CnmcpAggregateError(
      'CONFIG_INVALID',
      `invalid configuration in ${where} (${problems.length} problem${problems.length > 1 ? 's' : ''}):`,
      concealed,
    );
  }
  return {
    // Frozen all the way down: no plugin, command or rotation changes the config once it is loaded.
    config: deepFreeze(value) as unknown as CnmcpConfig,
    filepath: found.filepath,
    baseDir: found.baseDir,
    plugins: selected,
    schema,
    referencePaths,
    secretFieldPaths: new Set(secretFields.keys()),
    resolvedValues: sensitive,
    secretPaths,
    schemaProblems: validators.schemaProblems,
    ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
  };
}

async function registerPluginModules(config: Record<string, unknown>, baseDir: string, register: (p: Plugin, path: string) => void, problems: CnmcpError[]) {
  const modules = Array.isArray(config.plugins) ? config.plugins : [];
  for (const [index, specifier] of modules.entries()) {
    if (typeof specifier !== 'string') continue;
    const path = `/plugins/${index}`;
    try {
      const found = pluginsOf(await importModule(specifier, baseDir));
      if (found.length === 0) problems.push(new CnmcpError('PLUGIN_INVALID', `"${specifier}" exports no plugin made with definePlugin()`, { path }));
      for (const plugin of found) {
        const invalid = checkPlugin(plugin, path);
        if (invalid.length > 0) problems.push(...invalid);
        else register(plugin, path);
      }
    } catch (error) {
      problems.push(new CnmcpError('PLUGIN_NOT_FOUND', `cannot import "${specifier}": ${(error as Error).message}`, { path }));
    }
  }
}

/** The schema an editor should use: the core sections plus every built-in plugin (and those the config names). */
export async function editorSchema(found: FoundConfig, options: LoadOptions = {}): Promise<Record<string, unknown>> {
  const entries: SchemaEntry[] = [];
  for (const [kind, names] of Object.entries(BUILTIN_PLUGINS)) {
    for (const use of Object.keys(names ?? {})) {
      try {
        const plugin = await resolvePlugin(kind as Plugin['kind'], use, '', { registered: new Map(), baseDir: found.baseDir });
        const section = selectionSectionKey(kind as Plugin['kind']);
        if (section) entries.push({ section, use, plugin });
      } catch {
        // A built-in package that is not installed simply has no schema to offer.
      }
    }
  }
  try {
    const loaded = await loadConfig(found, options);
    for (const s of loaded.plugins)
      if (!entries.some((e) => e.section === s.section.key && e.use === s.use)) entries.push({ section: s.section.key, use: s.use, plugin: s.plugin });
  } catch {
    // An invalid config still gets the built-in schema.
  }
  return composeSchema(entries);
}

const selectionSectionKey = (kind: Plugin['kind']) => PLUGIN_SECTIONS.find((s) => s.kind === kind)?.key;
