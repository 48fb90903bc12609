// PEM (RFC 7468): textual encoding of DER with `-----BEGIN label-----` armor. Several blocks may
// follow each other; text outside blocks is ignored, as OpenSSL does (RFC 7468 §2 explanatory text).

import { X509Error } from './errors.js';

/** One PEM block: its label (e.g. `CERTIFICATE`) and its DER bytes. */
export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
  /** RFC 1421 headers (e.g. `Proc-Type`, `DEK-Info` of traditional encrypted keys), if any. */
  readonly headers: Readonly<Record<string, string>>;
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const decodeTable = /* @__PURE__ */ (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

/**
 * Strict base64 (RFC 4648 §4): whitespace is skipped, padding is required and only at the end.
 * @throws X509Error `ERR_X509_PEM` on any other character or bad padding.
 * @example decodeBase64('AQID') // Uint8Array [1, 2, 3]
 */
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/[\s]/g, '');
  if (clean.length % 4 !== 0) throw new X509Error('ERR_X509_PEM', 'base64 length is not a multiple of 4');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((clean.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    let chunk = 0;
    for (let j = 0; j < 4; j++) {
      const c = clean.charCodeAt(i + j);
      let value: number;
      if (c === 0x3d && i + j >= clean.length - padding) value = 0;
      else {
        value = c < 128 ? decodeTable[c]! : -1;
        if (value < 0) throw new X509Error('ERR_X509_PEM', `invalid base64 character at position ${i + j}`);
      }
      chunk = (chunk << 6) | value;
    }
    if (o < out.length) out[o++] = (chunk >> 16) & 0xff;
    if (o < out.length) out[o++] = (chunk >> 8) & 0xff;
    if (o < out.length) out[o++] = chunk & 0xff;
  }
  return out;
}

/**
 * Base64 with no line breaks.
 * @example encodeBase64(Uint8Array.of(1, 2, 3)) // 'AQID'
 */
export function encodeBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = i + 1 < bytes.length ? bytes[i + 1]! : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2]! : 0;
    const chunk = (a << 16) | (b << 8) | c;
    text += alphabet[(chunk >> 18) & 63]! + alphabet[(chunk >> 12) & 63]!;
    text += i + 1 < bytes.length ? alphabet[(chunk >> 6) & 63]! : '=';
    text += i + 2 < bytes.length ? alphabet[chunk & 63]! : '=';
  }
  return text;
}

/**
 * All PEM blocks in `text`, in order; with `label`, only blocks of that label.
 * @throws X509Error `ERR_X509_PEM` on an unterminated block, mismatched END label or bad base64.
 * @example decodePem(fs.readFileSync('chain.pem', 'utf8'), 'CERTIFICATE').map((b) => b.der)
 */
export function decodePem(text: string, label?: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  const begin = /-----BEGIN ([^-\r\n]*)-----/g;
  for (let match = begin.exec(text); match !== null; match = begin.exec(text)) {
    const found = match[1]!;
    const endMarker = `-----END ${found}-----`;
    const start = match.index + match[0].length;
    const end = text.indexOf(endMarker, start);
    if (end < 0) throw new X509Error('ERR_X509_PEM', `PEM block "${found}" has no "${endMarker}" line`);
    const nextBegin = text.indexOf('-----BEGIN ', start);
    if (nextBegin >= 0 && nextBegin < end)
      throw new X509Error('ERR_X509_PEM', `PEM block "${found}" is not terminated`);
    let body = text.slice(start, end);
    const headers: Record<string, string> = {};
    // RFC 1421 §4.4 headers end at the first blank line.
    if (/^\s*[A-Za-z-]+:/.test(body)) {
      const blank = body.search(/\r?\n\s*\r?\n/);
      if (blank < 0)
        throw new X509Error('ERR_X509_PEM', `PEM block "${found}" has headers but no blank line`);
      for (const line of body.slice(0, blank).split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
      }
      body = body.slice(blank);
    }
    begin.lastIndex = end + endMarker.length;
    if (label !== undefined && found !== label) continue;
    blocks.push({ label: found, der: decodeBase64(body), headers });
  }
  return blocks;
}

/**
 * Armors DER as PEM with 64-character lines (RFC 7468 §2).
 * @example encodePem('CERTIFICATE', der) // '-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n'
 */
export function encodePem(label: string, der: Uint8Array): string {
  const base64 = encodeBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}${lines.length > 0 ? '\n' : ''}-----END ${label}-----\n`;
}
