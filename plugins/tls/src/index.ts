// The TLS provider family: selected by name under `tls:` (`use: file | acme`).
import acme from './acme/plugin.js';
import file from './file/plugin.js';

export const plugins = [file, acme];
export default plugins;
