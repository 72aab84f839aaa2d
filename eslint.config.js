// Lint: typescript-eslint's recommended rules plus the layer rule from STYLE.md:
// imports flow cli → agent → taskrunner → drivers → executor, and everything may use model.
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
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layer('model', ['jobspec', 'taskrunner', 'drivers', 'executor', 'plugin', 'agent', 'api', 'cli']),
  layer('jobspec', ['taskrunner', 'drivers', 'executor', 'plugin', 'agent', 'api', 'cli']),
  layer('executor', ['jobspec', 'taskrunner', 'drivers', 'plugin', 'agent', 'api', 'cli']),
  layer('drivers', ['jobspec', 'taskrunner', 'plugin', 'agent', 'api', 'cli']),
  layer('taskrunner', ['jobspec', 'plugin', 'agent', 'api', 'cli']),
  layer('plugin', ['jobspec', 'taskrunner', 'agent', 'api', 'cli']),
  layer('agent', ['api', 'cli']),
  layer('api', ['jobspec', 'taskrunner', 'drivers', 'executor', 'plugin', 'agent', 'cli']),
);
