// Signatures for every SignatureScheme codepoint and for explicit SignatureParams, checked
// against node:crypto in both directions (we sign and node verifies, node signs and we verify),
// plus the key/scheme compatibility rules of RFC 8446 §4.2.3 and malformed-signature handling.
import {
  type KeyObject,
  createHash,
  constants,
  generateKeyPairSync,
  sign as nodeSign,
  verify as nodeVerify,
  privateEncrypt,
  publicDecrypt,
} from 'node:crypto';
import { type PrivateKey, SignatureScheme, signatureSchemeName } from '@tls/crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { ascii, thrownCode } from './helpers.js';

const provider = createNodeCryptoProvider();
const message = ascii('TLS 1.3, server CertificateVerify\0 and a transcript hash');

interface Pair {
  ours: PrivateKey;
  node: KeyObject;
  nodePublic: KeyObject;
}

function pairOf(node: { privateKey: KeyObject; publicKey: KeyObject }): Pair {
  const der = node.privateKey.export({ format: 'der', type: 'pkcs8' });
  return { ours: provider.importPrivateKey({ key: der }), node: node.privateKey, nodePublic: node.publicKey };
}

const keys: Record<string, Pair> = {};

beforeAll(() => {
  keys.rsa = pairOf(generateKeyPairSync('rsa', { modulusLength: 2048 }));
  keys.rsa1024 = pairOf(generateKeyPairSync('rsa', { modulusLength: 1024 }));
  keys.rsa1040 = pairOf(generateKeyPairSync('rsa', { modulusLength: 1040 }));
  keys.rsaPss = pairOf(generateKeyPairSync('rsa-pss', { modulusLength: 2048 }));
  keys.p256 = pairOf(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }));
  keys.p384 = pairOf(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }));
  keys.p521 = pairOf(generateKeyPairSync('ec', { namedCurve: 'secp521r1' }));
  keys.ed25519 = pairOf(generateKeyPairSync('ed25519'));
  keys.ed448 = pairOf(generateKeyPairSync('ed448'));
});

type NodeSpec = { hash: string | null; options: Record<string, unknown>; key: string };

// How node:crypto itself signs each scheme: the independent reference.
const nodeSpecs: Record<number, NodeSpec> = {
  [SignatureScheme.RsaPkcs1Sha1]: {
    hash: 'sha1',
    options: { padding: constants.RSA_PKCS1_PADDING },
    key: 'rsa',
  },
  [SignatureScheme.RsaPkcs1Sha256]: {
    hash: 'sha256',
    options: { padding: constants.RSA_PKCS1_PADDING },
    key: 'rsa',
  },
  [SignatureScheme.RsaPkcs1Sha384]: {
    hash: 'sha384',
    options: { padding: constants.RSA_PKCS1_PADDING },
    key: 'rsa',
  },
  [SignatureScheme.RsaPkcs1Sha512]: {
    hash: 'sha512',
    options: { padding: constants.RSA_PKCS1_PADDING },
    key: 'rsa',
  },
  [SignatureScheme.EcdsaSha1]: { hash: 'sha1', options: { dsaEncoding: 'der' }, key: 'p384' },
  [SignatureScheme.EcdsaSecp256r1Sha256]: { hash: 'sha256', options: { dsaEncoding: 'der' }, key: 'p256' },
  [SignatureScheme.EcdsaSecp384r1Sha384]: { hash: 'sha384', options: { dsaEncoding: 'der' }, key: 'p384' },
  [SignatureScheme.EcdsaSecp521r1Sha512]: { hash: 'sha512', options: { dsaEncoding: 'der' }, key: 'p521' },
  [SignatureScheme.RsaPssRsaeSha256]: pss('sha256', 32, 'rsa'),
  [SignatureScheme.RsaPssRsaeSha384]: pss('sha384', 48, 'rsa'),
  [SignatureScheme.RsaPssRsaeSha512]: pss('sha512', 64, 'rsa'),
  [SignatureScheme.RsaPssPssSha256]: pss('sha256', 32, 'rsaPss'),
  [SignatureScheme.RsaPssPssSha384]: pss('sha384', 48, 'rsaPss'),
  [SignatureScheme.RsaPssPssSha512]: pss('sha512', 64, 'rsaPss'),
  [SignatureScheme.Ed25519]: { hash: null, options: {}, key: 'ed25519' },
  [SignatureScheme.Ed448]: { hash: null, options: {}, key: 'ed448' },
};

