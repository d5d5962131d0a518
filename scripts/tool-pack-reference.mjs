// Renders docs/tool-packs/*.md: one page per built-in tool pack, from the tools the pack really serves (its
// inputSchema, outputSchema and annotations after setup with default options), plus an index page.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_PLUGINS, Kernel } from '@cnmcp/core';

const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

const cell = (text) =>
  String(text ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');
const code = (value) => `\`${String(value).replace(/`/g, "'")}\``;

const typeOf = (s) => {
  if (s.enum) return s.enum.map((v) => code(JSON.stringify(v))).join(' | ');
  if (s.const !== undefined) return code(JSON.stringify(s.const));
  if (s.type === 'array') return `${typeOf(s.items ?? {})}[]`;
  if (Array.isArray(s.type)) return s.type.join(' | ');
  if (s.oneOf || s.anyOf) return (s.oneOf ?? s.anyOf).map(typeOf).join(' | ');
  return s.type ?? 'any';
};

// `1..64 chars`, `≤ 8192 chars`, `≥ 0`: a range reads best with both ends, a bound alone with its comparison.
const range = (min, max, unit = '') => {
  if (min === undefined && max === undefined) return undefined;
  const text = min !== undefined && max !== undefined ? `${min}..${max}` : min !== undefined ? `≥ ${min}` : `≤ ${max}`;
  return unit ? `${text} ${unit}` : text;
};

function limitList(s) {
  const out = [range(s.minLength, s.maxLength, 'chars'), range(s.minimum, s.maximum), range(s.minItems, s.maxItems, 'items')].filter(Boolean);
  if (s.exclusiveMinimum !== undefined) out.push(`> ${s.exclusiveMinimum}`);
  if (s.exclusiveMaximum !== undefined) out.push(`< ${s.exclusiveMaximum}`);
  if (s.maxProperties !== undefined) out.push(`≤ ${s.maxProperties} keys`);
  if (s.pattern) out.push(`pattern ${code(s.pattern)}`);
  if (s.format) out.push(`format ${s.format}`);
  if (s.type === 'array' && s.items) out.push(...limitList(s.items).map((l) => `items: ${l}`));
  return out;
}

const limitsOf = (s) => limitList(s).join(', ');

const isString = (s) => s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string')) || (s.enum?.every((v) => typeof v === 'string') ?? false);

// String fields (and arrays or maps of strings) pass through the sanitizer with this policy; the default is `filter`.
function sanitizeOf(s) {
  if (s.type === 'array' && s.items && isString(s.items)) return code(s.items['x-cnmcp-sanitize'] ?? 'filter');
  if (s.type === 'object' && typeof s.additionalProperties === 'object' && isString(s.additionalProperties))
    return `values ${code(s.additionalProperties['x-cnmcp-sanitize'] ?? 'filter')}`;
  return isString(s) ? code(s['x-cnmcp-sanitize'] ?? 'filter') : '';
}

function argumentRows(schema, prefix, out) {
  for (const [key, s] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    const required = (schema.required ?? []).includes(key) ? 'yes' : '';
    const fallback = s.default === undefined ? '' : code(JSON.stringify(s.default));
    out.push(`| ${code(path)} | ${cell(typeOf(s))} | ${required} | ${cell(fallback)} | ${cell(limitsOf(s))} | ${sanitizeOf(s)} | ${cell(s.description)} |`);
    if (s.type === 'object' && s.properties) argumentRows(s, path, out);
    if (s.type === 'array' && s.items?.type === 'object' && s.items.properties) argumentRows(s.items, `${path}[]`, out);
  }
  return out;
}

function outputRows(schema, prefix, out) {
  for (const [key, s] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    out.push(`| ${code(path)} | ${cell(typeOf(s))} | ${(schema.required ?? []).includes(key) ? 'yes' : ''} | ${cell(s.description)} |`);
    if (s.type === 'object' && s.properties) outputRows(s, path, out);
    if (s.type === 'array' && s.items?.type === 'object' && s.items.properties) outputRows(s.items, `${path}[]`, out);
  }
  return out;
}

const HINTS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'];

function hintsOf(tool) {
  const a = tool.annotations ?? {};
  const words = [
    a.readOnlyHint ? 'read-only' : '',
    a.destructiveHint ? 'destructive' : '',
    a.idempotentHint ? 'idempotent' : '',
    a.openWorldHint ? 'open world' : '',
  ];
  return words.filter(Boolean).join(', ') || '-';
}

