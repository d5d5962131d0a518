import { describe, expect, it } from 'vitest';
import { terminalSafe } from './terminal-text.js';

describe('terminalSafe', () => {
  it('escapes C0, DEL, C1, ANSI sequences and bidi controls, and leaves other text alone', () => {
    expect(terminalSafe('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(terminalSafe('\u001b[2J\u001b]0;title\u0007')).toBe('\\x1b[2J\\x1b]0;title\\x07');
    expect(terminalSafe('\u007f\u0085\u009b31m')).toBe('\\x7f\\x85\\x9b31m');
    expect(terminalSafe('admin\u202egnp.exe\u2066\u2069\u200e\u200f\u061c')).toBe('admin\\u202egnp.exe\\u2066\\u2069\\u200e\\u200f\\u061c');
    expect(terminalSafe('ünïcode 日本 😀 ok')).toBe('ünïcode 日本 😀 ok');
  });

  it('doubles backslashes, so a caller cannot write an escape that reads like one of ours', () => {
    expect(terminalSafe('\\x1b')).toBe('\\\\x1b');
    expect(terminalSafe('\\\u001b')).toBe('\\\\\\x1b');
  });

  it('leaves nothing a terminal acts on, for every code point up to U+FFFF', () => {
    const all = Array.from({ length: 0x10000 }, (_, i) => (i >= 0xd800 && i <= 0xdfff ? '' : String.fromCharCode(i))).join('');
    expect(terminalSafe(all)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
  });
});
