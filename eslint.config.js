// Lint: typescript-eslint's type-checked rules plus the layer rule from STYLE.md:
// imports flow cli → agent → taskrunner → drivers → executor, and everything may use model.
// Type information catches what matters in an async supervisor: a promise nobody awaits
// (no-floating-promises) and a switch that forgot a state (switch-exhaustiveness-check).
import tseslint from 'typescript-eslint';

const layer = (folder, forbidden) => ({
  files: [`src/${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: forbidden.map((f) => ({
        group: [`**/${f}/*`, `**/${f}/**`, `../${f}`, `../../${f}`],
        message: `src/${folder} must not import src/${f} (layers: cli → agent → taskrunner → drivers → executor; all may use model).`,
      })),
    }],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**'] },
  // The web UI (ui/) runs in the browser and speaks only the public HTTP API: it may use model's API types (type imports), nothing else of src.
  {
    files: ['ui/**/*.ts', 'ui/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['hcl', 'template', 'jobspec', 'taskrunner', 'drivers', 'executor', 'plugin', 'agent', 'api', 'cli', 'ui-e2e'].map((f) => `**/src/${f}/**`), message: 'ui/ may import only src/model (type imports of the API shapes): it talks to the agent over HTTP.' }],
      }],
    },
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // node:test's test/describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }],
      }],
      // Passing on an error caught as unknown (reject(err)) is how errors travel; a new non-Error rejection is still refused.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // Methods that implement a Promise-returning contract (DriverPlugin, hooks) are async without awaiting.
      '@typescript-eslint/require-await': 'off',
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  layer('model', ['hcl', 'template', 'jobspec', 'taskrunner', 'drivers', 'executor', 'plugin', 'agent', 'api', 'cli']),
  // The HCL front end (parse, locate, report, field readers): only model below it; jobspec, agent and cli use it.
  layer('hcl', ['jobspec', 'taskrunner', 'drivers', 'executor', 'plugin', 'agent', 'api', 'cli']),
  // Go's text/template and consul-template's functions: a library on model only; taskrunner renders with it.
  layer('template', ['hcl', 'jobspec', 'taskrunner', 'drivers', 'executor', 'plugin', 'agent', 'api', 'cli']),
  layer('jobspec', ['taskrunner', 'drivers', 'executor', 'plugin', 'agent', 'api', 'cli']),
  layer('executor', ['hcl', 'jobspec', 'taskrunner', 'drivers', 'plugin', 'agent', 'api', 'cli']),
  layer('drivers', ['hcl', 'jobspec', 'taskrunner', 'plugin', 'agent', 'api', 'cli']),
  layer('taskrunner', ['hcl', 'jobspec', 'plugin', 'agent', 'api', 'cli']),
  layer('plugin', ['hcl', 'jobspec', 'taskrunner', 'agent', 'api', 'cli']),
  layer('agent', ['api', 'cli']),
  layer('api', ['hcl', 'jobspec', 'taskrunner', 'drivers', 'executor', 'plugin', 'agent', 'cli']),
  // Browser tests drive the UI of an agent started through the api harness, as a user would.
  layer('ui-e2e', ['hcl', 'jobspec', 'taskrunner', 'drivers', 'executor', 'plugin', 'agent', 'cli']),
  // cli starts agents but does not reach into them: only src/agent/index.ts, the agent's public surface.
  // (drivers stays open for the driver catalog; plugin is loaded dynamically by `drover plugin`.)
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          {
            group: ['**/agent/*', '**/agent/**', '!**/agent/index.js'],
            message: 'src/cli may import only src/agent/index.js, the agent\'s public surface (add what cli needs there).',
          },
          ...['taskrunner', 'executor'].map((f) => ({
            group: [`**/${f}/*`, `**/${f}/**`],
            message: `src/cli must not import src/${f} (layers: cli → agent → taskrunner → drivers → executor; all may use model).`,
          })),
        ],
      }],
    },
  },
);
