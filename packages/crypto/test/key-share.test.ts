// Key shares for every supported group: agreement in both directions, wire lengths, the RFC 7919
// primes against OpenSSL's, cross-checks with node:crypto, and rejection of invalid peer shares
// (RFC 8446 §4.2.8.1/§4.2.8.2, RFC 7748 §6, RFC 7919 §5.1, FIPS 203 §7.2).
import { execFileSync } from 'node:child_process';
import {
  createECDH,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  getDiffieHellman,
} from 'node:crypto';
import { NamedGroup, namedGroupName } from '@tls/crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { describe, expect, it } from 'vitest';
import { ffdheGroups } from '../src/node/ffdhe-groups.js';
import { activeMlKem768, createKeyShare, nobleMlKem768ForTests } from '../src/node/key-share.js';
import { fromHex, thrownCode, toHex } from './helpers.js';

const provider = createNodeCryptoProvider();

// [group, client share length, server share length, shared secret length]
const groups: Array<[number, number, number, number]> = [
  [NamedGroup.X25519, 32, 32, 32],
  [NamedGroup.Secp256r1, 65, 65, 32],
  [NamedGroup.Secp384r1, 97, 97, 48],
  [NamedGroup.X448, 56, 56, 56],
  [NamedGroup.Secp521r1, 133, 133, 66],
  [NamedGroup.X25519MLKEM768, 1216, 1120, 64],
  [NamedGroup.Ffdhe2048, 256, 256, 256],
  [NamedGroup.Ffdhe3072, 384, 384, 384],
  [NamedGroup.Ffdhe4096, 512, 512, 512],
  [NamedGroup.Ffdhe6144, 768, 768, 768],
  [NamedGroup.Ffdhe8192, 1024, 1024, 1024],
];

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

const bigHex = (bytes: Uint8Array) => BigInt(`0x${toHex(bytes) || '0'}`);
const toFixed = (value: bigint, length: number) => fromHex(value.toString(16).padStart(length * 2, '0'));

describe('key shares', () => {
  it('lists every group in preference order, X25519 first and FFDHE last', () => {
    expect(provider.supportedGroups).toEqual(groups.map(([group]) => group));
  });

  for (const [group, clientLength, serverLength, secretLength] of groups) {
    it(`${namedGroupName(group)}: both sides agree, with the wire lengths of RFC 8446 §4.2.8`, () => {
      const client = provider.generateKeyShare(group);
      expect(client.group).toBe(group);
      expect(client.publicKey).toHaveLength(clientLength);
      const server = provider.acceptKeyShare(group, client.publicKey);
      expect(server.group).toBe(group);
      expect(server.publicKey).toHaveLength(serverLength);
      expect(server.sharedSecret).toHaveLength(secretLength);
      expect(toHex(client.complete(server.publicKey))).toBe(toHex(server.sharedSecret));
      // Fresh randomness each time.
      expect(toHex(provider.generateKeyShare(group).publicKey)).not.toBe(toHex(client.publicKey));
    });
  }

  it('rejects an unknown group', () => {
    expect(thrownCode(() => provider.generateKeyShare(0x0042))).toBe('ERR_CRYPTO_UNSUPPORTED_ALGORITHM');
    expect(thrownCode(() => provider.acceptKeyShare(0x0042, new Uint8Array(32)))).toBe(
      'ERR_CRYPTO_UNSUPPORTED_ALGORITHM',
    );
  });
});

describe('X25519 and X448 against node:crypto, and invalid shares', () => {
  for (const [group, type, length] of [
    [NamedGroup.X25519, 'x25519', 32],
    [NamedGroup.X448, 'x448', 56],
  ] as const) {
    it(`${type}: our secret equals node:crypto's diffieHellman`, () => {
      const share = provider.generateKeyShare(group);
      const peer = generateKeyPairSync(type as 'x25519');
      const peerRaw = peer.publicKey.export({ format: 'der', type: 'spki' }).subarray(-length);
      const ours = share.complete(peerRaw);
      const spki = Buffer.concat([
        peer.publicKey.export({ format: 'der', type: 'spki' }).subarray(0, -length),
        share.publicKey,
      ]);
      const theirs = diffieHellman({
        privateKey: peer.privateKey,
        publicKey: createPublicKey({ key: spki, format: 'der', type: 'spki' }),
      });
      expect(toHex(ours)).toBe(toHex(theirs));
    });

    it(`${type}: rejects wrong lengths and small-order points giving an all-zero secret (RFC 7748 §6)`, () => {
      const share = provider.generateKeyShare(group);
      for (const bad of [new Uint8Array(length - 1), new Uint8Array(length + 1), new Uint8Array(0)]) {
        expect(thrownCode(() => share.complete(bad))).toBe('ERR_CRYPTO_INVALID_KEY_SHARE');
      }
      const one = new Uint8Array(length);
      one[0] = 1;
      for (const bad of [new Uint8Array(length), one]) {
        expect(thrownCode(() => share.complete(bad))).toBe('ERR_CRYPTO_INVALID_KEY_SHARE');
        expect(thrownCode(() => provider.acceptKeyShare(group, bad))).toBe('ERR_CRYPTO_INVALID_KEY_SHARE');
      }
    });
  }
});

