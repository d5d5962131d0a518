import { CnmcpError, type PromptArgument } from '@cnmcp/core/plugin';

export const LABEL_VALUE = /^[^"\\\n\r]{1,256}$/;
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]{0,255}$/;
export const DURATION = /^[1-9][0-9]{0,4}(ms|s|m|h|d|w|y)$/;

export const arg = (name: string, description: string, required = false): PromptArgument => ({ name, description, required });

/** A prompt argument checked before it reaches the text (and a PromQL selector): the value, or undefined when absent. */
export function checked(args: Readonly<Record<string, string>>, name: string, rule: RegExp, what: string): string | undefined {
  const value = args[name];
  if (value === undefined || value === '') return undefined;
  if (!rule.test(value)) throw new CnmcpError('INVALID_PARAMS', `argument ${name}: "${value.slice(0, 64)}" is not ${what}`);
  return value;
}

/** A prompt's answer: one user message, a line per step. */
export const userText = (lines: readonly string[]) => ({ messages: [{ role: 'user' as const, content: { type: 'text' as const, text: lines.join('\n') } }] });

/** The values starting with what the user typed, distinct and sorted. */
export const startingWith = (values: readonly unknown[], typed: string) =>
  [...new Set(values.filter((v): v is string => typeof v === 'string' && v.startsWith(typed)))].sort();
