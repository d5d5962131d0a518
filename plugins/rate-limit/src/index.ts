// The rate-limit store family: each store is selected by name under `rateLimit:` (`use: memory`).
import memory from './memory/plugin.js';

export const plugins = [memory];
export default plugins;
