// The rate-limit store family: each store is selected by name under `rateLimit:` (`use: memory`, `use: redis`).
import memory from './memory/plugin.js';
import redis from './redis/plugin.js';

export const plugins = [memory, redis];
export default plugins;
