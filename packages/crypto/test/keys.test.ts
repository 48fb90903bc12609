// Key import (PKCS#8, encrypted PKCS#8, PKCS#1, SEC1, traditional encrypted PEM, DER), public
// key import (SPKI, PKCS#1), generation and PKCS#8 export, against keys made by node:crypto and
// the openssl CLI; passphrase errors; and that key objects never print key material.
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { describe, expect, it } from 'vitest';
import { thrownCode, toHex } from './helpers.js';

const provider = createNodeCryptoProvider();
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
const passphrase = 'correct horse battery staple';

function pkcs8Hex(key: Parameters<typeof createPrivateKey>[0]): string {
  return createPrivateKey(key).export({ format: 'der', type: 'pkcs8' }).toString('hex');
}

describe('importPrivateKey', () => {
  const forms: Array<[string, () => Parameters<typeof provider.importPrivateKey>[0], string]> = [
    ['PKCS#8 PEM', () => ({ key: rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string }), 'rsa'],
    [
      'PKCS#1 RSA PEM',
      () => ({ key: rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }) as string }),
      'rsa',
    ],
    ['SEC1 EC PEM', () => ({ key: ec.privateKey.export({ format: 'pem', type: 'sec1' }) as string }), 'ec'],
    [
      'PKCS#8 DER',
      () => ({ key: new Uint8Array(rsa.privateKey.export({ format: 'der', type: 'pkcs8' })) }),
      'rsa',
    ],
    [
      'PKCS#1 DER',
      () => ({ key: new Uint8Array(rsa.privateKey.export({ format: 'der', type: 'pkcs1' })), type: 'pkcs1' }),
      'rsa',
    ],
    [
      'SEC1 DER',
      () => ({ key: new Uint8Array(ec.privateKey.export({ format: 'der', type: 'sec1' })), type: 'sec1' }),
      'ec',
    ],
    [
      'PEM given as bytes',
      () => ({
        key: new TextEncoder().encode(ec.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string),
        format: 'pem',
      }),
      'ec',
    ],
  ];
  for (const [name, input, which] of forms) {
    it(`imports ${name}`, () => {
      const key = provider.importPrivateKey(input());
      const reference = which === 'rsa' ? rsa : ec;
      expect(toHex(provider.exportPrivateKey(key))).toBe(
        reference.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('hex'),
      );
      expect(toHex(key.publicKey.spki)).toBe(
        reference.publicKey.export({ format: 'der', type: 'spki' }).toString('hex'),
      );
      if (which === 'rsa') expect([key.type, key.bits, key.curve]).toEqual(['rsa', 2048, undefined]);
      else expect([key.type, key.bits, key.curve]).toEqual(['ec', 384, 'P-384']);
    });
  }

  const encrypted: Array<[string, () => string | Uint8Array, 'pem' | 'der']> = [
    [
      'encrypted PKCS#8 PEM (node)',
      () =>
        rsa.privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase }) as string,
      'pem',
    ],
    [
      'encrypted PKCS#8 DER (node)',
      () =>
        new Uint8Array(
          rsa.privateKey.export({ format: 'der', type: 'pkcs8', cipher: 'aes-128-cbc', passphrase }),
        ),
      'der',
    ],
    [
      'traditional encrypted PKCS#1 PEM (Proc-Type: 4,ENCRYPTED)',
      () =>
        rsa.privateKey.export({ format: 'pem', type: 'pkcs1', cipher: 'aes-256-cbc', passphrase }) as string,
      'pem',
    ],
    [
      'traditional encrypted SEC1 PEM',
      () =>
        ec.privateKey.export({ format: 'pem', type: 'sec1', cipher: 'des-ede3-cbc', passphrase }) as string,
      'pem',
    ],
    [
      'encrypted PKCS#8 PEM (openssl genpkey -aes256)',
      () =>
        execFileSync('openssl', [
          'genpkey',
          '-algorithm',
          'EC',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-aes256',
          '-pass',
          `pass:${passphrase}`,
        ]).toString(),
      'pem',
    ],
  ];
  for (const [name, make, format] of encrypted) {
    describe(name, () => {
      const key = make();
      it('imports with the passphrase, as a string or as bytes', () => {
        const a = provider.importPrivateKey({ key, format, passphrase });
        const b = provider.importPrivateKey({
          key,
          format,
          passphrase: new TextEncoder().encode(passphrase),
        });
        expect(toHex(provider.exportPrivateKey(a))).toBe(toHex(provider.exportPrivateKey(b)));
        expect(toHex(provider.exportPrivateKey(a))).toBe(
          pkcs8Hex(
            format === 'pem'
              ? { key: key as string, passphrase }
              : { key: Buffer.from(key), format: 'der', type: 'pkcs8', passphrase },
          ),
        );
      });
      it('throws ERR_MISSING_PASSPHRASE without one', () => {
        expect(thrownCode(() => provider.importPrivateKey({ key, format }))).toBe('ERR_MISSING_PASSPHRASE');
      });
      it('throws ERR_OSSL_BAD_DECRYPT for wrong passphrases, naming no secret', () => {
        for (const wrong of ['wrong', 'Correct horse battery staple', '', 'x'.repeat(40)]) {
          let error: unknown;
          try {
            provider.importPrivateKey({ key, format, passphrase: wrong });
          } catch (caught) {
            error = caught;
          }
          expect((error as { code?: string }).code).toBe('ERR_OSSL_BAD_DECRYPT');
          expect(String((error as Error).message)).not.toContain(passphrase);
        }
      });
    });
  }

  it('rejects garbage, a public key and an unsupported curve with exact codes', () => {
    expect(thrownCode(() => provider.importPrivateKey({ key: Uint8Array.of(0x30, 0) }))).toBe(
      'ERR_CRYPTO_INVALID_KEY',
    );
    expect(
      thrownCode(() =>
        provider.importPrivateKey({ key: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }),
      ),
    ).toBe('ERR_CRYPTO_INVALID_KEY');
    expect(
      thrownCode(() =>
        provider.importPrivateKey({ key: rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string }),
      ),
    ).toBe('ERR_CRYPTO_INVALID_KEY');
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    }) as string;
    expect(thrownCode(() => provider.importPrivateKey({ key: k1 }))).toBe('ERR_CRYPTO_UNSUPPORTED_ALGORITHM');
    const dsa = generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    }) as string;
    expect(thrownCode(() => provider.importPrivateKey({ key: dsa }))).toBe(
      'ERR_CRYPTO_UNSUPPORTED_ALGORITHM',
    );
  });

  it('never prints or serialises key material', () => {
    const pkcs8 = rsa.privateKey.export({ format: 'der', type: 'pkcs8' });
    const key = provider.importPrivateKey({ key: new Uint8Array(pkcs8) });
    const printed = `${inspect(key, { depth: 10, showHidden: true })} ${JSON.stringify(key)} ${String(key)}`;
    const d = rsa.privateKey.export({ format: 'jwk' }).d!;
    expect(printed).not.toContain(d);
    expect(printed).not.toContain(pkcs8.toString('base64').slice(40, 80));
    expect(printed).not.toContain(pkcs8.toString('hex').slice(80, 160));
    expect(JSON.parse(JSON.stringify(key))).toEqual({ type: 'rsa', bits: 2048 });
  });
});

