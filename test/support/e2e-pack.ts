// The typed entry for in-process tests. The definition lives once, in e2e-pack.mjs, which a spawned
// `cnmcp serve --transport stdio` also loads by path.
import { fileURLToPath } from 'node:url';

export { createE2ePack } from './e2e-pack.mjs';
export type { E2ePackOptions, SleepSettlement } from './e2e-pack.mjs';

/** The names the pack serves, in the order it declares them. */
export const E2E_TOOL_NAMES = ['e2e_echo_text', 'e2e_sleep_ms', 'e2e_big_text', 'e2e_client_supports', 'e2e_confirm', 'e2e_fail_always'] as const;

/** Absolute path of the pack module, for the config of a spawned server. */
export const E2E_PACK_PATH = fileURLToPath(new URL('./e2e-pack.mjs', import.meta.url));
