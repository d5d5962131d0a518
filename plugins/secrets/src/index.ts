// The secret-store plugin family, selected under `secrets:` (`use: memory | env | file`).
import env from './env/plugin.js';
import file from './file/plugin.js';
import memory from './memory/plugin.js';

export const plugins = [memory, env, file];
export default plugins;