describe('importPublicKey', () => {
  const spkiHex = rsa.publicKey.export({ format: 'der', type: 'spki' }).toString('hex');
  it('imports SPKI PEM and DER, and PKCS#1 PEM and DER', () => {
    const inputs = [
      { key: rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string },
      { key: new Uint8Array(rsa.publicKey.export({ format: 'der', type: 'spki' })) },
      { key: rsa.publicKey.export({ format: 'pem', type: 'pkcs1' }) as string },
      { key: new Uint8Array(rsa.publicKey.export({ format: 'der', type: 'pkcs1' })), type: 'pkcs1' as const },
    ];
    for (const input of inputs) {
      const key = provider.importPublicKey(input);
      expect([key.type, key.bits, toHex(key.spki)]).toEqual(['rsa', 2048, spkiHex]);
    }
    const ecKey = provider.importPublicKey({
      key: ec.publicKey.export({ format: 'pem', type: 'spki' }) as string,
    });
    expect([ecKey.type, ecKey.bits, ecKey.curve]).toEqual(['ec', 384, 'P-384']);
  });

  it('gives the same key for the same SPKI DER again (remembered), and a new one for other bytes', () => {
    const der = new Uint8Array(rsa.publicKey.export({ format: 'der', type: 'spki' }));
    const first = provider.importPublicKey({ key: der });
    expect(provider.importPublicKey({ key: new Uint8Array(der) })).toBe(first);
    const other = provider.importPublicKey({
      key: new Uint8Array(ec.publicKey.export({ format: 'der', type: 'spki' })),
    });
    expect(other).not.toBe(first);
    expect([other.type, other.curve]).toEqual(['ec', 'P-384']);
    // A key that failed to import is not remembered: it fails again, the same way.
    const bad = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00);
    expect(thrownCode(() => provider.importPublicKey({ key: bad }))).toBe('ERR_CRYPTO_INVALID_KEY');
    expect(thrownCode(() => provider.importPublicKey({ key: bad }))).toBe('ERR_CRYPTO_INVALID_KEY');
  });

  it('rejects private keys and garbage with ERR_CRYPTO_INVALID_KEY', () => {
    expect(
      thrownCode(() =>
        provider.importPublicKey({ key: rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string }),
      ),
    ).toBe('ERR_CRYPTO_INVALID_KEY');
    expect(thrownCode(() => provider.importPublicKey({ key: Uint8Array.of(1, 2, 3) }))).toBe(
      'ERR_CRYPTO_INVALID_KEY',
    );
  });

  it('works with a public key object from another copy of the package (re-imported from spki)', () => {
    const spki = new Uint8Array(ec.publicKey.export({ format: 'der', type: 'spki' }));
    const foreign = { type: 'ec' as const, bits: 384, curve: 'P-384' as const, spki };
    const signature = provider.sign(
      { algorithm: 'ecdsa', hash: 'sha256' },
      provider.importPrivateKey({ key: ec.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string }),
      Uint8Array.of(1),
    );
    expect(
      provider.verify({ algorithm: 'ecdsa', hash: 'sha256' }, foreign, Uint8Array.of(1), signature),
    ).toBe(true);
    const foreignPrivate = { type: 'ec' as const, bits: 384, publicKey: foreign };
    expect(thrownCode(() => provider.exportPrivateKey(foreignPrivate))).toBe('ERR_CRYPTO_INVALID_KEY');
  });
});

