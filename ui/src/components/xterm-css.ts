/** xterm.js's stylesheet, in the terminal's lazily loaded chunk. */
import css from '@xterm/xterm/css/xterm.css' with { type: 'text' };
import { installCss } from './lazy-css';

export const install = (): void => installCss('xterm', css);
