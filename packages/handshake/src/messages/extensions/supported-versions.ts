// supported_versions (RFC 8446 §4.2.1).

import type { Reader, Writer } from '@tls/record';
import type { ProtocolVersion } from '../../enums.js';
import { readU16List, writeU16List } from './lists.js';

/** ClientHello: `ProtocolVersion versions<2..254>`, in preference order. */
export interface SupportedVersionsClientHello {
  readonly kind: 'supported_versions';
  readonly versions: readonly ProtocolVersion[];
}

/** ServerHello and HelloRetryRequest: `ProtocolVersion selected_version`. */
export interface SupportedVersionsServerHello {
  readonly kind: 'supported_versions';
  readonly selectedVersion: ProtocolVersion;
}

export type SupportedVersionsExtension = SupportedVersionsClientHello | SupportedVersionsServerHello;

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when the list is empty, of odd length or longer than 254 bytes. */
export function readSupportedVersionsClientHello(reader: Reader): SupportedVersionsClientHello {
  return { kind: 'supported_versions', versions: readU16List(reader, 'versions', 2, 254, 1) };
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed or outside the RFC's length bounds. */
export function readSupportedVersionsServerHello(reader: Reader): SupportedVersionsServerHello {
  return { kind: 'supported_versions', selectedVersion: reader.u16('selected_version') };
}

/** Writes supported_versions in the form given (versions or selected_version). @throws RangeError when a field is too long for its length prefix. */
export function writeSupportedVersions(writer: Writer, extension: SupportedVersionsExtension): void {
  if ('versions' in extension) writeU16List(writer, extension.versions, 1);
  else writer.u16(extension.selectedVersion);
}
