// Extensions whose extension_data is empty in the message they appear in: post_handshake_auth
// (RFC 8446 §4.2.6), extended_master_secret (RFC 7627 §5.1), encrypt_then_mac (RFC 7366 §2),
// early_data in ClientHello and EncryptedExtensions (RFC 8446 §4.2.10), and the server's
// acknowledgements of server_name and status_request (RFC 6066 §3, §8) and the client's request
// for signed_certificate_timestamp (RFC 6962 §3.3.1).

import type { Reader } from '@tls/record';
import { decodeError } from '../../errors.js';

export type EmptyExtensionKind =
  | 'server_name'
  | 'status_request'
  | 'signed_certificate_timestamp'
  | 'early_data'
  | 'post_handshake_auth'
  | 'extended_master_secret'
  | 'encrypt_then_mac';

/** An extension with empty extension_data. */
export interface EmptyExtension<K extends EmptyExtensionKind = EmptyExtensionKind> {
  readonly kind: K;
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when extension_data is not empty. */
export function readEmptyExtension<K extends EmptyExtensionKind>(reader: Reader, kind: K): EmptyExtension<K> {
  if (reader.remaining !== 0)
    throw decodeError(`${kind}: extension_data must be empty, has ${reader.remaining} bytes`);
  return { kind };
}
