#!/usr/bin/env node
// The `vigie` command. Runs the compiled CLI; `npm run build` (or `npm start`) compiles it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  console.error('vigie: not built yet — run `npm run build` at the repository root first.');
  process.exit(1);
}
await import(main);
