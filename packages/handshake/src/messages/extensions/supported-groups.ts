// supported_groups (RFC 8446 §4.2.7; RFC 8422 §5.1.1 for TLS 1.2).

import type { Reader, Writer } from '@tls/record';
import type { NamedGroup } from '@tls/crypto';
import { readU16List, writeU16List } from './lists.js';

export interface SupportedGroups {
  readonly kind: 'supported_groups';
  /** `NamedGroup named_group_list<2..2^16-1>`, in preference order; GREASE and unknown values kept. */
  readonly namedGroupList: readonly NamedGroup[];
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when the list is empty or of odd length. */
export function readSupportedGroups(reader: Reader): SupportedGroups {
  return { kind: 'supported_groups', namedGroupList: readU16List(reader, 'named_group_list', 2, 0xffff) };
}

/** Writes what `readSupportedGroups` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeSupportedGroups(writer: Writer, extension: SupportedGroups): void {
  writeU16List(writer, extension.namedGroupList);
}