describe('NIST curves against node:crypto, and invalid points', () => {
  for (const [group, curve, length] of [
    [NamedGroup.Secp256r1, 'prime256v1', 32],
    [NamedGroup.Secp384r1, 'secp384r1', 48],
    [NamedGroup.Secp521r1, 'secp521r1', 66],
  ] as const) {
    it(`${curve}: our secret equals createECDH's, padded to the field size`, () => {
      const share = provider.generateKeyShare(group);
      for (let i = 0; i < 5; i++) {
        const peer = createECDH(curve);
        peer.generateKeys();
        const ours = share.complete(peer.getPublicKey());
        expect(ours).toHaveLength(length);
        expect(toHex(ours)).toBe(toHex(peer.computeSecret(share.publicKey)));
      }
    });

    it(`${curve}: rejects compressed, infinity, off-curve and mis-sized points`, () => {
      const share = provider.generateKeyShare(group);
      const peer = createECDH(curve);
      peer.generateKeys();
      const good = new Uint8Array(peer.getPublicKey());
      const compressed = new Uint8Array(peer.getPublicKey(undefined, 'compressed'));
      const offCurve = good.slice();
      offCurve[offCurve.length - 1]! ^= 1;
      const hybridTag = good.slice();
      hybridTag[0] = 6;
      const bad = [
        compressed,
        Uint8Array.of(0),
        offCurve,
        hybridTag,
        good.subarray(0, good.length - 1),
        new Uint8Array(good.length),
      ];
      for (const share2 of bad) {
        expect(thrownCode(() => share.complete(share2))).toBe('ERR_CRYPTO_INVALID_KEY_SHARE');
        expect(thrownCode(() => provider.acceptKeyShare(group, share2))).toBe('ERR_CRYPTO_INVALID_KEY_SHARE');
      }
      expect(share.complete(good)).toHaveLength(length);
    });
  }

  it('computes the public point from a fixed private scalar as node:crypto does', () => {
    const reference = createECDH('prime256v1');
    reference.generateKeys();
    const share = createKeyShare(NamedGroup.Secp256r1, new Uint8Array(reference.getPrivateKey()));
    expect(toHex(share.publicKey)).toBe(toHex(reference.getPublicKey()));
  });
});

