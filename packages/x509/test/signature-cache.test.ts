// Signatures that verified are remembered across verifications (per provider): the second
// verification of a chain makes no signature check, and a certificate whose signed bytes differ
// from one that verified is checked afresh, never taken from the memory.
import type { CryptoProvider } from '@tls/crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { createCertificate, parseCertificate } from '@tls/x509';
import { verifyChain } from '@tls/x509/verify';
import { describe, expect, it } from 'vitest';

/** A node provider that counts its signature checks. */
function countingProvider(): CryptoProvider & { verifications: number } {
  const inner = createNodeCryptoProvider();
  const counting = Object.create(inner) as CryptoProvider & { verifications: number };
  counting.verifications = 0;
  counting.verify = (...args: Parameters<CryptoProvider['verify']>) => {
    counting.verifications++;
    return inner.verify(...args);
  };
  return counting;
}

const issuing = createNodeCryptoProvider();
const rootKeys = issuing.generateKeyPair({ type: 'ec', curve: 'P-256' });
const leafKeys = issuing.generateKeyPair({ type: 'ec', curve: 'P-256' });
const root = createCertificate(
  {
    subject: { CN: 'Cache Root' },
    publicKey: rootKeys.publicKey,
    signingKey: rootKeys.privateKey,
    basicConstraints: { ca: true },
    keyUsage: ['keyCertSign'],
  },
  issuing,
).certificate;
const leaf = createCertificate(
  {
    subject: { CN: 'cache.example' },
    publicKey: leafKeys.publicKey,
    issuer: root,
    signingKey: rootKeys.privateKey,
    subjectAltNames: [{ type: 'dns', value: 'cache.example' }],
  },
  issuing,
).certificate;

describe('remembered signatures', () => {
  it('checks a chain once, then answers from memory', () => {
    const provider = countingProvider();
    verifyChain(leaf, { trustAnchors: [root], hostname: 'cache.example' }, provider);
    const first = provider.verifications;
    expect(first).toBeGreaterThan(0);
    verifyChain(parseCertificate(leaf.der), { trustAnchors: [root], hostname: 'cache.example' }, provider);
    expect(provider.verifications).toBe(first);
  });

  it('checks afresh a certificate with other signed bytes under the same signature', () => {
    const provider = countingProvider();
    verifyChain(leaf, { trustAnchors: [root], hostname: 'cache.example' }, provider);
    // The same certificate with one byte of its subject name changed: same signature, new TBS.
    const raw = new Uint8Array(leaf.der);
    const at = Buffer.from(raw).indexOf('cache.example');
    raw[at] = 'k'.charCodeAt(0);
    const forged = parseCertificate(raw);
    const before = provider.verifications;
    expect(() => verifyChain(forged, { trustAnchors: [root] }, provider)).toThrow(
      expect.objectContaining({ code: 'CERT_SIGNATURE_FAILURE' }),
    );
    expect(provider.verifications).toBeGreaterThan(before);
  });

  it('keeps providers apart', () => {
    const one = countingProvider();
    const other = countingProvider();
    verifyChain(leaf, { trustAnchors: [root], hostname: 'cache.example' }, one);
    verifyChain(leaf, { trustAnchors: [root], hostname: 'cache.example' }, other);
    expect(other.verifications).toBe(one.verifications);
  });
});
