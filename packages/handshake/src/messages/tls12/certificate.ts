// Certificate, TLS 1.2 and earlier form (RFC 5246 §7.4.2): a chain of DER certificates.

import type { Reader, Writer } from '@tls/record';
import { HandshakeType } from '../../enums.js';
import { encodeHandshake, openHandshake } from '../handshake.js';
import { readOpaqueList, writeOpaqueList } from '../extensions/lists.js';
import { copyBytes } from '@tls/record';

export interface Tls12Certificate {
  /** `ASN.1Cert certificate_list<0..2^24-1>`, each `opaque<1..2^24-1>`, sender's certificate first. */
  readonly certificateList: readonly Uint8Array[];
}

export type DecodedTls12Certificate = Tls12Certificate & { readonly original: Uint8Array };

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed (an empty entry included). */
export function readTls12Certificate(reader: Reader): Tls12Certificate {
  const certificateList = readOpaqueList(reader, 'certificate_list', 0, 3, 1, 3);
  reader.expectEnd('Certificate');
  return { certificateList };
}

/** Writes what `readTls12Certificate` reads. @throws RangeError when a certificate is too long. */
export function writeTls12Certificate(writer: Writer, message: Tls12Certificate): void {
  writeOpaqueList(writer, message.certificateList, 3, 3);
}

/** Decodes a complete TLS 1.2 Certificate (header included). @throws see `readTls12Certificate`. */
export function decodeTls12Certificate(message: Uint8Array): DecodedTls12Certificate {
  const original = copyBytes(message);
  return { ...readTls12Certificate(openHandshake(original, HandshakeType.Certificate)), original };
}

/**
 * Encodes a TLS 1.2 Certificate with its header.
 * @example encodeTls12Certificate({ certificateList: [leafDer, intermediateDer] })
 */
export function encodeTls12Certificate(message: Tls12Certificate): Uint8Array {
  const size = message.certificateList.reduce((n, c) => n + 3 + c.length, 8);
  return encodeHandshake(HandshakeType.Certificate, (w) => writeTls12Certificate(w, message), size);
}
