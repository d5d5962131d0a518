// The auth plugin family: each strategy is selected by name under `auth:` (`use: apikey | bearer | basic`).
import apikey from './apikey/plugin.js';
import basic from './basic/plugin.js';
import bearer from './bearer/plugin.js';

export const plugins = [apikey, bearer, basic];
export default plugins;
