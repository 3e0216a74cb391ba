/** Building OpenRosa requests as ODK Collect sends them: the filled instance XML and multipart bodies. */
import { randomUUID } from 'node:crypto';
import { FORM_ID } from '../services/openrosa/xform.js';

export interface SubmissionFields {
  instanceId?: string;
  deprecatedId?: string;
  version?: string;
  occurred?: string;
  location?: string;
  place?: string;
  eventType?: string;
  subEventType?: string;
  fatalities?: number;
  civilians?: number;
  narrative?: string;
  classification?: string;
  scope?: string;
  photos?: string[];
  document?: string;
  deviceId?: string;
}

/** A filled instance of Vigie's form, as Collect writes it (meta last). */
export function submissionXml(f: SubmissionFields = {}): string {
  const instanceId = f.instanceId ?? `uuid:${randomUUID()}`;
  return `<?xml version='1.0' ?><data id="${FORM_ID}" version="${f.version ?? 'test'}" xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms">`
    + `<occurred_start>${f.occurred ?? '2026-03-14T08:30:00.000+00:00'}</occurred_start><time_precision>1</time_precision>`
    + `<event_type>${f.eventType ?? 'violence_against_civilians'}</event_type><sub_event_type>${f.subEventType ?? 'attack'}</sub_event_type>`
    + `<location>${f.location ?? '14.49 -4.19 310.0 5.0'}</location><place>${f.place ?? ''}</place><area/><place_name>Marché de test</place_name><geo_precision>1</geo_precision>`
    + `<actor1>GAN</actor1><actor2>CIVILS</actor2>`
    + `<fatalities_best>${f.fatalities ?? 2}</fatalities_best><civilian_fatalities>${f.civilians ?? 2}</civilian_fatalities><injured>1</injured><abducted>0</abducted>`
    + `<narrative>${f.narrative ?? 'Attaque contre le marché ; deux civils tués.'}</narrative>`
    + `<source><source_name>Poste de gendarmerie</source_name><source_kind>security_forces</source_kind><reliability>B</reliability><credibility>2</credibility></source>`
    + `<classification>${f.classification ?? 'restricted'}</classification><sharing_scope>${f.scope ?? 'national'}</sharing_scope>`
    + `<document>${f.document ?? ''}</document>`
    + (f.photos ?? []).map((p) => `<photo><file>${p}</file></photo>`).join('')
    + `<meta><instanceID>${instanceId}</instanceID>${f.deprecatedId ? `<deprecatedID>${f.deprecatedId}</deprecatedID>` : '<deprecatedID/>'}<deviceID>${f.deviceId ?? 'collect:TEST0001'}</deviceID><instanceName>test</instanceName></meta></data>`;
}

export interface Part { name: string; filename: string; contentType: string; data: Buffer | string }

/** A multipart/form-data body, as Collect posts a submission (the XML part first, then the files). */
export function multipart(parts: Part[]): { payload: Buffer<ArrayBuffer>; headers: Record<string, string> } {
  const boundary = `----vigie${randomUUID().replace(/-/g, '')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    // A part without a file name is a plain field (as a browser's FormData sends a string).
    chunks.push(Buffer.from(p.filename === '' && p.contentType === ''
      ? `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n`
      : `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.contentType}\r\n\r\n`));
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** The XML part of a submission. */
export const xmlPart = (xml: string): Part => ({ name: 'xml_submission_file', filename: 'submission.xml', contentType: 'text/xml', data: xml });

/** A small JPEG with an EXIF segment carrying a GPS position and a camera name, and a comment. */
export function jpegWithExif(): Buffer {
  const segment = (marker: number, body: Buffer) => Buffer.concat([Buffer.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 255]), body]);
  const jfif = segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1'));
  const exif = segment(0xe1, Buffer.from('Exif\0\0MM\0*GPSLatitude 14.4912 GPSLongitude -4.1934 Model TECNO-SPARK', 'latin1'));
  const comment = segment(0xfe, Buffer.from('Prise par le sergent X', 'latin1'));
  const quant = segment(0xdb, Buffer.alloc(65, 1));
  const sos = segment(0xda, Buffer.from([1, 1, 0, 0, 63, 0]));
  return Buffer.concat([Buffer.from([0xff, 0xd8]), jfif, exif, comment, quant, sos, Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56]), Buffer.from([0xff, 0xd9])]);
}

/** A small PDF whose information dictionary names its author and whose XMP stream carries a GPS point. */
export function pdfWithAuthor(text = 'procès-verbal de test'): Buffer {
  const xmp = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description dc:creator="sergent Traore" exif:GPSLatitude="14,29.47N"/></rdf:RDF></x:xmpmeta>';
  const content = `BT /F1 12 Tf 20 100 Td (${text.replace(/[^\x20-\x7e]/g, '?')}) Tj ET`;
  return Buffer.from([
    '%PDF-1.4',
    '1 0 obj\n<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R >>\nendobj',
    '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj',
    '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 6 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>\nendobj',
    '4 0 obj\n<< /Author (sergent Traore) /Title (PV gendarmerie Mopti) /Creator (TECNO-SPARK Scanner) >>\nendobj',
    `5 0 obj\n<< /Type /Metadata /Subtype /XML /Length ${xmp.length} >>\nstream\n${xmp}\nendstream\nendobj`,
    `6 0 obj\n<< /Length ${content.length} >>\nstream\n${content}\nendstream\nendobj`,
    'trailer\n<< /Root 1 0 R /Info 4 0 R /Size 7 >>',
    '%%EOF',
    '',
  ].join('\n'), 'latin1');
}

/** A small WebP (VP8L) with EXIF (GPS, camera) and XMP chunks, announced in its VP8X header. */
export function webpWithExif(): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32LE(body.length, 4);
    return Buffer.concat([head, body, body.length & 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  };
  const vp8x = Buffer.alloc(10);
  vp8x[0] = 0x08 | 0x04;
  const image = chunk('VP8L', Buffer.from([0x2f, 0x00, 0x00, 0x00, 0x00, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0x00]));
  const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), chunk('VP8X', vp8x), image,
    chunk('EXIF', Buffer.from('MM\0*GPSLatitude 14.4912 GPSLongitude -4.1934 Model TECNO-SPARK', 'latin1')),
    chunk('XMP ', Buffer.from('<x:xmpmeta>sergent Traore</x:xmpmeta>', 'latin1'))]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

/** The first bytes of an iPhone HEIC photo and of an MP4 video: formats Vigie refuses. */
export const heicPhoto = () => Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'), Buffer.alloc(64, 7)]);
export const mp4Video = () => Buffer.concat([Buffer.from([0, 0, 0, 32]), Buffer.from('ftypisom\0\0\x02\0isomiso2avc1mp41', 'latin1'), Buffer.alloc(64, 9)]);
