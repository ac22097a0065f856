// `npm start`: compile src/ into dist/ when the build is missing or stale, then run dist/main.js in this same
// process (no tsx, no second node). In production run `node dist/main.js` directly.
import { build, isStale } from './build.mjs';

if (isStale()) await build();
await import('../dist/main.js');
