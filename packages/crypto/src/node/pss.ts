// RSASSA-PSS signing with a caller-supplied salt (RFC 8017 §8.1.1 with EMSA-PSS-ENCODE, §9.1.1,
// and MGF1, Appendix B.2.1), for the deterministic provider only: OpenSSL draws the salt itself,
// so replaying a trace (RFC 8448) needs the encoding done here and the raw RSA operation (RSASP1)
// done by OpenSSL. The node provider never uses this.

import { constants, createHash, privateEncrypt } from 'node:crypto';
import type { HashName } from '../provider.js';
import { asBytes } from './bytes.js';
import { nodeHashLength } from './hash.js';
import type { KeyRecord } from './keys.js';

function mgf1(hash: HashName, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const counter = new Uint8Array(4);
  for (let offset = 0, i = 0; offset < length; i++) {
    counter[0] = i >>> 24;
    counter[1] = (i >>> 16) & 0xff;
    counter[2] = (i >>> 8) & 0xff;
    counter[3] = i & 0xff;
    const block = createHash(hash).update(seed).update(counter).digest();
    const take = Math.min(block.length, length - offset);
    out.set(block.subarray(0, take), offset);
    offset += take;
  }
  return out;
}

/** RSASSA-PSS-SIGN of `message` with the given salt; MGF1 uses the same hash (RFC 8446 §4.2.3). */
export function signPssWithSalt(
  record: KeyRecord,
  modulusBits: number,
  hash: HashName,
  message: Uint8Array,
  salt: Uint8Array,
): Uint8Array {
  const hashLength = nodeHashLength(hash);
  const emBits = modulusBits - 1;
  const emLength = Math.ceil(emBits / 8);
  const k = Math.ceil(modulusBits / 8);
  const mHash = createHash(hash).update(message).digest();
  // M' = (0x)00 00 00 00 00 00 00 00 || mHash || salt; H = Hash(M')
  const h = createHash(hash).update(new Uint8Array(8)).update(mHash).update(salt).digest();
  // DB = PS || 0x01 || salt, masked with MGF1(H)
  const dbLength = emLength - hashLength - 1;
  const db = new Uint8Array(dbLength);
  db[dbLength - salt.length - 1] = 0x01;
  db.set(salt, dbLength - salt.length);
  const mask = mgf1(hash, h, dbLength);
  for (let i = 0; i < dbLength; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >>> (8 * emLength - emBits);
  // EM = maskedDB || H || 0xbc, left-padded to k bytes for RSASP1.
  const em = new Uint8Array(k);
  em.set(db, k - emLength);
  em.set(h, k - emLength + dbLength);
  em[k - 1] = 0xbc;
  return asBytes(privateEncrypt({ key: record.keyObject, padding: constants.RSA_NO_PADDING }, em));
}
