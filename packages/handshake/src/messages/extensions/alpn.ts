// application_layer_protocol_negotiation (RFC 7301 §3.1).

import type { Reader, Writer } from '@tls/record';
import { illegalParameter } from '../../errors.js';
import { readOpaqueList, writeOpaqueList } from './lists.js';

export interface ApplicationLayerProtocolNegotiation {
  readonly kind: 'application_layer_protocol_negotiation';
  /**
   * `ProtocolName protocol_name_list<2..2^16-1>`, each `opaque<1..2^8-1>`, as bytes (names are
   * byte strings, usually ASCII such as `h2`). The server's reply holds exactly one.
   */
  readonly protocolNameList: readonly Uint8Array[];
}

/**
 * @param single the server's form: "the ProtocolNameList MUST contain exactly one ProtocolName" (RFC 7301 §3.1).
 * @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed or empty; `ERR_SSL_ILLEGAL_PARAMETER`
 *   when a server's reply does not name exactly one protocol.
 */
export function readApplicationLayerProtocolNegotiation(
  reader: Reader,
  single: boolean,
): ApplicationLayerProtocolNegotiation {
  const protocolNameList = readOpaqueList(reader, 'protocol_name_list', 2, 1, 1);
  if (single && protocolNameList.length !== 1) {
    throw illegalParameter(
      `server selected ${protocolNameList.length} application protocols instead of one (RFC 7301 §3.1)`,
    );
  }
  return { kind: 'application_layer_protocol_negotiation', protocolNameList };
}

/** Writes what `readApplicationLayerProtocolNegotiation` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeApplicationLayerProtocolNegotiation(
  writer: Writer,
  extension: ApplicationLayerProtocolNegotiation,
): void {
  writeOpaqueList(writer, extension.protocolNameList, 1);
}
