// status_request (RFC 6066 §8, RFC 8446 §4.4.2.1): the client's (or, in a TLS 1.3
// CertificateRequest, the server's) CertificateStatusRequest, and the CertificateStatus that a
// TLS 1.3 CertificateEntry carries. The TLS 1.2 ServerHello acknowledgement is empty (empty.ts).

import type { Reader, Writer } from '@tls/record';
import { CertificateStatusType } from '../../enums.js';
import { illegalParameter } from '../../errors.js';
import { readOpaqueList, writeOpaqueList } from './lists.js';

/** `CertificateStatusRequest` with status_type ocsp (RFC 6066 §8). */
export interface OcspStatusRequest {
  readonly kind: 'status_request';
  readonly statusType: typeof CertificateStatusType.Ocsp;
  /** `ResponderID responder_id_list<0..2^16-1>`, each an opaque DER ResponderID `<1..2^16-1>`. */
  readonly responderIdList: readonly Uint8Array[];
  /** `Extensions request_extensions<0..2^16-1>`: DER of the OCSP request extensions. */
  readonly requestExtensions: Uint8Array;
}

/** A CertificateStatusRequest of a status_type this stack does not know, kept as bytes. */
export interface OtherStatusRequest {
  readonly kind: 'status_request';
  readonly statusType: number;
  readonly request: Uint8Array;
}

export type CertificateStatusRequest = OcspStatusRequest | OtherStatusRequest;

/** `CertificateStatus` in a TLS 1.3 CertificateEntry: an OCSP response (RFC 8446 §4.4.2.1). */
export interface CertificateStatus {
  readonly kind: 'status_request';
  readonly statusType: typeof CertificateStatusType.Ocsp;
  /** `opaque OCSPResponse<1..2^24-1>`: the DER OCSPResponse (RFC 6960). */
  readonly response: Uint8Array;
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed or outside the RFC's length bounds. */
export function readCertificateStatusRequest(reader: Reader): CertificateStatusRequest {
  const statusType = reader.u8('status_type');
  if (statusType !== CertificateStatusType.Ocsp) {
    return { kind: 'status_request', statusType, request: reader.rest() };
  }
  const responderIdList = readOpaqueList(reader, 'responder_id_list', 0, 2, 1);
  const requestExtensions = reader.vector(2, 'request_extensions');
  return { kind: 'status_request', statusType, responderIdList, requestExtensions };
}

/** Writes what `readCertificateStatusRequest` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeCertificateStatusRequest(writer: Writer, extension: CertificateStatusRequest): void {
  writer.u8(extension.statusType);
  if ('request' in extension) {
    writer.bytes(extension.request);
    return;
  }
  writeOpaqueList(writer, extension.responderIdList, 2);
  writer.vector(2, extension.requestExtensions);
}

/** @throws TlsError `ERR_SSL_ILLEGAL_PARAMETER` for a status_type other than ocsp (the only one requested). */
export function readCertificateStatus(reader: Reader): CertificateStatus {
  const statusType = reader.u8('status_type');
  if (statusType !== CertificateStatusType.Ocsp) {
    throw illegalParameter(`peer sent a certificate status of unknown type ${statusType} (RFC 6066 §8)`);
  }
  return { kind: 'status_request', statusType, response: reader.vector(3, 'OCSPResponse', 1) };
}

/** Writes what `readCertificateStatus` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeCertificateStatus(writer: Writer, extension: CertificateStatus): void {
  writer.u8(extension.statusType).vector(3, extension.response);
}
