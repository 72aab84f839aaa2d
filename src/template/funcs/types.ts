/** The engine's function contract, used by every function here. */
export type { FuncMap, TemplateFunc } from '../engine/index.js';
