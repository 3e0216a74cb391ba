/** Requests the route-policy probes send that take more than a URL: OpenRosa keys, multipart bodies, live streams. */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Cell } from './access-world.js';

/** An API token for the cell's OpenRosa key routes, issued once from its own session; a made-up one without a session. */
const cellKeys = new Map<Cell, Promise<string>>();
export function keyOf(c: Cell): Promise<string> {
  let key = cellKeys.get(c);
  if (!key) {
    key = c.kind !== 'user' ? Promise.resolve('vigie_jeton-inconnu') : c.request({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'odk-probe' } })
      .then((res) => (res.statusCode === 201 ? (res.json() as { token: string }).token : 'vigie_jeton-inconnu'));
    cellKeys.set(c, key);
  }
  return key;
}

/** A multipart submission of a form that is not Vigie's: refused after the access checks. */
export function foreignSubmission(url: string): InjectOptions {
  const boundary = 'vigie-probe-boundary';
  const xml = '<?xml version="1.0"?><data id="autre_formulaire"><meta><instanceID>uuid:00000000-0000-4000-8000-000000000000</instanceID></meta></data>';
  const payload = `--${boundary}\r\nContent-Disposition: form-data; name="xml_submission_file"; filename="submission.xml"\r\nContent-Type: text/xml\r\n\r\n${xml}\r\n--${boundary}--\r\n`;
  return { method: 'POST', url, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Opens a live stream and closes it as soon as its status is known. */
export async function streamStatus(c: Cell, opts: InjectOptions): Promise<LightMyRequestResponse> {
  const abort = new AbortController();
  const res = await c.request({ ...opts, payloadAsStream: true, signal: abort.signal } as InjectOptions);
  const status = res.statusCode;
  let body = '';
  if (status !== 200) {
    const stream = res.stream();
    for await (const chunk of stream) body += String(chunk);
  }
  abort.abort();
  return { ...res, statusCode: status, body, json: () => JSON.parse(body) as unknown } as LightMyRequestResponse;
}

/** A multipart upload of a HEIC photo (a format Vigie refuses) in the part `file`. */
export function heicUpload(url: string): InjectOptions {
  const boundary = 'vigie-probe-boundary';
  const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1')]);
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo.heic"\r\nContent-Type: image/heic\r\n\r\n`), heic, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { method: 'POST', url, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
