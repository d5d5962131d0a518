/**
 * Characters a terminal acts on instead of printing: C0 controls (newline and ESC included, so no ANSI sequence
 * survives), DEL, C1 controls (U+0080-U+009F, CSI among them), and the bidirectional formatting characters
 * (LRM/RLM/ALM, embeddings, overrides, isolates) that reorder what follows.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from the log made safe for a terminal: each unsafe character becomes a visible escape (`\n`, `\x1b`,
 * `\u202e`), and a backslash is doubled so an escape cannot be faked. Audit values come from callers (tool names,
 * user names, user agents): printed raw they could forge lines, hide output or rewrite the screen.
 */
export function terminalSafe(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
