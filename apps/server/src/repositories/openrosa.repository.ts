/** OpenRosa intake: received submissions and the tokens' device names (the files are in attachment.repository). */
import type { Insertable } from 'kysely';
import type { Trx } from '../db/engine.js';
import type { OpenRosaSubmissionsTable } from '../db/schema.js';

export const findSubmission = (trx: Trx, instanceId: string) =>
  trx.selectFrom('openrosa_submissions').selectAll().where('instance_id', '=', instanceId).executeTakeFirst();

export async function insertSubmission(trx: Trx, row: Insertable<OpenRosaSubmissionsTable>): Promise<void> {
  await trx.insertInto('openrosa_submissions').values(row).execute();
}

/** The name an API token was given (the device it was issued for). */
export const tokenName = (trx: Trx, tokenHash: string) =>
  trx.selectFrom('api_tokens').select(['id', 'name']).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst();
