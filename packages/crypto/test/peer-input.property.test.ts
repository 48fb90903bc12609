// Whatever a peer sends, the provider answers with a result or the documented error code, never
// another exception: key shares (ERR_CRYPTO_INVALID_KEY_SHARE), signatures (false), the static
// RSA premaster (48 bytes) and AEAD open (undefined). fast-check generates the peer's bytes.
import { NamedGroup, SignatureScheme } from '@tls/crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const provider = createNodeCryptoProvider();

function codeOrResult(fn: () => Uint8Array, length: number): string {
  try {
    const result = fn();
    return result.length === length ? 'ok' : `wrong length ${result.length}`;
  } catch (error) {
    return String((error as { code?: unknown }).code);
  }
}

// [group, share length an initiator sends, a responder sends, secret length]
const groups: Array<[number, number, number, number]> = [
  [NamedGroup.X25519, 32, 32, 32],
  [NamedGroup.X448, 56, 56, 56],
  [NamedGroup.Secp256r1, 65, 65, 32],
  [NamedGroup.Secp384r1, 97, 97, 48],
  [NamedGroup.Ffdhe2048, 256, 256, 256],
  [NamedGroup.X25519MLKEM768, 1216, 1120, 64],
];

describe('peer input never escapes as an unexpected exception', () => {
  for (const [group, initiatorLength, responderLength, secretLength] of groups) {
    it(`key share 0x${group.toString(16)}: random bytes of any or the right length`, () => {
      const share = provider.generateKeyShare(group);
      const bytes = (length: number) =>
        fc.oneof(
          fc.uint8Array({ minLength: length, maxLength: length }),
          fc.uint8Array({ maxLength: length + 2 }),
        );
      fc.assert(
        fc.property(bytes(responderLength), bytes(initiatorLength), (fromResponder, fromInitiator) => {
          expect(['ok', 'ERR_CRYPTO_INVALID_KEY_SHARE']).toContain(
            codeOrResult(() => share.complete(fromResponder), secretLength),
          );
          expect(['ok', 'ERR_CRYPTO_INVALID_KEY_SHARE']).toContain(
            codeOrResult(() => provider.acceptKeyShare(group, fromInitiator).sharedSecret, secretLength),
          );
        }),
        { numRuns: group === NamedGroup.X25519MLKEM768 || group === NamedGroup.Ffdhe2048 ? 25 : 100 },
      );
    });
  }

  it('verify returns a boolean for any signature bytes, for every scheme', () => {
    const keys = {
      rsa: provider.generateKeyPair({ type: 'rsa', bits: 1024 }).publicKey,
      rsaPss: provider.generateKeyPair({ type: 'rsa-pss', bits: 1024 }).publicKey,
      p256: provider.generateKeyPair({ type: 'ec', curve: 'P-256' }).publicKey,
      ed25519: provider.generateKeyPair({ type: 'ed25519' }).publicKey,
    };
    const cases: Array<[number, keyof typeof keys]> = [
      [SignatureScheme.RsaPkcs1Sha256, 'rsa'],
      [SignatureScheme.LegacyRsaPkcs1Md5Sha1, 'rsa'],
      [SignatureScheme.RsaPssRsaeSha256, 'rsa'],
      [SignatureScheme.RsaPssPssSha384, 'rsaPss'],
      [SignatureScheme.EcdsaSecp256r1Sha256, 'p256'],
      [SignatureScheme.Ed25519, 'ed25519'],
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...cases),
        fc.uint8Array({ maxLength: 300 }),
        ([scheme, key], signature) => {
          expect(provider.verify(scheme, keys[key], Uint8Array.of(1, 2, 3), signature)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rsaDecryptPremaster gives 48 bytes for any ciphertext', () => {
    const { privateKey } = provider.generateKeyPair({ type: 'rsa', bits: 1024 });
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ minLength: 128, maxLength: 128 }), fc.uint8Array({ maxLength: 200 })),
        (ciphertext) => {
          const premaster = provider.rsaDecryptPremaster(privateKey, ciphertext, 0x0303);
          expect(premaster).toHaveLength(48);
          expect([premaster[0], premaster[1]]).toEqual([3, 3]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('AEAD open gives undefined for any forged ciphertext and tag', () => {
    const aead = provider.createAead('aes-128-gcm', provider.random(16));
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (ciphertext, tag) => {
          expect(aead.open(new Uint8Array(12), new Uint8Array(5), ciphertext, tag)).toBeUndefined();
        },
      ),
      { numRuns: 200 },
    );
  });
});
