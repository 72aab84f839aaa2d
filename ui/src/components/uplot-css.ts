/** uPlot's stylesheet, in uPlot's lazily loaded chunk. */
import css from 'uplot/dist/uPlot.min.css' with { type: 'text' };
import { installCss } from './lazy-css';

export const install = (): void => installCss('uplot', css);
