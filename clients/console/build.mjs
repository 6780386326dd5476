// Bundles the console (GraphiQL 5 + explorer + graphql-ws) and Monaco's three workers into dist/, which the
// server's build copies into its output as console/ (see Peregrine.Graph.csproj). Everything the page loads
// comes from the server itself: no CDN at run time, fonts are inlined by GraphiQL's CSS.
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';

const out = 'dist';
rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/assets`, { recursive: true });

const common = {
  bundle: true,
  minify: true,
  legalComments: 'none',
  target: 'es2022',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
};

await build({
  ...common,
  entryPoints: { console: 'src/index.jsx' },
  outdir: `${out}/assets`,
  format: 'esm',
  jsx: 'automatic',
  loader: { '.ttf': 'dataurl', '.woff2': 'dataurl', '.woff': 'dataurl' },
});

// Classic (non-module) workers: every browser Monaco supports can start them.
await build({
  ...common,
  entryPoints: {
    'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
    'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
    'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
  },
  outdir: `${out}/assets`,
  format: 'iife',
});

cpSync('src/index.html', `${out}/index.html`);