function toolSection(tool) {
  const a = tool.annotations ?? {};
  const parts = [`## ${code(tool.name)}`, ''];
  if (tool.title) parts.push(`**${tool.title}**`, '');
  parts.push(tool.description, '');
  parts.push(`Annotations: ${HINTS.map((h) => `${code(h)} ${a[h] === undefined ? 'unset' : code(a[h])}`).join(', ')}.`, '');
  const rows = argumentRows(tool.inputSchema, '', []);
  if (rows.length === 0) parts.push('Arguments: none.', '');
  else
    parts.push(
      'Arguments:',
      '',
      '| argument | type | required | default | limits | sanitize | description |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
    );
  if (tool.inputSchema.additionalProperties === false) parts.push('Other arguments are refused.', '');
  if (tool.outputSchema) {
    parts.push(
      'Returns `structuredContent`:',
      '',
      '| field | type | always | description |',
      '| --- | --- | --- | --- |',
      ...outputRows(tool.outputSchema, '', []),
      '',
    );
  }
  return parts.join('\n');
}

// A value for each required option, so a pack that needs (say) a backend URL can be set up to list its tools.
// Nothing is contacted: setup only builds the tool definitions.
function placeholder(schema, key = '') {
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.enum) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  if (schema.oneOf || schema.anyOf) return placeholder((schema.oneOf ?? schema.anyOf)[0], key);
  switch (schema.type) {
    case 'object': {
      const out = {};
      for (const required of schema.required ?? []) out[required] = placeholder(schema.properties?.[required] ?? {}, required);
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => placeholder(schema.items ?? {}, key));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    default: {
      const looksLikeUrl = schema.format === 'uri' || /url|uri|endpoint/i.test(key) || String(schema.pattern ?? '').includes('http');
      return looksLikeUrl ? 'http://127.0.0.1:9' : 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    }
  }
}

async function packPlugin(name) {
  const mod = await import(BUILTIN_PLUGINS['tool-pack'][name]);
  const candidates = [mod.default, mod.plugin, mod.plugins].flat().filter((p) => p && p.kind === 'tool-pack');
  return candidates.find((p) => p.name === name) ?? candidates[0];
}

// Packs whose setup reads a backend description that no schema default can stand in for.
const SETUP_OPTIONS = {
  kubernetes: (dir) => {
    const kubeconfig = join(dir, 'kubeconfig.yaml');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{ name: c, cluster: { server: "https://127.0.0.1:6443" } }]\n' +
        'users: [{ name: u, user: { token: placeholder } }]\ncontexts: [{ name: c, context: { cluster: c, user: u } }]\ncurrent-context: c\n',
    );
    return { kubeconfig };
  },
};

async function packTools(name) {
  const plugin = await packPlugin(name);
  // An empty directory: the reference describes the pack with its default options, not a nearby config.
  const dir = mkdtempSync(join(tmpdir(), 'cnmcp-docs-'));
  const options = { ...(plugin ? placeholder(plugin.configSchema) : {}), ...SETUP_OPTIONS[name]?.(dir) };
  const kernel = await Kernel.load({ config: { toolPacks: [{ ...options, use: name }] }, baseDir: dir, logger: quiet });
  await kernel.setup();
  try {
    const loaded = kernel.config.plugins.find((p) => p.plugin.kind === 'tool-pack')?.plugin;
    return {
      description: loaded?.description ?? '',
      required: Object.keys(options),
      tools: [...kernel.tools()].sort((x, y) => x.name.localeCompare(y.name)),
      ...kernel.catalog(),
    };
  } finally {
    await kernel.stop();
  }
}

/** Prompts served only when several packs are configured together (their `tools` span packs). */
async function crossPackPrompts(names, owners) {
  const dir = mkdtempSync(join(tmpdir(), 'cnmcp-docs-'));
  const toolPacks = [];
  for (const name of names) {
    const plugin = await packPlugin(name);
    toolPacks.push({ ...(plugin ? placeholder(plugin.configSchema) : {}), ...SETUP_OPTIONS[name]?.(dir), use: name });
  }
  const kernel = await Kernel.load({ config: { toolPacks }, baseDir: dir, logger: quiet });
  await kernel.setup();
  try {
    return kernel
      .catalog()
      .prompts.filter((p) => !owners.has(p.name))
      .map((p) => ({ prompt: p, packs: [...new Set((p.tools ?? []).map((t) => owners.get(`tool:${t}`)).filter(Boolean))].sort() }));
  } finally {
    await kernel.stop();
  }
}

