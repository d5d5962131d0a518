// The auth plugin family: each strategy is selected by name under `auth:` (`use: apikey | bearer | basic | mtls`).
import apikey from './apikey/plugin.js';
import basic from './basic/plugin.js';
import bearer from './bearer/plugin.js';
import mtls from './mtls/plugin.js';

export const plugins = [apikey, bearer, basic, mtls];
export default plugins;
