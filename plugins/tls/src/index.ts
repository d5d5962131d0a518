// The TLS provider family: selected by name under `tls:` (`use: file | acme`).
import file from './file/plugin.js';

export const plugins = [file];
export default plugins;
