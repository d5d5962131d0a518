// Types of e2e-pack.mjs (plain ESM so a spawned `cnmcp serve` can load it; see there).
import type { Plugin } from '@cnmcp/core/plugin';

/** How one e2e_sleep_ms call ended, as its handler saw it. */
export interface SleepSettlement {
  readonly requestId: string;
  readonly ms: number;
  /** True when the full wait elapsed; false when the handler's signal cut it short. */
  readonly completed: boolean;
  readonly aborted: boolean;
  /** String form of the signal's abort reason ('' when not aborted). */
  readonly reason: string;
}

export interface E2ePackOptions {
  /** Plugin name (default 'e2e'); tool names stay the same. */
  readonly name?: string;
  /** Hears every e2e_sleep_ms call as its handler begins. */
  readonly onStarted?: (call: { readonly requestId: string; readonly ms: number }) => void;
  /** Hears how every e2e_sleep_ms call ended. */
  readonly onSettled?: (settlement: SleepSettlement) => void;
}

export declare function createE2ePack(options?: E2ePackOptions): Plugin<'tool-pack'>;

declare const pack: Plugin<'tool-pack'>;
export default pack;
