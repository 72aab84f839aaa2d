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
  layer('model', ['hcl', 'jobspec', 'taskrunner', 'drivers', 'executor', 'plugin', 'agent', 'api', 'cli']),
  // The HCL front end (parse, locate, report, field readers): only model below it; jobspec, agent and cli use it.
  layer('hcl', ['jobspec', 'taskrunner', 'drivers', 'executor', 'plugin', 'agent', 'api', 'cli']),
  layer('jobspec', ['taskrunner', 'drivers', 'executor', 'plugin', 'agent', 'api', 'cli']),
  layer('executor', ['hcl', 'jobspec', 'taskrunner', 'drivers', 'plugin', 'agent', 'api', 'cli']),
  layer('drivers', ['hcl', 'jobspec', 'taskrunner', 'plugin', 'agent', 'api', 'cli']),
  layer('taskrunner', ['hcl', 'jobspec', 'plugin', 'agent', 'api', 'cli']),
  layer('plugin', ['hcl', 'jobspec', 'taskrunner', 'agent', 'api', 'cli']),
  layer('agent', ['api', 'cli']),
  layer('api', ['hcl', 'jobspec', 'taskrunner', 'drivers', 'executor', 'plugin', 'agent', 'cli']),
);
