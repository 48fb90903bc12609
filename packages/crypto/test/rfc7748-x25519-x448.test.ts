// RFC 7748 §5.2 (X25519 and X448 function vectors, 1 and 1,000 iterations) and §6.1/§6.2
// (Diffie-Hellman) through the provider's key shares: a key share built from a fixed private
// scalar k, completed with a peer u-coordinate, computes X25519(k, u) / X448(k, u).
// Vectors: test/vectors/rfc7748.json, copied from the RFC text.
import { NamedGroup } from '@tls/crypto';
import { describe, expect, it } from 'vitest';
import { createKeyShare } from '../src/node/key-share.js';
import { fromHex, toHex } from './helpers.js';
import vectors from './vectors/rfc7748.json';

const curves = [
  ['X25519', NamedGroup.X25519, vectors.x25519],
  ['X448', NamedGroup.X448, vectors.x448],
] as const;

function scalarMult(group: number, k: Uint8Array, u: Uint8Array): Uint8Array {
  return createKeyShare(group, k).complete(u);
}

describe('RFC 7748', () => {
  for (const [name, group, curve] of curves) {
    describe(name, () => {
      curve.function.forEach((vector, i) => {
        it(`§5.2 function vector ${i + 1}`, () => {
          expect(toHex(scalarMult(group, fromHex(vector.scalar), fromHex(vector.u)))).toBe(vector.output);
        });
      });

      it('§5.2 after one and after 1,000 iterations', () => {
        let k = fromHex(curve.iterated.start);
        let u = fromHex(curve.iterated.start);
        for (let i = 1; i <= 1000; i++) {
          const next = scalarMult(group, k, u);
          u = k;
          k = next;
          if (i === 1) expect(toHex(k)).toBe(curve.iterated.after1);
        }
        expect(toHex(k)).toBe(curve.iterated.after1000);
      });

      const dh = curve.diffieHellman;
      it(`§6 public keys: ${name}(a, base) and ${name}(b, base)`, () => {
        expect(toHex(createKeyShare(group, fromHex(dh.alicePrivate)).publicKey)).toBe(dh.alicePublic);
        expect(toHex(createKeyShare(group, fromHex(dh.bobPrivate)).publicKey)).toBe(dh.bobPublic);
      });

      it('§6 shared secret K, computed by both sides', () => {
        const alice = createKeyShare(group, fromHex(dh.alicePrivate));
        const bob = createKeyShare(group, fromHex(dh.bobPrivate));
        expect(toHex(alice.complete(fromHex(dh.bobPublic)))).toBe(dh.shared);
        expect(toHex(bob.complete(fromHex(dh.alicePublic)))).toBe(dh.shared);
      });
    });
  }
});