describe('FFDHE (RFC 7919)', () => {
  for (const [code, spec] of Object.entries(ffdheGroups)) {
    it(`${spec.name}: the prime equals OpenSSL's built-in group`, () => {
      const pem = execFileSync('openssl', [
        'genpkey',
        '-genparam',
        '-algorithm',
        'DH',
        '-pkeyopt',
        `group:${spec.name}`,
      ]);
      const text = execFileSync('openssl', ['asn1parse'], { input: pem, encoding: 'utf8' });
      // DHParameter ::= SEQUENCE { prime INTEGER, base INTEGER } (PKCS #3)
      const integers = [...text.matchAll(/INTEGER\s+:([0-9A-F]+)/g)].map((match) => match[1]!);
      expect(integers).toHaveLength(2);
      const primeHex = integers[0]!;
      expect(integers[1]).toBe('02');
      expect(BigInt(`0x${primeHex}`)).toBe(BigInt(`0x${spec.prime}`));
      expect(Number(code)).toBeGreaterThanOrEqual(0x100);
    });
  }

  it('uses a short exponent and computes y = 2^x mod p, left-padded to the prime length', () => {
    const spec = ffdheGroups[NamedGroup.Ffdhe2048]!;
    const p = BigInt(`0x${spec.prime}`);
    const x = fromHex(`01${'5a'.repeat(28)}`);
    const share = createKeyShare(NamedGroup.Ffdhe2048, x);
    expect(share.publicKey).toHaveLength(256);
    expect(bigHex(share.publicKey)).toBe(modPow(2n, bigHex(x), p));
    // And a peer's y gives y^x mod p, padded.
    const peerX = 0x1234567890abcdefn;
    const peerY = modPow(2n, peerX, p);
    const secret = share.complete(toFixed(peerY, 256));
    expect(secret).toHaveLength(256);
    expect(bigHex(secret)).toBe(modPow(peerY, bigHex(x), p));
  });

  it('rejects y outside 2..p-2 and shares not padded to the prime length (RFC 7919 §5.1, RFC 8446 §4.2.8.1)', () => {
    const spec = ffdheGroups[NamedGroup.Ffdhe2048]!;
    const p = BigInt(`0x${spec.prime}`);
    const share = provider.generateKeyShare(NamedGroup.Ffdhe2048);
    for (const y of [0n, 1n, p - 1n, p, p + 1n, (1n << 2048n) - 1n]) {
      expect(thrownCode(() => share.complete(toFixed(y, 256)))).toBe('ERR_CRYPTO_INVALID_KEY_SHARE');
      expect(thrownCode(() => provider.acceptKeyShare(NamedGroup.Ffdhe2048, toFixed(y, 256)))).toBe(
        'ERR_CRYPTO_INVALID_KEY_SHARE',
      );
    }
    expect(thrownCode(() => share.complete(toFixed(5n, 255)))).toBe('ERR_CRYPTO_INVALID_KEY_SHARE');
    expect(thrownCode(() => share.complete(toFixed(5n, 257)))).toBe('ERR_CRYPTO_INVALID_KEY_SHARE');
    expect(share.complete(toFixed(p - 2n, 256))).toHaveLength(256);
  });
});

describe('DH over arbitrary parameters (TLS 1.2 DHE)', () => {
  const p = BigInt(`0x${ffdheGroups[NamedGroup.Ffdhe2048]!.prime}`);
  const prime = toFixed(p, 256);

  it('agrees between two shares and accepts an unpadded peer value', () => {
    const a = provider.generateDhKeyShare(prime, Uint8Array.of(2));
    const b = provider.generateDhKeyShare(prime, Uint8Array.of(2));
    expect(toHex(a.complete(b.publicKey))).toBe(toHex(b.complete(a.publicKey)));
    // y = 4 = 2^2 has leading zeros stripped, as RFC 5246 dh_Ys may.
    const secret = a.complete(Uint8Array.of(4));
    expect(secret).toHaveLength(256);
  });

  it('works with a 1024-bit prime (RFC 2409 group 2, as old servers send) and agrees with node:crypto', () => {
    const modp2 = getDiffieHellman('modp2');
    modp2.generateKeys();
    const ours = provider.generateDhKeyShare(
      new Uint8Array(modp2.getPrime()),
      new Uint8Array(modp2.getGenerator()),
    );
    expect(ours.publicKey).toHaveLength(128);
    const secret = ours.complete(new Uint8Array(modp2.getPublicKey()));
    expect(secret).toHaveLength(128);
    expect(toHex(secret)).toBe(modp2.computeSecret(ours.publicKey).toString('hex').padStart(256, '0'));
  });

  it('works with a generator other than 2 and a prime given with a leading zero byte', () => {
    const a = provider.generateDhKeyShare(toFixed(p, 257), Uint8Array.of(0, 5));
    const b = provider.generateDhKeyShare(prime, Uint8Array.of(5));
    expect(a.publicKey).toHaveLength(256);
    expect(toHex(a.complete(b.publicKey))).toBe(toHex(b.complete(a.publicKey)));
  });

  it('rejects y outside 2..p-2, values longer than p, and bad parameters', () => {
    const a = provider.generateDhKeyShare(prime, Uint8Array.of(2));
    for (const bad of [
      Uint8Array.of(1),
      Uint8Array.of(0),
      toFixed(p - 1n, 256),
      new Uint8Array(257).fill(1),
    ]) {
      expect(thrownCode(() => a.complete(bad))).toBe('ERR_CRYPTO_INVALID_KEY_SHARE');
    }
    expect(thrownCode(() => provider.generateDhKeyShare(prime, Uint8Array.of(1)))).toBe(
      'ERR_CRYPTO_INVALID_KEY',
    );
    expect(thrownCode(() => provider.generateDhKeyShare(toFixed(p - 1n, 256), Uint8Array.of(2)))).toBe(
      'ERR_CRYPTO_INVALID_KEY',
    );
    // Under 512 bits: refused (OpenSSL 3's own floor), here with a clear code.
    expect(thrownCode(() => provider.generateDhKeyShare(fromHex('17'), Uint8Array.of(5)))).toBe(
      'ERR_CRYPTO_INVALID_KEY',
    );
    const prime511 = toFixed((1n << 510n) + 1n, 64);
    expect(thrownCode(() => provider.generateDhKeyShare(prime511, Uint8Array.of(2)))).toBe(
      'ERR_CRYPTO_INVALID_KEY',
    );
  });
});

