#!/usr/bin/env node
// Fails when a package that `npm ci` installs asks for a Node.js the project says it runs on but the package does not
// support — what npm reports as EBADENGINE. Every package in package-lock.json with `engines.node` must accept every
// version of the root package's `engines.node` (semver subset). Optional packages are left out: npm skips those
// that do not fit instead of warning. Usage: node scripts/check-engines.mjs [path/to/package-lock.json]
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';

/** The packages of a lock file whose stated Node.js range does not cover the root's, with what each asks for. */
export function engineConflicts(lock) {
  const stated = lock.packages?.['']?.engines?.node;
  if (!stated) return [{ name: '(root)', version: '', node: 'missing engines.node in package.json' }];
  const out = [];
  for (const [where, pkg] of Object.entries(lock.packages ?? {})) {
    const node = pkg.engines?.node;
    if (!where || !node || pkg.optional) continue;
    if (!semver.validRange(node) || !semver.subset(stated, node)) {
      out.push({ name: where.replace(/^.*node_modules\//, ''), version: pkg.version, node, where });
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = path.resolve(process.argv[2] ?? 'package-lock.json');
  const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
  const conflicts = engineConflicts(lock);
  for (const c of conflicts) console.error(`EBADENGINE: ${c.name}@${c.version} wants node ${c.node}, the project says ${lock.packages[''].engines?.node} (${c.where})`);
  if (conflicts.length) process.exit(1);
  console.log(`engines: every package of ${path.basename(file)} runs on node ${lock.packages[''].engines.node}`);
}
