// Bundles the client into ../wwwroot (app.js + index.html + app.css); with --tests, also bundles
// test/**/*.test.ts into .test-out/ for node's built-in test runner.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const out = '../wwwroot';
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ['src/main.ts'],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outfile: join(out, 'app.js'),
  logLevel: 'warning',
});
cpSync('public', out, { recursive: true });

if (process.argv.includes('--tests')) {
  rmSync('.test-out', { recursive: true, force: true });
  for (const dir of ['unit', 'e2e']) {
    const entries = readdirSync(join('test', dir)).filter((f) => f.endsWith('.test.ts')).map((f) => join('test', dir, f));
    if (entries.length === 0) continue;
    await build({
      entryPoints: entries,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outdir: join('.test-out', dir),
      outExtension: { '.js': '.mjs' },
      external: ['playwright-core'],
      logLevel: 'warning',
    });
  }
}
