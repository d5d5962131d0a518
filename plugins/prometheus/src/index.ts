import alertmanager from './alertmanager/alertmanager-pack.js';
import prometheus from './prometheus/prometheus-pack.js';

export { alertmanager, prometheus };
/** Both packs, selected in config as `use: prometheus` and `use: alertmanager`. */
export const plugins = [prometheus, alertmanager];
export default plugins;
