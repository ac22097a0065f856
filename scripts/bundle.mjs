// Bundles the server into one file, dist/main.js, over the per-file build: one file to read and parse instead of
// hundreds of modules (ours, zod, drizzle, fastify…) for node's module loader to resolve one by one at every start.
// Modules keep their own location: `import.meta.url` in a source file becomes the URL its per-file output would have,
// so the paths found relative to it (../../drizzle, ../package.json, db/initial-data.tar.gz) stay right.
// Left out (loaded from node_modules as before): packages that find files beside their own code (WASM, workers,
// static assets) and those loaded lazily by a direct `import()` (an external's static import would run at start).
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

const EXTERNAL = [
  '@electric-sql/pglite',
  '@electric-sql/pglite-pgvector',
  'quickjs-emscripten',
  'pdfjs-dist',
  'mammoth',
  'html-to-text',
  'pino-pretty',
  '@fastify/swagger-ui',
  'pg-native',
  'esbuild',
  '@anthropic-ai/sdk',
  // Its 4 MB of rank tables would be one more copy of source text held by the bundle; it loads at start either way.
  'gpt-tokenizer',
];

/** esbuild plugin: `import.meta.url` of src/a/b.ts → the URL of dist/a/b.js, computed from the bundle's own URL. */
function ownLocation(src) {
  return {
    name: 'own-location',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        if (!args.path.startsWith(src) || !text.includes('import.meta.url')) return undefined;
        const own = `./${relative(src, args.path).replace(/\.ts$/, '.js')}`;
        return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(own)}, import.meta.url).href`), loader: 'ts' };
      });
    },
  };
}

/** Writes dist/main.js as one ES module (the per-file outputs stay beside it for the build's own use). */
export async function bundleServer(esbuild, src, dist) {
  await esbuild({
    entryPoints: [join(src, 'main.ts')],
    outfile: join(dist, 'main.js'),
    allowOverwrite: true,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    // Less source text for V8 to scan and keep (names stay, so stack traces still read).
    minifyWhitespace: true,
    minifySyntax: true,
    // Bundled CommonJS packages call require() for node's own modules.
    banner: { js: "import { createRequire as __mnemoRequire } from 'node:module'; const require = __mnemoRequire(import.meta.url);" },
    plugins: [ownLocation(src)],
    logLevel: 'warning',
  });
}