describe('X25519MLKEM768', () => {
  const group = NamedGroup.X25519MLKEM768;

  it('uses node:crypto ML-KEM when the running Node has it, else @noble/post-quantum', () => {
    const hasNodeKem =
      typeof (globalThis.process.getBuiltinModule?.('node:crypto') as { encapsulate?: unknown })
        ?.encapsulate === 'function';
    expect(activeMlKem768().name).toBe(hasNodeKem ? 'node:crypto' : '@noble/post-quantum');
  });

  it('interoperates with an independent ML-KEM-768 (noble) in both roles, ML-KEM part first', () => {
    const noble = nobleMlKem768ForTests;
    // We are the client: the server side is noble + node:crypto X25519.
    const client = provider.generateKeyShare(group);
    const serverX25519 = provider.generateKeyShare(NamedGroup.X25519);
    const { ciphertext, sharedSecret } = noble.encapsulate(client.publicKey.subarray(0, 1184), undefined);
    const serverShare = new Uint8Array([...ciphertext, ...serverX25519.publicKey]);
    const expected = toHex(sharedSecret) + toHex(serverX25519.complete(client.publicKey.subarray(1184)));
    expect(toHex(client.complete(serverShare))).toBe(expected);

    // We are the server: the client side is noble.
    const kem = noble.keygen(undefined);
    const clientX25519 = provider.generateKeyShare(NamedGroup.X25519);
    const accepted = provider.acceptKeyShare(
      group,
      new Uint8Array([...kem.publicKey, ...clientX25519.publicKey]),
    );
    const kemSecret = kem.decapsulate(accepted.publicKey.subarray(0, 1088));
    expect(toHex(accepted.sharedSecret)).toBe(
      toHex(kemSecret) + toHex(clientX25519.complete(accepted.publicKey.subarray(1088))),
    );
  });

  it('rejects wrong lengths, an all-zero X25519 part and an encapsulation key failing the modulus check', () => {
    const client = provider.generateKeyShare(group);
    const server = provider.acceptKeyShare(group, client.publicKey);
    for (const bad of [server.publicKey.subarray(1), new Uint8Array(1121), client.publicKey]) {
      expect(thrownCode(() => client.complete(bad))).toBe('ERR_CRYPTO_INVALID_KEY_SHARE');
    }
    const zeroX25519 = server.publicKey.slice();
    zeroX25519.fill(0, 1088);
    expect(thrownCode(() => client.complete(zeroX25519))).toBe('ERR_CRYPTO_INVALID_KEY_SHARE');

    for (const bad of [client.publicKey.subarray(1), new Uint8Array(1217), server.publicKey]) {
      expect(thrownCode(() => provider.acceptKeyShare(group, bad))).toBe('ERR_CRYPTO_INVALID_KEY_SHARE');
    }
    const zeroPart = client.publicKey.slice();
    zeroPart.fill(0, 1184);
    expect(thrownCode(() => provider.acceptKeyShare(group, zeroPart))).toBe('ERR_CRYPTO_INVALID_KEY_SHARE');
    // The first 12-bit coefficient set to 0xfff >= q = 3329 (FIPS 203 §7.2 modulus check).
    const badModulus = client.publicKey.slice();
    badModulus[0] = 0xff;
    badModulus[1] = (badModulus[1]! & 0xf0) | 0x0f;
    expect(thrownCode(() => provider.acceptKeyShare(group, badModulus))).toBe('ERR_CRYPTO_INVALID_KEY_SHARE');
  });

  it('a tampered ciphertext gives a different secret, not an error (implicit rejection)', () => {
    const client = provider.generateKeyShare(group);
    const server = provider.acceptKeyShare(group, client.publicKey);
    const tampered = server.publicKey.slice();
    tampered[5]! ^= 1;
    expect(toHex(client.complete(tampered))).not.toBe(toHex(server.sharedSecret));
  });
});