function pss(hash: string, saltLength: number, key: string): NodeSpec {
  return { hash, options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, key };
}

function md5Sha1(data: Uint8Array): Buffer {
  return Buffer.concat([createHash('md5').update(data).digest(), createHash('sha1').update(data).digest()]);
}

describe('signatures by SignatureScheme', () => {
  it('covers every codepoint of constants.ts', () => {
    const covered = [...Object.keys(nodeSpecs).map(Number), SignatureScheme.LegacyRsaPkcs1Md5Sha1].sort();
    expect(covered).toEqual(Object.values(SignatureScheme).sort());
  });

  for (const [code, spec] of Object.entries(nodeSpecs)) {
    const scheme = Number(code);
    describe(signatureSchemeName(scheme), () => {
      it('we sign, node:crypto verifies; a changed message fails', () => {
        const pair = keys[spec.key]!;
        expect(provider.isSchemeCompatible(scheme, pair.ours)).toBe(true);
        const signature = provider.sign(scheme, pair.ours, message);
        const options = { key: pair.nodePublic, ...spec.options };
        expect(nodeVerify(spec.hash, message, options as never, signature)).toBe(true);
        expect(nodeVerify(spec.hash, ascii('other'), options as never, signature)).toBe(false);
        expect(provider.verify(scheme, pair.ours.publicKey, message, signature)).toBe(true);
      });

      it('node:crypto signs, we verify; tampered and malformed signatures give false', () => {
        const pair = keys[spec.key]!;
        const signature = new Uint8Array(
          nodeSign(spec.hash, message, { key: pair.node, ...spec.options } as never),
        );
        expect(provider.verify(scheme, pair.ours.publicKey, message, signature)).toBe(true);
        const tampered = signature.slice();
        tampered[tampered.length - 1]! ^= 1;
        expect(provider.verify(scheme, pair.ours.publicKey, message, tampered)).toBe(false);
        for (const bad of [
          new Uint8Array(0),
          signature.subarray(1),
          new Uint8Array(signature.length).fill(0xff),
          Uint8Array.of(0x30, 0x81),
        ]) {
          expect(provider.verify(scheme, pair.ours.publicKey, message, bad)).toBe(false);
        }
      });
    });
  }

  it('an RSA signature must be exactly as long as the modulus (RFC 8017 §8.1.2): a leading zero octet cut off fails', () => {
    const scheme = SignatureScheme.RsaPssRsaeSha256;
    const spec = nodeSpecs[scheme]!;
    const pair = keys[spec.key]!;
    // PSS signatures are randomized: about one in 256 starts with a zero octet (bounded search).
    let signature: Uint8Array | undefined;
    for (let attempt = 0; attempt < 8192 && signature === undefined; attempt++) {
      const candidate = new Uint8Array(
        nodeSign(spec.hash, message, { key: pair.node, ...spec.options } as never),
      );
      if (candidate[0] === 0) signature = candidate;
    }
    expect(signature).toBeDefined();
    expect(provider.verify(scheme, pair.ours.publicKey, message, signature!)).toBe(true);
    expect(provider.verify(scheme, pair.ours.publicKey, message, signature!.subarray(1))).toBe(false);
    expect(provider.verify(scheme, pair.ours.publicKey, message, Uint8Array.of(0, ...signature!))).toBe(
      false,
    );
  });

  it('ECDSA signatures are DER Ecdsa-Sig-Value (RFC 8422 §5.4), not raw r||s', () => {
    const signature = provider.sign(SignatureScheme.EcdsaSecp256r1Sha256, keys.p256!.ours, message);
    expect(signature[0]).toBe(0x30);
    expect(signature[1]).toBe(signature.length - 2);
  });

  it('LegacyRsaPkcs1Md5Sha1 is PKCS#1 v1.5 over the raw 36-byte MD5||SHA-1, no DigestInfo', () => {
    const pair = keys.rsa!;
    const scheme = SignatureScheme.LegacyRsaPkcs1Md5Sha1;
    const signature = provider.sign(scheme, pair.ours, message);
    const recovered = publicDecrypt(
      { key: pair.nodePublic, padding: constants.RSA_PKCS1_PADDING },
      signature,
    );
    expect(recovered.toString('hex')).toBe(md5Sha1(message).toString('hex'));
    const theirs = privateEncrypt({ key: pair.node, padding: constants.RSA_PKCS1_PADDING }, md5Sha1(message));
    expect(provider.verify(scheme, pair.ours.publicKey, message, theirs)).toBe(true);
    expect(provider.verify(scheme, pair.ours.publicKey, ascii('x'), theirs)).toBe(false);
    expect(provider.verify(scheme, pair.ours.publicKey, message, theirs.subarray(3))).toBe(false);
  });

  it('rejects an unknown codepoint', () => {
    expect(thrownCode(() => provider.sign(0x0999, keys.rsa!.ours, message))).toBe(
      'ERR_CRYPTO_UNSUPPORTED_ALGORITHM',
    );
    expect(provider.isSchemeCompatible(0x0999, keys.rsa!.ours)).toBe(false);
  });
});

