import tseslint from 'typescript-eslint';

// Core's folders, lowest first. A folder imports its own layer and those below it, never one above: the stack of
// docs/architecture.md (cli -> kernel -> admin -> transport -> fast-path -> pipeline -> telemetry/audit -> config/secrets -> net -> plugin).
const LAYERS = [
  ['plugin'],
  ['net'],
  ['config', 'secrets'],
  ['telemetry', 'audit'],
  ['pipeline'],
  ['fast-path'],
  ['transport'],
  ['admin'],
  ['kernel'],
  ['cli', 'scaffold', 'testing'],
];
const SDK = { group: ['@modelcontextprotocol/*'], message: 'only core/src/transport/mcp-adapter.ts talks to the MCP SDK' };
const NO_PLUGIN = { group: ['@cnmcp/plugin-*'], message: 'core never imports a plugin' };
// The one file allowed to talk to the SDK.
const ADAPTER = 'core/src/transport/mcp-adapter.ts';

/** One config per core folder: the SDK and plugin bans, plus every folder above it. */
const layerRules = LAYERS.flatMap((layer, i) => {
  const above = LAYERS.slice(i + 1).flat();
  const upward = above.length
    ? [{ group: above.map((f) => `../${f}/*`), message: `core/src/${layer.join('|')} sits below ${above.join(', ')}: move the shared piece down instead` }]
    : [];
  return layer.flatMap((folder) => {
    const rule = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
    const own = { files: [`core/src/${folder}/**/*.ts`], ignores: ['**/*.test.ts', ADAPTER], rules: rule([SDK, NO_PLUGIN, ...upward]) };
    return folder === 'transport' ? [own, { files: [ADAPTER], rules: rule([NO_PLUGIN, ...upward]) }] : [own];
  });
});

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@cnmcp/plugin-*'], message: 'core never imports a plugin: name it in config and let the kernel load it' }] },
      ],
    },
  },
  {
    files: ['core/src/**/*.ts'],
    ignores: [ADAPTER, '**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [SDK, NO_PLUGIN] }] },
  },
  ...layerRules,
  {
    // Code that runs per request: V8 gives each object literal with an accessor a hidden class of its own, made in
    // the old generation, which keeps what the accessor reaches alive past the young generation.
    files: ['core/src/**/*.ts', 'plugins/*/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ObjectExpression > Property[kind='get'], ObjectExpression > Property[kind='set']",
          message: 'no getter or setter in an object literal: use a class (see core/src/pipeline/http-exchange.ts)',
        },
      ],
    },
  },
);
