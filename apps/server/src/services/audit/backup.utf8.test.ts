import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test-support/engines.js';
import { newIncident, newUser, testVigie } from '../../test-support/factories.js';
import { backupTo, restoreFrom } from './backup.service.js';
import { createIncident } from '../incidents/incident.service.js';
import { getIncident } from '../incidents/incident-reads.js';
import { SYSTEM } from '../principal.js';

describe.each(ENGINES)('backup of French text on %s', (kind) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-utf8-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('restores narratives whose accented letters fall across the file’s read chunks (the demo data did not restore)', async () => {
    const source = await testVigie(kind);
    const target = await testVigie(kind);
    try {
      const analyst = await newUser(source.ctx, { org: 'MLI', role: 'analyst' });
      // Two-byte letters end to end, with an odd offset: some fall across every 64 KiB chunk of the decompressed stream.
      const narrative = `x${'é'.repeat(19_000)}`;
      const ids = [];
      for (let i = 0; i < 8; i++) ids.push((await createIncident(source.ctx, analyst, newIncident({ narrative: `${'à'.repeat(i)}${narrative}`.slice(0, 20_000) }))).incident.id);
      const file = path.join(dir, 'accents.vigie.gz');
      await backupTo(source.ctx, file);
      await restoreFrom(target.ctx, file);
      for (const id of ids) expect((await getIncident(target.ctx, SYSTEM, id)).narrative).toBe((await getIncident(source.ctx, SYSTEM, id)).narrative);
    } finally {
      await source.drop();
      await target.drop();
    }
  });
});
