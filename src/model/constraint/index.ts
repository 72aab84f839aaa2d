export * from './constraint.js';
export * from './check.js';
export * from './go-version.js';
export { compileGoRegexp, type GoRegexp } from './go-regexp.js';
