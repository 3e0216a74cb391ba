/** Writes apps/web/src/api/generated.ts from the route table (npm run gen:client). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROUTES } from '../src/http/app.js';
import { domainSchemas, generateClient } from '../src/http/client-gen.js';

const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src/api/generated.ts');
fs.writeFileSync(target, generateClient(ROUTES, await domainSchemas()));
console.info(`wrote ${path.relative(process.cwd(), target)}`);