function promptSection(prompt, heading = '###') {
  const parts = [`${heading} ${code(prompt.name)}`, ''];
  if (prompt.title) parts.push(`**${prompt.title}**`, '');
  if (prompt.description) parts.push(prompt.description, '');
  if ((prompt.arguments ?? []).length > 0)
    parts.push(
      '| argument | required | description |',
      '| --- | --- | --- |',
      ...prompt.arguments.map((a) => `| ${code(a.name)} | ${a.required ? 'yes' : ''} | ${cell(a.description)} |`),
      '',
    );
  if ((prompt.tools ?? []).length > 0) parts.push(`Tells the model to call: ${prompt.tools.map(code).join(', ')}.`, '');
  return parts.join('\n');
}

function promptsAndResources({ prompts, resources, resourceTemplates }) {
  const parts = [];
  if (prompts.length > 0) {
    parts.push(
      '## Prompts',
      '',
      'Workflows over the tools above (`prompts/list`, `prompts/get`), authorized by the rbac `prompts` globs. A prompt is served only when every tool it names is.',
      '',
      ...prompts.map((p) => promptSection(p)),
    );
  }
  if (resources.length + resourceTemplates.length > 0) {
    parts.push(
      '## Resources',
      '',
      "Read with `resources/read`, authorized by the rbac `resources` globs; a read runs the pack's own read-only tools, so guard rails, impersonation, spans and audit apply as to a tool call.",
      '',
      '| URI | name | description |',
      '| --- | --- | --- |',
      ...resources.map((r) => `| ${code(r.uri)} | ${cell(r.title ?? r.name)} | ${cell(r.description)} |`),
      ...resourceTemplates.map((t) => `| ${code(t.uriTemplate)} (template) | ${cell(t.title ?? t.name)} | ${cell(t.description)} |`),
      '',
    );
  }
  return parts;
}

/** Marks generated pages: only these are rewritten or removed; hand-written guides beside them stay. */
export const GENERATED_MARK = 'Generated by `npm run docs` from the tools each pack serves';
const HEADER = `<!-- ${GENERATED_MARK}. Do not edit: a test fails when it is stale. -->`;

/** Every page, by file name under docs/tool-packs/. */
export async function renderToolPackDocs() {
  const names = Object.keys(BUILTIN_PLUGINS['tool-pack'] ?? {}).sort();
  const pages = new Map();
  const index = [];
  // Who serves what: a prompt in no single pack's catalog spans packs.
  const owners = new Map();
  for (const name of names) {
    const served = await packTools(name);
    const { description, required, tools } = served;
    for (const t of tools) owners.set(`tool:${t.name}`, name);
    for (const p of served.prompts) owners.set(p.name, name);
    index.push(`| [${code(name)}](${name}.md) | ${tools.length} | ${cell(description)} |`);
    const parts = [
      `# ${code(name)} tool pack`,
      '',
      HEADER,
      '',
      description,
      '',
      `Select it with \`toolPacks: [{ use: ${name} }]\`; its options are in the [configuration reference](../configuration.md#use-${name}).`,
      `Tools below are as the pack serves them with its default options${required.length ? ` (and placeholders for the required ${required.map(code).join(', ')})` : ''}; options may change limits such as maxima.`,
      'String arguments pass through the configured sanitizer with the policy shown (`x-cnmcp-sanitize`, default `filter`).',
      '',
      '| tool | title | hints |',
      '| --- | --- | --- |',
      ...tools.map((t) => `| [${code(t.name)}](#${t.name}) | ${cell(t.title ?? '')} | ${hintsOf(t)} |`),
      '',
      ...tools.map(toolSection),
      ...promptsAndResources(served),
    ];
    pages.set(`${name}.md`, `${parts.join('\n').trimEnd()}\n`);
  }
  const indexPage = [
    '# Tool packs',
    '',
    HEADER,
    '',
    'The built-in tool packs, each with every tool, its arguments and annotations, and the prompts and resources it serves. To write your own, see',
    '[Writing a tool pack](../writing-a-tool-pack.md).',
    '',
    '| pack | tools | description |',
    '| --- | --- | --- |',
    ...index,
  ];
  const spanning = await crossPackPrompts(names, owners);
  if (spanning.length > 0) {
    indexPage.push(
      '',
      '## Prompts that span packs',
      '',
      'Served only when every pack they use is configured (core leaves out a prompt whose tools are not all served).',
      '',
      ...spanning.map(({ prompt, packs }) => `${promptSection(prompt)}\nNeeds the packs: ${packs.map(code).join(', ')}.\n`),
    );
  }
  pages.set('README.md', `${indexPage.join('\n').trimEnd()}\n`);
  return pages;
}
