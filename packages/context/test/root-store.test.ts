// The bundled roots are parsed only when a chain names them: verifying against the roots
// defaultTrustAnchorsFor picks gives what verifying against all of them gives (success or the
// same error code), for every root presented as a leaf, for a leaf whose issuer name is a real
// root's subject but which that root did not sign, and for a self-signed leaf (which picks none).
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { type Certificate, createCertificate } from '@tls/x509';
import { verifyChain } from '@tls/x509/verify';
import { describe, expect, it } from 'vitest';
import { defaultTrustAnchors, defaultTrustAnchorsFor } from '../src/root-certificates.js';
import { pki } from './helpers/fixtures';

const provider = createNodeCryptoProvider();
const time = Date.now();

function outcome(leaf: Certificate, intermediates: Certificate[], anchors: readonly Certificate[]): string {
  try {
    return `ok:${verifyChain(leaf, { trustAnchors: anchors, intermediates, time }, provider).chain.length}`;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string') throw error;
    return code;
  }
}

describe('the bundled roots, parsed as chains name them', () => {
  const all = defaultTrustAnchors();

  it('gives the result all roots give, for every root presented as a leaf', () => {
    expect(all.length).toBeGreaterThan(100);
    const outcomes = new Set<string>();
    for (const root of all) {
      const picked = defaultTrustAnchorsFor([root]);
      expect(picked).toContain(root);
      const expected = outcome(root, [], all);
      outcomes.add(expected);
      expect(outcome(root, [], picked)).toBe(expected);
    }
    // Each root is a trusted self-signed leaf, as OpenSSL accepts it: found among the picked ones.
    expect([...outcomes]).toEqual(['ok:1']);
  });

  it('gives the result all roots give for a leaf that names a root it was not signed by', () => {
    const root = all[0]!;
    const { privateKey, publicKey } = provider.generateKeyPair({ type: 'ec', curve: 'P-256' });
    const forged = createCertificate(
      { subject: { CN: 'forged.example' }, publicKey, signingKey: privateKey, issuer: root },
      provider,
    ).certificate;
    const picked = defaultTrustAnchorsFor([forged]);
    expect(picked.length).toBeGreaterThan(0);
    expect(picked.length).toBeLessThan(all.length);
    const expected = outcome(forged, [], all);
    expect(expected.startsWith('ok:')).toBe(false);
    expect(outcome(forged, [], picked)).toBe(expected);
  });

  it('picks no root for a chain under a private root', () => {
    const { leaf, intermediate } = pki();
    expect(defaultTrustAnchorsFor([leaf.certificate, intermediate.certificate])).toEqual([]);
    expect(outcome(leaf.certificate, [intermediate.certificate], [])).toBe(
      outcome(leaf.certificate, [intermediate.certificate], all),
    );
  });
});
