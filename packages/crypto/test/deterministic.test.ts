// The deterministic provider (@tls/crypto/deterministic): queued randoms and key shares, the
// seeded stream, the fixed clock, reproducibility, and the RFC 8448 server CertificateVerify
// reproduced byte for byte from the trace's RSA key and the salt recovered from the signature.
import { createECDH, createHash, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { NamedGroup, SignatureScheme } from '@tls/crypto';
import { createDeterministicProvider } from '@tls/crypto/deterministic';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { describe, expect, it } from 'vitest';
import { ascii, fromHex, thrownCode, toHex } from './helpers.js';
import { field, readTrace, step } from './rfc8448-trace.js';

const node = createNodeCryptoProvider();

describe('createDeterministicProvider', () => {
  it('returns queued randoms in order, then the SHA-256 counter stream of the seed', () => {
    const a = fromHex(`${'00'.repeat(31)}01`);
    const b = fromHex('aabbcc');
    const provider = createDeterministicProvider({ randoms: [a, b], seed: 'seed' });
    expect(toHex(provider.random(32))).toBe(toHex(a));
    expect(toHex(provider.random(3))).toBe(toHex(b));
    const block0 = node.hash('sha256', [ascii('seed'), new Uint8Array(8)]);
    const block1 = node.hash('sha256', [ascii('seed'), fromHex('0000000000000001')]);
    expect(toHex(provider.random(10))).toBe(toHex(block0.subarray(0, 10)));
    expect(toHex(provider.random(30))).toBe(toHex(block0.subarray(10)) + toHex(block1.subarray(0, 8)));
  });

  it('throws ERR_CRYPTO_INVALID_LENGTH when the queued value does not fit the call', () => {
    const provider = createDeterministicProvider({ randoms: [new Uint8Array(32)] });
    expect(thrownCode(() => provider.random(28))).toBe('ERR_CRYPTO_INVALID_LENGTH');
  });

  it('does not keep a reference to the caller arrays', () => {
    const value = new Uint8Array(4).fill(7);
    const provider = createDeterministicProvider({ randoms: [value] });
    value.fill(0);
    expect(toHex(provider.random(4))).toBe('07070707');
  });

  it('has a fixed clock, or the given function', () => {
    expect(createDeterministicProvider().now()).toBe(Date.UTC(2026, 0, 1));
    expect(createDeterministicProvider({ now: 1234 }).now()).toBe(1234);
    let t = 10;
    const provider = createDeterministicProvider({ now: () => t++ });
    expect([provider.now(), provider.now()]).toEqual([10, 11]);
  });

  it('uses queued key shares per group in order, then seeded keys', () => {
    const keys = [node.random(32), node.random(32)];
    const provider = createDeterministicProvider({
      keyShares: [
        { group: NamedGroup.X25519, privateKey: keys[0]! },
        { group: NamedGroup.Secp256r1, privateKey: fromHex(`${'00'.repeat(31)}05`) },
        { group: NamedGroup.X25519, privateKey: keys[1]! },
      ],
    });
    const reference = (key: Uint8Array) =>
      createDeterministicProvider({ keyShares: [{ group: NamedGroup.X25519, privateKey: key }] });
    expect(toHex(provider.generateKeyShare(NamedGroup.X25519).publicKey)).toBe(
      toHex(reference(keys[0]!).generateKeyShare(NamedGroup.X25519).publicKey),
    );
    const peer = node.generateKeyShare(NamedGroup.X25519);
    const accepted = provider.acceptKeyShare(NamedGroup.X25519, peer.publicKey);
    expect(toHex(accepted.publicKey)).toBe(
      toHex(reference(keys[1]!).generateKeyShare(NamedGroup.X25519).publicKey),
    );
    expect(toHex(peer.complete(accepted.publicKey))).toBe(toHex(accepted.sharedSecret));
    // P-256 private key 5: the public point is 5G, as node:crypto computes it.
    const p256 = provider.generateKeyShare(NamedGroup.Secp256r1).publicKey;
    const fiveG = createECDH('prime256v1');
    fiveG.setPrivateKey(fromHex(`${'00'.repeat(31)}05`));
    expect(toHex(p256)).toBe(fiveG.getPublicKey('hex'));
    // Queue exhausted: seeded keys, the same for the same seed.
    const seeded = provider.generateKeyShare(NamedGroup.X25519).publicKey;
    expect(toHex(seeded)).not.toBe(toHex(reference(keys[0]!).generateKeyShare(NamedGroup.X25519).publicKey));
  });

  it('two providers with the same options produce the same bytes for every group and for DH', () => {
    const make = () => createDeterministicProvider({ seed: 'replay' });
    const [one, two] = [make(), make()];
    for (const group of node.supportedGroups) {
      const a = one.generateKeyShare(group);
      const b = two.generateKeyShare(group);
      expect(toHex(a.publicKey)).toBe(toHex(b.publicKey));
      const acceptedA = one.acceptKeyShare(group, a.publicKey);
      const acceptedB = two.acceptKeyShare(group, a.publicKey);
      expect(toHex(acceptedA.publicKey)).toBe(toHex(acceptedB.publicKey));
      expect(toHex(acceptedA.sharedSecret)).toBe(toHex(acceptedB.sharedSecret));
      expect(toHex(a.complete(acceptedA.publicKey))).toBe(toHex(acceptedA.sharedSecret));
    }
    const prime = fromHex(
      'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a63a3620ffffffffffffffff',
    );
    expect(toHex(one.generateDhKeyShare(prime, Uint8Array.of(2)).publicKey)).toBe(
      toHex(two.generateDhKeyShare(prime, Uint8Array.of(2)).publicKey),
    );
    expect(toHex(one.random(16))).toBe(toHex(two.random(16)));
    expect(toHex(createDeterministicProvider({ seed: 'other' }).random(16))).not.toBe(
      toHex(make().random(16)),
    );
  });

  it('takes the RSA-PSS salt from random, so signatures replay; node:crypto verifies them', () => {
    const { privateKey } = node.generateKeyPair({ type: 'rsa', bits: 2048 });
    const message = ascii('replayed');
    const salt = node.random(32);
    const a = createDeterministicProvider({ randoms: [salt] }).sign(
      SignatureScheme.RsaPssRsaeSha256,
      privateKey,
      message,
    );
    const b = createDeterministicProvider({ randoms: [salt] }).sign(
      SignatureScheme.RsaPssRsaeSha256,
      privateKey,
      message,
    );
    const c = createDeterministicProvider({ randoms: [node.random(32)] }).sign(
      SignatureScheme.RsaPssRsaeSha256,
      privateKey,
      message,
    );
    expect(toHex(a)).toBe(toHex(b));
    expect(toHex(a)).not.toBe(toHex(c));
    expect(node.verify(SignatureScheme.RsaPssRsaeSha256, privateKey.publicKey, message, a)).toBe(true);
    expect(
      node.verify({ algorithm: 'rsa-pss', hash: 'sha256', saltLength: 32 }, privateKey.publicKey, message, c),
    ).toBe(true);
    // SHA-512 with a 2048-bit key (the top bits of the masked block are cleared).
    const d = createDeterministicProvider().sign(SignatureScheme.RsaPssRsaeSha512, privateKey, message);
    expect(node.verify(SignatureScheme.RsaPssRsaeSha512, privateKey.publicKey, message, d)).toBe(true);
  });
});

describe('RFC 8448 §3 CertificateVerify, reproduced', () => {
  const keyText = readFileSync(new URL('./vectors/rfc8448-2-server-rsa-key.txt', import.meta.url), 'utf8');
  const component = (name: string) => {
    const match = new RegExp(`${name}:\\s+([0-9a-f \\n]+?)(?:\\n\\s*\\n|$)`).exec(
      keyText.replace(/\n\n\n\n\nThomson[^\n]*\n\f?\nRFC 8448[^\n]*\n\n/g, '\n'),
    );
    if (!match) throw new Error(`no ${name}`);
    return Buffer.from(match[1]!.replace(/\s+/g, ''), 'hex');
  };
  const b64 = (bytes: Buffer) => bytes.toString('base64url');
  const jwk = {
    kty: 'RSA',
    n: b64(component('modulus \\(public\\)')),
    e: b64(component('public exponent')),
    d: b64(component('private exponent')),
    p: b64(component('prime1')),
    q: b64(component('prime2')),
    dp: b64(component('exponent1')),
    dq: b64(component('exponent2')),
    qi: b64(component('coefficient')),
  };
  const pkcs8 = createPrivateKey({ key: jwk, format: 'jwk' }).export({ format: 'der', type: 'pkcs8' });
  const privateKey = node.importPrivateKey({ key: new Uint8Array(pkcs8) });

  const trace = readTrace(new URL('./vectors/rfc8448-3-simple-1rtt.txt', import.meta.url));
  const message = (action: string, name: string) => field(step(trace, action), name);
  const certificateVerify = message('construct a CertificateVerify handshake message', 'CertificateVerify');
  const transcriptHash = node.hash('sha256', [
    message('construct a ClientHello handshake message', 'ClientHello'),
    message('construct a ServerHello handshake message', 'ServerHello'),
    message('construct an EncryptedExtensions handshake message', 'EncryptedExtensions'),
    message('construct a Certificate handshake message', 'Certificate'),
  ]);
  // RFC 8446 §4.4.3: 64 spaces, the context string, a zero byte, then the transcript hash.
  const signed = new Uint8Array([
    ...new Uint8Array(64).fill(0x20),
    ...ascii('TLS 1.3, server CertificateVerify'),
    0,
    ...transcriptHash,
  ]);
  const signature = certificateVerify.subarray(8);

  it('imports the trace key (1024 bits) and verifies the trace signature as rsa_pss_rsae_sha256', () => {
    expect([privateKey.type, privateKey.bits]).toEqual(['rsa', 1024]);
    expect(toHex(certificateVerify.subarray(0, 8))).toBe('0f00008408040080');
    expect(node.verify(SignatureScheme.RsaPssRsaeSha256, privateKey.publicKey, signed, signature)).toBe(true);
    expect(
      node.verify(SignatureScheme.RsaPssRsaeSha256, privateKey.publicKey, signed.subarray(1), signature),
    ).toBe(false);
  });

  it('signs the same bytes when given the salt the trace used', () => {
    // Recover the salt: EM = s^e mod n (RFC 8017 §8.1.2), then unmask DB = maskedDB xor MGF1(H).
    const n = BigInt(`0x${component('modulus \\(public\\)').toString('hex')}`);
    let em = 1n;
    let base = BigInt(`0x${toHex(signature)}`);
    for (let e = 65537n; e > 0n; e >>= 1n) {
      if (e & 1n) em = (em * base) % n;
      base = (base * base) % n;
    }
    const encoded = fromHex(em.toString(16).padStart(256, '0'));
    const h = encoded.subarray(95, 127);
    const mask = Buffer.concat(
      [0, 1, 2].map((i) =>
        createHash('sha256')
          .update(h)
          .update(Uint8Array.of(0, 0, 0, i))
          .digest(),
      ),
    ).subarray(0, 95);
    const db = encoded.subarray(0, 95).map((byte, i) => byte ^ mask[i]!);
    db[0]! &= 0x7f;
    expect(db[95 - 33]).toBe(0x01);
    const salt = db.subarray(95 - 32);
    const provider = createDeterministicProvider({ randoms: [salt] });
    expect(toHex(provider.sign(SignatureScheme.RsaPssRsaeSha256, privateKey, signed))).toBe(toHex(signature));
  });
});
