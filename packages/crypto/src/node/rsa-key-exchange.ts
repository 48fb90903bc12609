// Static RSA key exchange of TLS 1.0-1.2 (RFC 5246 §7.4.7.1, RFC 8017 §7.2): the client encrypts
// the premaster secret with RSAES-PKCS1-v1_5; the server decrypts it without a padding oracle.
//
// Node 20 refuses RSA_PKCS1_PADDING in privateDecrypt (CVE-2023-46809, the Marvin attack), so the
// server decrypts with RSA_NO_PADDING and checks the PKCS#1 v1.5 encoding here with masks over
// every byte: no branch and no early exit depends on the decrypted bytes.

import { constants, privateDecrypt, publicEncrypt } from 'node:crypto';
import { CryptoError } from '../errors.js';
import type { PrivateKey, PublicKey } from '../provider.js';
import { asBytes } from './bytes.js';
import { keyRecordOf } from './keys.js';

const premasterLength = 48;

function requireRsa(key: PublicKey | PrivateKey): void {
  if (key.type !== 'rsa') {
    throw new CryptoError(
      'ERR_CRYPTO_KEY_MISMATCH',
      `RSA key exchange needs an rsaEncryption key, not ${key.type}`,
    );
  }
}

/**
 * RSAES-PKCS1-v1_5 encryption (RFC 8017 §7.2.1), the client side of static RSA.
 * @throws CryptoError `ERR_CRYPTO_KEY_MISMATCH` (not an RSA key), `ERR_CRYPTO_INVALID_LENGTH`
 *   (data longer than k - 11 bytes)
 */
export function rsaEncryptPkcs1(key: PublicKey, data: Uint8Array): Uint8Array {
  requireRsa(key);
  const k = Math.ceil(key.bits / 8);
  if (data.length > k - 11) {
    throw new CryptoError(
      'ERR_CRYPTO_INVALID_LENGTH',
      `at most ${k - 11} bytes fit in one ${key.bits}-bit RSA block`,
    );
  }
  return asBytes(
    publicEncrypt({ key: keyRecordOf(key).keyObject, padding: constants.RSA_PKCS1_PADDING }, data),
  );
}

/**
 * RFC 5246 §7.4.7.1: returns the 48-byte premaster secret, or `client_version || 46 random bytes`
 * when the PKCS#1 v1.5 padding, the length or the version bytes are wrong, chosen by mask.
 * @throws CryptoError `ERR_CRYPTO_KEY_MISMATCH` when `key` is not an RSA private key
 */
export function rsaDecryptPremaster(
  key: PrivateKey,
  ciphertext: Uint8Array,
  clientVersion: number,
  random: (length: number) => Uint8Array,
): Uint8Array {
  requireRsa(key);
  const record = keyRecordOf(key);
  if (record.keyObject.type !== 'private')
    throw new CryptoError('ERR_CRYPTO_KEY_MISMATCH', 'needs a private key');
  const k = Math.ceil(key.bits / 8);
  // The fallback is made before decryption so that both paths do the same work.
  const fallback = random(premasterLength);
  fallback[0] = (clientVersion >>> 8) & 0xff;
  fallback[1] = clientVersion & 0xff;

  let encoded: Uint8Array;
  let bad = 0;
  try {
    encoded = privateDecrypt({ key: record.keyObject, padding: constants.RSA_NO_PADDING }, ciphertext);
  } catch {
    // Only public facts make OpenSSL fail here: a ciphertext of the wrong length or >= n.
    encoded = new Uint8Array(k);
    bad = 1;
  }
  // EM = 0x00 || 0x02 || PS (>= 8 non-zero bytes) || 0x00 || M, with M exactly 48 bytes
  // (RFC 8017 §7.2.2 step 3). The lengths are public; the bytes are not.
  if (encoded.length !== k || k < premasterLength + 11) {
    encoded = new Uint8Array(Math.max(k, premasterLength + 11));
    bad = 1;
  }
  const separator = encoded.length - premasterLength - 1;
  bad |= encoded[0]!;
  bad |= encoded[1]! ^ 0x02;
  for (let i = 2; i < separator; i++) {
    // (x - 1) >> 8 is -1 exactly when x is 0.
    bad |= ((encoded[i]! - 1) >> 8) & 1;
  }
  bad |= encoded[separator]!;
  // RFC 5246 §7.4.7.1: the first two bytes must be ClientHello.client_version.
  bad |= encoded[separator + 1]! ^ ((clientVersion >>> 8) & 0xff);
  bad |= encoded[separator + 2]! ^ (clientVersion & 0xff);
  // mask = 0xff when bad != 0, else 0x00, without a branch.
  const mask = -((bad | -bad) >>> 31) & 0xff;
  const out = new Uint8Array(premasterLength);
  for (let i = 0; i < premasterLength; i++) {
    out[i] = (fallback[i]! & mask) | (encoded[separator + 1 + i]! & ~mask & 0xff);
  }
  fallback.fill(0);
  encoded.fill(0);
  return out;
}
