import { CnmcpError, type Sanitizer } from '@cnmcp/core/plugin';

// C0 controls and DEL, except tab, line feed and carriage return: invisible in logs and prompts, never needed in free text.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * The example sanitizer. Per field policy (`x-cnmcp-sanitize` in the tool's schema): `raw` passes untouched; every
 * other policy rejects a value matching a deny pattern; `filter` (free text, the default) also strips control
 * characters. A change is reported to the audit log by the kernel, which then validates the arguments again.
 */
export function createDenyPatternSanitizer(denyPatterns: readonly string[]): Sanitizer {
  const patterns = denyPatterns.map((source, index) => {
    try {
      return new RegExp(source, 'iu');
    } catch (error) {
      // A pattern that does not compile would silently deny nothing: stop the server instead, naming it.
      throw new CnmcpError('CONFIG_INVALID', `denyPatterns[${index}] is not a valid regular expression: ${(error as Error).message}`, {
        path: `/denyPatterns/${index}`,
      });
    }
  });
  return {
    sanitize(value, policy, path) {
      if (policy === 'raw') return { value };
      const denied = patterns.findIndex((p) => p.test(value));
      // The reason reaches the client: name the field and the rule, never echo the value.
      if (denied >= 0) return { reject: `${path} matches deny pattern ${denied}` };
      return { value: policy === 'filter' ? value.replace(CONTROL, '') : value };
    },
  };
}
