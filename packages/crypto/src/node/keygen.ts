import { generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';

const encodings = {
  jwk: { format: 'jwk' },
  spki: { format: 'der', type: 'spki' },
  pkcs8: { format: 'der', type: 'pkcs8' },
} as const;

/**
 * `generateKeyPairSync` with the public key (and, if asked, the private key) encoded by the
 * generation job itself. Every key pair this package generates goes through here.
 *
 * Why: Node 20 (seen on 20.20) can hang forever when a key fresh from `generateKeyPairSync` is
 * exported. `KeyObject#export` holds the key's mutex while it allocates the JavaScript result; if
 * that allocation starts a garbage collection which finalizes the finished generation job (already
 * garbage, but not yet collected), the job's destructor takes the same mutex and the thread waits
 * on itself. A server generating an X25519 share per handshake and exporting it met this every
 * few tens of thousands of handshakes. Encoding inside the job happens while the job is still
 * referenced, so it cannot be finalized there; the returned KeyObject (when the private key is
 * not encoded) is only ever used, never exported.
 */
export function generateKeyPairEncoded(
  type: string,
  options: object,
  publicKeyEncoding: 'jwk',
): { publicKey: JsonWebKey; privateKey: KeyObject };
export function generateKeyPairEncoded(
  type: string,
  options: object,
  publicKeyEncoding: 'spki',
): { publicKey: Buffer; privateKey: KeyObject };
export function generateKeyPairEncoded(
  type: string,
  options: object,
  publicKeyEncoding: 'spki',
  privateKeyEncoding: 'pkcs8',
): { publicKey: Buffer; privateKey: Buffer };
export function generateKeyPairEncoded(
  type: string,
  options: object,
  publicKeyEncoding: 'jwk' | 'spki',
  privateKeyEncoding?: 'pkcs8',
): { publicKey: JsonWebKey | Buffer; privateKey: KeyObject | Buffer } {
  const generate = generateKeyPairSync as unknown as (
    type: string,
    options: object,
  ) => { publicKey: JsonWebKey | Buffer; privateKey: KeyObject | Buffer };
  return generate(type, {
    ...options,
    publicKeyEncoding: encodings[publicKeyEncoding],
    ...(privateKeyEncoding === undefined ? {} : { privateKeyEncoding: encodings[privateKeyEncoding] }),
  });
}
