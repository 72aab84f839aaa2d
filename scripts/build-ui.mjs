// Bundles the web UI (ui/) with esbuild into dist/ui: hashed, minified ES modules and CSS
// the agent serves under /ui, and an index.html that names them. Heavy parts (the exec
// terminal, the charts) are split into chunks loaded when a page first needs them.
// `--watch` rebuilds on change for UI work.
import { build, context } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { basename, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'dist/ui');
const watch = process.argv.includes('--watch');

/** Writes index.html with the entry's hashed script and stylesheet. */
const writeIndex = {
  name: 'index-html',
  setup(b) {
    b.onEnd((result) => {
      if (result.errors.length > 0 || !result.metafile) return;
      const outputs = Object.entries(result.metafile.outputs);
      const entry = outputs.find(([, o]) => o.entryPoint === 'ui/src/main.tsx');
      if (!entry) throw new Error('build-ui: no output for ui/src/main.tsx');
      const js = basename(entry[0]);
      const css = entry[1].cssBundle ? basename(entry[1].cssBundle) : undefined;
      // The chunks the entry imports statically (shared with lazily loaded pages) are fetched
      // alongside it, not after it has been read.
      const preloads = entry[1].imports.filter((i) => i.kind === 'import-statement').map((i) => `<link rel="modulepreload" href="/ui/assets/${basename(i.path)}">`);
      const html = readFileSync(join(root, 'ui/index.html'), 'utf8')
        .replace('<!--styles-->', [css ? `<link rel="stylesheet" href="/ui/assets/${css}">` : '', ...preloads].join('\n'))
        .replace('<!--script-->', `<script type="module" src="/ui/assets/${js}"></script>`);
      writeFileSync(join(out, 'index.html'), html);
      writeFileSync(join(out, 'meta.json'), JSON.stringify(result.metafile));
      if (!watch) compressAssets();
    });
  },
};

/** .gz and .br beside each script and stylesheet: the agent sends them as is to browsers that accept them. */
function compressAssets() {
  const dir = join(out, 'assets');
  for (const name of readdirSync(dir)) {
    if (!/\.(js|css)$/.test(name)) continue;
    const data = readFileSync(join(dir, name));
    writeFileSync(join(dir, `${name}.gz`), gzipSync(data, { level: 9 }));
    writeFileSync(join(dir, `${name}.br`), brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
}

const options = {
  absWorkingDir: root,
  entryPoints: ['ui/src/main.tsx'],
  outdir: join(out, 'assets'),
  bundle: true,
  splitting: true,
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: !watch,
  sourcemap: 'linked',
  entryNames: '[name]-[hash]',
  chunkNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
  plugins: [writeIndex],
};

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });
if (watch) {
  const ctx = await context(options);
  await ctx.watch();
  console.error('build-ui: watching ui/');
} else {
  await build(options);
}
