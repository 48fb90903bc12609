// The null cipher of the first flight (RFC 8446 §5.1 TLSPlaintext, RFC 5246 §6.2.1).

import { RecordLimits } from '../content-type.js';
import type { OpenedRecord, RecordProtection } from './protection.js';
import { recordHeader } from './protection.js';
import { copyBytes } from '../bytes.js';

export const plaintextProtection: RecordProtection = {
  kind: 'plaintext',
  maxExpansion: 0,
  confidentialityLimit: Number.POSITIVE_INFINITY,
  seal(contentType, version, fragment, _sequence, out) {
    // The caller's bytes are copied: a plaintext record may sit in the output queue a while.
    out.push(recordHeader(contentType, version, fragment.length), copyBytes(fragment));
  },
  open(header, body): OpenedRecord {
    return { contentType: header[0]!, fragment: body };
  },
};

/** For length checks: unprotected records carry at most 2^14 bytes. */
export const plaintextMaxRecord = RecordLimits.MaxPlaintext;
