// CertificateRequest, TLS 1.2 and earlier form (RFC 5246 §7.4.4; RFC 4346 §7.4.4 without
// supported_signature_algorithms).

import type { Reader, Writer } from '@tls/record';
import { HandshakeType, ProtocolVersion } from '../../enums.js';
import { encodeHandshake, openHandshake } from '../handshake.js';
import {
  readOpaqueList,
  readU16List,
  readU8List,
  writeOpaqueList,
  writeU16List,
  writeU8List,
} from '../extensions/lists.js';
import { copyBytes } from '@tls/record';

/** ClientCertificateType (RFC 5246 §7.4.4, RFC 8422 §5.5). */
export const ClientCertificateType = { RsaSign: 1, DssSign: 2, EcdsaSign: 64 } as const;
export type ClientCertificateType = number;

export interface Tls12CertificateRequest {
  /** `ClientCertificateType certificate_types<1..2^8-1>`. */
  readonly certificateTypes: readonly ClientCertificateType[];
  /** `SignatureAndHashAlgorithm supported_signature_algorithms<2..2^16-2>`; absent before TLS 1.2. */
  readonly supportedSignatureAlgorithms: readonly number[] | undefined;
  /** `DistinguishedName certificate_authorities<0..2^16-1>`, each DER `<1..2^16-1>`. */
  readonly certificateAuthorities: readonly Uint8Array[];
}

export type DecodedTls12CertificateRequest = Tls12CertificateRequest & { readonly original: Uint8Array };

/**
 * @param version the negotiated version: TLS 1.2 carries supported_signature_algorithms.
 * @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed.
 */
export function readTls12CertificateRequest(
  reader: Reader,
  version: ProtocolVersion,
): Tls12CertificateRequest {
  const certificateTypes = readU8List(reader, 'certificate_types', 1, 255);
  const supportedSignatureAlgorithms =
    version >= ProtocolVersion.Tls12
      ? readU16List(reader, 'supported_signature_algorithms', 2, 0xfffe)
      : undefined;
  const certificateAuthorities = readOpaqueList(reader, 'certificate_authorities', 0, 2, 1);
  reader.expectEnd('CertificateRequest');
  return { certificateTypes, supportedSignatureAlgorithms, certificateAuthorities };
}

/** Writes what `readTls12CertificateRequest` reads; signature algorithms only when present. */
export function writeTls12CertificateRequest(writer: Writer, message: Tls12CertificateRequest): void {
  writeU8List(writer, message.certificateTypes);
  if (message.supportedSignatureAlgorithms !== undefined)
    writeU16List(writer, message.supportedSignatureAlgorithms);
  writeOpaqueList(writer, message.certificateAuthorities, 2);
}

/** Decodes a complete TLS 1.2 (or 1.0/1.1) CertificateRequest. @throws see `readTls12CertificateRequest`. */
export function decodeTls12CertificateRequest(
  message: Uint8Array,
  version: ProtocolVersion,
): DecodedTls12CertificateRequest {
  const original = copyBytes(message);
  return {
    ...readTls12CertificateRequest(openHandshake(original, HandshakeType.CertificateRequest), version),
    original,
  };
}

/**
 * Encodes a TLS 1.2 CertificateRequest with its header.
 * @example encodeTls12CertificateRequest({ certificateTypes: [1, 64], supportedSignatureAlgorithms: [0x0804], certificateAuthorities: [] })
 */
export function encodeTls12CertificateRequest(message: Tls12CertificateRequest): Uint8Array {
  return encodeHandshake(HandshakeType.CertificateRequest, (w) => writeTls12CertificateRequest(w, message));
}