describe('isSchemeCompatible (RFC 8446 §4.2.3)', () => {
  const cases: Array<[string, number, string, boolean]> = [
    ['ecdsa_secp256r1_sha256 needs P-256', SignatureScheme.EcdsaSecp256r1Sha256, 'p384', false],
    ['ecdsa_secp384r1_sha384 needs P-384', SignatureScheme.EcdsaSecp384r1Sha384, 'p256', false],
    ['ecdsa_secp521r1_sha512 needs P-521', SignatureScheme.EcdsaSecp521r1Sha512, 'p384', false],
    ['ecdsa_sha1 takes any curve', SignatureScheme.EcdsaSha1, 'p521', true],
    ['rsa_pss_rsae needs an rsaEncryption key', SignatureScheme.RsaPssRsaeSha256, 'rsaPss', false],
    ['rsa_pss_pss needs an RSASSA-PSS key', SignatureScheme.RsaPssPssSha256, 'rsa', false],
    ['rsa_pkcs1 needs an rsaEncryption key', SignatureScheme.RsaPkcs1Sha256, 'rsaPss', false],
    ['rsa_pkcs1 does not take EC', SignatureScheme.RsaPkcs1Sha256, 'p256', false],
    ['ed25519 needs an Ed25519 key', SignatureScheme.Ed25519, 'ed448', false],
    ['ed448 needs an Ed448 key', SignatureScheme.Ed448, 'ed25519', false],
    ['ecdsa does not take Ed25519', SignatureScheme.EcdsaSecp256r1Sha256, 'ed25519', false],
    [
      'PSS with SHA-512 needs more than 1024 bits (2*64+2 bytes)',
      SignatureScheme.RsaPssRsaeSha512,
      'rsa1024',
      false,
    ],
    ['PSS with SHA-512 works with 1040 bits', SignatureScheme.RsaPssRsaeSha512, 'rsa1040', true],
    ['PSS with SHA-384 works with 1024 bits', SignatureScheme.RsaPssRsaeSha384, 'rsa1024', true],
    ['MD5||SHA-1 needs RSA', SignatureScheme.LegacyRsaPkcs1Md5Sha1, 'p256', false],
  ];
  for (const [name, scheme, key, expected] of cases) {
    it(`${name}: ${expected}`, () => {
      expect(provider.isSchemeCompatible(scheme, keys[key]!.ours)).toBe(expected);
      expect(provider.isSchemeCompatible(scheme, keys[key]!.ours.publicKey)).toBe(expected);
    });
  }

  it('sign and verify throw ERR_CRYPTO_KEY_MISMATCH for a key of the wrong type or size', () => {
    expect(thrownCode(() => provider.sign(SignatureScheme.RsaPssPssSha256, keys.rsa!.ours, message))).toBe(
      'ERR_CRYPTO_KEY_MISMATCH',
    );
    expect(thrownCode(() => provider.sign(SignatureScheme.Ed25519, keys.p256!.ours, message))).toBe(
      'ERR_CRYPTO_KEY_MISMATCH',
    );
    expect(
      thrownCode(() => provider.sign(SignatureScheme.RsaPssRsaeSha512, keys.rsa1024!.ours, message)),
    ).toBe('ERR_CRYPTO_KEY_MISMATCH');
    expect(
      thrownCode(() =>
        provider.verify(
          SignatureScheme.EcdsaSecp256r1Sha256,
          keys.rsa!.ours.publicKey,
          message,
          new Uint8Array(8),
        ),
      ),
    ).toBe('ERR_CRYPTO_KEY_MISMATCH');
  });

  it('an RSASSA-PSS key with parameters is bound to its hash (RFC 4055 §3.1)', () => {
    const bound = pairOf(
      generateKeyPairSync('rsa-pss', {
        modulusLength: 2048,
        hashAlgorithm: 'sha256',
        mgf1HashAlgorithm: 'sha256',
        saltLength: 32,
      } as never) as unknown as { privateKey: KeyObject; publicKey: KeyObject },
    );
    expect(provider.isSchemeCompatible(SignatureScheme.RsaPssPssSha256, bound.ours)).toBe(true);
    expect(provider.isSchemeCompatible(SignatureScheme.RsaPssPssSha384, bound.ours)).toBe(false);
    const signature = provider.sign(SignatureScheme.RsaPssPssSha256, bound.ours, message);
    expect(provider.verify(SignatureScheme.RsaPssPssSha256, bound.ours.publicKey, message, signature)).toBe(
      true,
    );
  });
});

