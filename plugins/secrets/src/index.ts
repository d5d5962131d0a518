// The secret-store plugin family, selected under `secrets:` (`use: memory | env | file | kubernetes`).
import env from './env/plugin.js';
import file from './file/plugin.js';
import kubernetes from './kubernetes/plugin.js';
import memory from './memory/plugin.js';

export const plugins = [memory, env, file, kubernetes];
export default plugins;
