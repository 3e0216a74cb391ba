import { describe, expect, it } from 'vitest';
import { jpegWithExif, webpWithExif } from '../../test-support/openrosa.js';
import { stripJpeg, stripPng, stripWebp } from './strip-images.js';

const crc = () => Buffer.alloc(4);
const chunk = (type: string, body: Buffer) => { const len = Buffer.alloc(4); len.writeUInt32BE(body.length); return Buffer.concat([len, Buffer.from(type, 'latin1'), body, crc()]); };
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('metadata stripping', () => {
  it('drops EXIF (GPS, camera) and comments from a JPEG and keeps the image data byte for byte', () => {
    const input = jpegWithExif();
    const out = stripJpeg(input);
    expect(out.includes(Buffer.from('GPSLatitude'))).toBe(false);
    expect(out.includes(Buffer.from('TECNO'))).toBe(false);
    expect(out.includes(Buffer.from('sergent'))).toBe(false);
    expect(out.includes(Buffer.from('JFIF'))).toBe(true);
    expect(out.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(out.subarray(-7)).toEqual(Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd9]));
    expect(stripJpeg(out)).toEqual(out);
  });

  it('drops what a phone appends after the end of image (a second picture with its own EXIF), MPF and vendor segments', () => {
    const seg = (marker: number, body: string) => Buffer.concat([Buffer.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 255]), Buffer.from(body, 'latin1')]);
    const photo = jpegWithExif();
    const body = photo.subarray(2);
    const input = Buffer.concat([photo.subarray(0, 2), seg(0xe2, 'MPF\0II*\0offsets'), seg(0xe2, 'ICC_PROFILE\0\x01\x01colours'), seg(0xe5, 'RMETA camera'), body, jpegWithExif()]);
    const out = stripJpeg(input);
    expect(out.includes(Buffer.from('GPSLatitude'))).toBe(false);
    expect(out.includes(Buffer.from('MPF'))).toBe(false);
    expect(out.includes(Buffer.from('RMETA'))).toBe(false);
    expect(out.includes(Buffer.from('ICC_PROFILE'))).toBe(true);
    expect(out.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    expect(out.indexOf(Buffer.from([0xff, 0xd8]), 2)).toBe(-1);
  });

  it('drops text and EXIF chunks from a PNG', () => {
    const ihdr = chunk('IHDR', Buffer.alloc(13, 1));
    const png = Buffer.concat([PNG, ihdr, chunk('tEXt', Buffer.from('Author\0sergent X')), chunk('eXIf', Buffer.from('GPS')), chunk('IDAT', Buffer.from([1, 2, 3])), chunk('IEND', Buffer.alloc(0))]);
    const out = stripPng(png);
    expect(out.includes(Buffer.from('sergent'))).toBe(false);
    expect(out.includes(Buffer.from('eXIf'))).toBe(false);
    expect(out).toEqual(Buffer.concat([PNG, ihdr, chunk('IDAT', Buffer.from([1, 2, 3])), chunk('IEND', Buffer.alloc(0))]));
  });

  it('drops EXIF and XMP chunks from a WebP, clears their flags and keeps the image chunk', () => {
    const out = stripWebp(webpWithExif());
    expect(out.includes(Buffer.from('GPSLatitude'))).toBe(false);
    expect(out.includes(Buffer.from('sergent'))).toBe(false);
    expect(out.includes(Buffer.from('VP8L'))).toBe(true);
    expect(out.readUInt32LE(4)).toBe(out.length - 8);
    expect(out[20]! & 0x0c).toBe(0);
  });
});
