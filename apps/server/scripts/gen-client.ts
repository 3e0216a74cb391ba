/** Writes apps/web/src/api/generated.ts and apps/web/src/api/generated/*.ts from the route table (npm run gen:client). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROUTES } from '../src/http/app.js';
import { domainSchemas, generateClient } from '../src/http/client-gen.js';

const api = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src/api');
const files = generateClient(ROUTES, await domainSchemas());
// A tag that no longer has operations leaves no file behind.
fs.rmSync(path.join(api, 'generated'), { recursive: true, force: true });
fs.mkdirSync(path.join(api, 'generated'));
for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(api, name), text);
console.info(`wrote ${Object.keys(files).length} files under ${path.relative(process.cwd(), api)}`);