describe('signatures by SignatureParams (X.509)', () => {
  it('RSA-PSS with an explicit salt length, checked by node:crypto with that salt length', () => {
    const pair = keys.rsa!;
    const params = { algorithm: 'rsa-pss', hash: 'sha256', saltLength: 20 } as const;
    const signature = provider.sign(params, pair.ours, message);
    const options = { key: pair.nodePublic, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 20 };
    expect(nodeVerify('sha256', message, options, signature)).toBe(true);
    expect(nodeVerify('sha256', message, { ...options, saltLength: 32 }, signature)).toBe(false);
    expect(provider.verify(params, pair.ours.publicKey, message, signature)).toBe(true);
    expect(provider.verify({ ...params, saltLength: 32 }, pair.ours.publicKey, message, signature)).toBe(
      false,
    );
  });

  it('RSA-PSS params work with an RSASSA-PSS key too, and default the salt to the hash length', () => {
    const pair = keys.rsaPss!;
    const signature = provider.sign({ algorithm: 'rsa-pss', hash: 'sha384' }, pair.ours, message);
    const options = { key: pair.nodePublic, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 };
    expect(nodeVerify('sha384', message, options, signature)).toBe(true);
  });

  for (const hash of ['sha1', 'sha256', 'sha384', 'sha512'] as const) {
    it(`ECDSA P-256 with ${hash} (a hash not tied to the curve)`, () => {
      const pair = keys.p256!;
      const signature = provider.sign({ algorithm: 'ecdsa', hash }, pair.ours, message);
      expect(nodeVerify(hash, message, { key: pair.nodePublic, dsaEncoding: 'der' }, signature)).toBe(true);
      const theirs = nodeSign(hash, message, { key: pair.node, dsaEncoding: 'der' });
      expect(provider.verify({ algorithm: 'ecdsa', hash }, pair.ours.publicKey, message, theirs)).toBe(true);
    });
  }

  it('RSA PKCS#1 v1.5 with SHA-256 and Ed25519/Ed448 by params', () => {
    const rsa = keys.rsa!;
    const signature = provider.sign({ algorithm: 'rsa-pkcs1', hash: 'sha256' }, rsa.ours, message);
    expect(nodeVerify('sha256', message, rsa.nodePublic, signature)).toBe(true);
    for (const name of ['ed25519', 'ed448'] as const) {
      const pair = keys[name]!;
      const edSignature = provider.sign({ algorithm: name }, pair.ours, message);
      expect(nodeVerify(null, message, pair.nodePublic, edSignature)).toBe(true);
    }
  });

  it('rejects params without a hash and ECDSA with MD5||SHA-1', () => {
    expect(thrownCode(() => provider.sign({ algorithm: 'ecdsa' }, keys.p256!.ours, message))).toBe(
      'ERR_CRYPTO_UNSUPPORTED_ALGORITHM',
    );
    expect(
      thrownCode(() => provider.sign({ algorithm: 'ecdsa', hash: 'md5-sha1' }, keys.p256!.ours, message)),
    ).toBe('ERR_CRYPTO_UNSUPPORTED_ALGORITHM');
  });
});
