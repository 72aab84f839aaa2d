/**
 * The engine's function contract (src/template/engine), restated here until
 * the engine lands on main: a function gets the template's evaluated
 * arguments and returns a value or throws; the engine reports a throw as Go
 * does, "error calling NAME: MESSAGE".
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TemplateFunc = (...args: any[]) => unknown;
export type FuncMap = Readonly<Record<string, TemplateFunc>>;
