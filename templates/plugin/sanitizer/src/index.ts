import { definePlugin } from '@cnmcp/core/plugin';
import { configSchema, DEFAULT_DENY_PATTERNS } from './config-schema.js';
import { createDenyPatternSanitizer } from './deny-pattern-sanitizer.js';

/**
 * The my-plugin sanitizer: rejects string arguments matching deny patterns, strips control characters from free text.
 *
 * @example
 * plugins: [./plugins/my-plugin]
 * sanitize:
 *   use: my-plugin
 *   denyPatterns: ['ignore (all )?previous instructions', 'DROP\s+TABLE']
 */
export default definePlugin({
  kind: 'sanitizer',
  name: 'my-plugin',
  description: 'Example sanitizer: deny patterns, control characters stripped from free text.',
  configSchema,
  async setup({ config }) {
    return createDenyPatternSanitizer(config.denyPatterns ?? DEFAULT_DENY_PATTERNS);
  },
});
