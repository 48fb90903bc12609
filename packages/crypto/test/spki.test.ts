// The SubjectPublicKeyInfo fast path (src/node/spki.ts): for the common key shapes it gives the
// same key as node's DER decoder, it declines everything else, and — checked with fast-check over
// mutated encodings — it never accepts an input node:crypto rejects or reads it differently.
import { createECDH, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { publicKeyFromSpki } from '../src/node/spki.js';
import { fromHex, thrownCode, toHex } from './helpers.js';

const provider = createNodeCryptoProvider();
const spkiOf = (pair: { publicKey: import('node:crypto').KeyObject }) =>
  new Uint8Array(pair.publicKey.export({ format: 'der', type: 'spki' }));

const common: Array<[string, Uint8Array, string, number]> = [
  ['RSA 1024', spkiOf(generateKeyPairSync('rsa', { modulusLength: 1024 })), 'rsa', 1024],
  [
    'RSA 2048 e=3',
    spkiOf(generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 })),
    'rsa',
    2048,
  ],
  ['RSA 4096', spkiOf(generateKeyPairSync('rsa', { modulusLength: 4096 })), 'rsa', 4096],
  ['P-256', spkiOf(generateKeyPairSync('ec', { namedCurve: 'prime256v1' })), 'ec', 256],
  ['P-384', spkiOf(generateKeyPairSync('ec', { namedCurve: 'secp384r1' })), 'ec', 384],
  ['P-521', spkiOf(generateKeyPairSync('ec', { namedCurve: 'secp521r1' })), 'ec', 521],
  ['Ed25519', spkiOf(generateKeyPairSync('ed25519')), 'ed25519', 256],
  ['Ed448', spkiOf(generateKeyPairSync('ed448')), 'ed448', 456],
];

function nodeReads(der: Uint8Array): string | undefined {
  try {
    return createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' })
      .export({ format: 'der', type: 'spki' })
      .toString('hex');
  } catch {
    return undefined;
  }
}

describe('SPKI fast path', () => {
  for (const [name, der, type, bits] of common) {
    it(`${name}: takes the fast path and gives node's key, keeping the caller's encoding`, () => {
      const fast = publicKeyFromSpki(der);
      expect(fast).toBeDefined();
      expect(fast!.export({ format: 'der', type: 'spki' }).toString('hex')).toBe(toHex(der));
      const key = provider.importPublicKey({ key: der });
      expect([key.type, key.bits, toHex(key.spki)]).toEqual([type, bits, toHex(der)]);
      const pem = `-----BEGIN PUBLIC KEY-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PUBLIC KEY-----\n`;
      expect(toHex(provider.importPublicKey({ key: pem }).spki)).toBe(toHex(der));
    });
  }

  it('declines other shapes, which node then imports or rejects as before', () => {
    const rsaPss = spkiOf(generateKeyPairSync('rsa-pss', { modulusLength: 1024 }));
    const x25519 = spkiOf(generateKeyPairSync('x25519'));
    const k1 = spkiOf(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }));
    const p256 = common[3]![1];
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    // Same AlgorithmIdentifier as P-256, with a 33-byte compressed point (RFC 5480 §2.2).
    const compressed = fromHex(
      `3039301306072a8648ce3d020106082a8648ce3d030107032200${ecdh.getPublicKey('hex', 'compressed')}`,
    );
    for (const der of [rsaPss, x25519, k1, compressed]) expect(publicKeyFromSpki(der)).toBeUndefined();
    expect(provider.importPublicKey({ key: rsaPss }).type).toBe('rsa-pss');
    expect(provider.importPublicKey({ key: compressed }).curve).toBe('P-256');
    expect(thrownCode(() => provider.importPublicKey({ key: k1 }))).toBe('ERR_CRYPTO_UNSUPPORTED_ALGORITHM');
    expect(thrownCode(() => provider.importPublicKey({ key: x25519 }))).toBe(
      'ERR_CRYPTO_UNSUPPORTED_ALGORITHM',
    );
    // Trailing bytes and an off-curve point.
    expect(publicKeyFromSpki(new Uint8Array([...p256, 0]))).toBeUndefined();
    const offCurve = p256.slice();
    offCurve[offCurve.length - 1]! ^= 1;
    expect(publicKeyFromSpki(offCurve)).toBeUndefined();
    expect(thrownCode(() => provider.importPublicKey({ key: offCurve }))).toBe('ERR_CRYPTO_INVALID_KEY');
  });

  it('never accepts what node rejects, nor reads a key differently (mutated encodings)', () => {
    let accepted = 0;
    const mutation = fc.record({
      index: fc.integer({ min: 0, max: 3 }),
      position: fc.nat(),
      value: fc.integer({ min: 0, max: 255 }),
      kind: fc.constantFrom('set', 'insert', 'delete', 'truncate'),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(0, 3, 4, 5, 6, 7),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (which, edits) => {
          let der = common[which]![1].slice();
          for (const edit of edits) {
            // Mutations cluster in the header, where the structure is.
            const at = edit.position % Math.min(der.length, 40 + edit.index * 100);
            if (edit.kind === 'set') der[at] = edit.value;
            else if (edit.kind === 'insert')
              der = new Uint8Array([...der.subarray(0, at), edit.value, ...der.subarray(at)]);
            else if (edit.kind === 'delete')
              der = new Uint8Array([...der.subarray(0, at), ...der.subarray(at + 1)]);
            else der = der.slice(0, at);
          }
          const fast = publicKeyFromSpki(der);
          if (fast !== undefined) accepted++;
          if (fast !== undefined) {
            expect(nodeReads(der)).toBe(fast.export({ format: 'der', type: 'spki' }).toString('hex'));
            expect(nodeReads(der)).toBe(toHex(der));
          }
        },
      ),
      { numRuns: 400, seed: 8448 },
    );
    // Some mutations keep a valid key (a changed modulus byte, say): both branches are exercised.
    expect(accepted).toBeGreaterThan(10);
    expect(accepted).toBeLessThan(400);
  });
});