describe('generateKeyPair and exportPrivateKey', () => {
  const specs = [
    [{ type: 'rsa', bits: 1024 }, ['rsa', 1024, undefined]],
    [{ type: 'rsa-pss', bits: 1024 }, ['rsa-pss', 1024, undefined]],
    [{ type: 'rsa-pss', bits: 1024, hash: 'sha256' }, ['rsa-pss', 1024, undefined]],
    [{ type: 'ec', curve: 'P-256' }, ['ec', 256, 'P-256']],
    [{ type: 'ec', curve: 'P-521' }, ['ec', 521, 'P-521']],
    [{ type: 'ed25519' }, ['ed25519', 256, undefined]],
    [{ type: 'ed448' }, ['ed448', 456, undefined]],
  ] as const;
  for (const [spec, expected] of specs) {
    it(`generates ${JSON.stringify(spec)} whose PKCS#8 node:crypto reads back`, () => {
      const { privateKey, publicKey } = provider.generateKeyPair(spec);
      expect([privateKey.type, privateKey.bits, privateKey.curve]).toEqual(expected);
      expect(publicKey).toBe(privateKey.publicKey);
      const reread = createPrivateKey({
        key: Buffer.from(provider.exportPrivateKey(privateKey)),
        format: 'der',
        type: 'pkcs8',
      });
      expect(createPublicKey(reread).export({ format: 'der', type: 'spki' }).toString('hex')).toBe(
        toHex(publicKey.spki),
      );
    });
  }

  it('binds an rsa-pss key generated with a hash to it', () => {
    const { privateKey } = provider.generateKeyPair({ type: 'rsa-pss', bits: 1024, hash: 'sha256' });
    const reread = createPrivateKey({
      key: Buffer.from(provider.exportPrivateKey(privateKey)),
      format: 'der',
      type: 'pkcs8',
    });
    expect(reread.asymmetricKeyDetails).toMatchObject({ hashAlgorithm: 'sha256', saltLength: 32 });
  });

  it('rejects an unsupported type or curve', () => {
    expect(thrownCode(() => provider.generateKeyPair({ type: 'dsa' } as never))).toBe(
      'ERR_CRYPTO_UNSUPPORTED_ALGORITHM',
    );
    expect(thrownCode(() => provider.generateKeyPair({ type: 'ec', curve: 'P-192' } as never))).toBe(
      'ERR_CRYPTO_UNSUPPORTED_ALGORITHM',
    );
  });
});

describe('importPrivateKey error codes for DER inputs', () => {
  it('a public key or a certificate-like SEQUENCE given as a private key is invalid, not "encrypted"', () => {
    const spki = new Uint8Array(rsa.publicKey.export({ format: 'der', type: 'spki' }));
    expect(thrownCode(() => provider.importPrivateKey({ key: spki }))).toBe('ERR_CRYPTO_INVALID_KEY');
    expect(thrownCode(() => provider.importPrivateKey({ key: spki, passphrase: 'x' }))).toBe(
      'ERR_CRYPTO_INVALID_KEY',
    );
  });
});
