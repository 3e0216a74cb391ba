/**
 * PostgreSQL's COPY for the reads that write a file: `COPY (query) TO STDOUT` sends the rows as the file's own text,
 * written by the server's C code, with no message and no value per row for the driver to decode.
 */
import type { Compilable } from 'kysely';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

/**
 * The query's text with its parameters written in as literals: COPY takes no parameters. Each value is a quoted
 * literal of unknown type (as a parameter is, its type read from where it stands), `null` as is; `$n` is replaced only
 * outside quoted literals and identifiers. A value of a type this does not write is refused (never guessed).
 */
export function inlineParameters(text: string, parameters: readonly unknown[]): string {
  const literal = (n: number): string => {
    if (n < 1 || n > parameters.length) throw new Error(`query parameter $${n} has no value`);
    const v = parameters[n - 1];
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'string') return pg.escapeLiteral(v);
    if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'bigint' || typeof v === 'boolean') return `'${String(v)}'`;
    throw new Error(`query parameter $${n}: a ${typeof v} is not written into a COPY`);
  };
  let out = '';
  let k = 0;
  while (k < text.length) {
    const c = text[k] as string;
    if (c === "'" || c === '"') {
      // A literal or quoted identifier, its quote doubled inside: copied as it is.
      let end = k + 1;
      for (;;) {
        end = text.indexOf(c, end);
        if (end < 0) throw new Error('query text with an unterminated quote');
        if (text[end + 1] === c) end += 2;
        else break;
      }
      out += text.slice(k, end + 1);
      k = end + 1;
    } else if (c === '$' && /[0-9]/.test(text[k + 1] ?? '')) {
      let end = k + 1;
      while (/[0-9]/.test(text[end] ?? '')) end++;
      out += literal(Number(text.slice(k + 1, end)));
      k = end;
    } else {
      out += c;
      k++;
    }
  }
  return out;
}

/**
 * The bytes of `COPY (query) TO STDOUT (options)`, read on a connection of the pool, in a transaction of its own where
 * `settings` hold (SET LOCAL: the connection goes back to the pool as it was).
 */
export async function copyOut(pool: pg.Pool, query: Compilable<unknown>, options: string, settings: Record<string, string> = {}): Promise<Buffer> {
  const { sql: text, parameters } = query.compile();
  const copy = `copy (${inlineParameters(text, parameters)}) to stdout (${options})`;
  const client = await pool.connect();
  let failed: Error | undefined;
  try {
    await client.query('begin read only');
    for (const [name, value] of Object.entries(settings)) await client.query('select set_config($1, $2, true)', [name, value]);
    const chunks: Buffer[] = [];
    for await (const chunk of client.query(copyTo(copy))) chunks.push(chunk as Buffer);
    await client.query('commit');
    return Buffer.concat(chunks);
  } catch (e) {
    failed = e as Error;
    throw e;
  } finally {
    // A connection whose COPY failed is closed, not handed out again mid-transaction.
    client.release(failed);
  }
}
