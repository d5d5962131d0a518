import tseslint from 'typescript-eslint';

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
    ignores: ['core/src/transport/mcp-adapter.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@modelcontextprotocol/*'], message: 'only core/src/transport/mcp-adapter.ts talks to the MCP SDK' },
            { group: ['@cnmcp/plugin-*'], message: 'core never imports a plugin' },
          ],
        },
      ],
    },
  },
);
