import type { PrivateKey, PublicKey } from '@tls/crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { type CertificateTemplate, createCertificate, encodePem } from '@tls/x509';
import { verifyChain } from '@tls/x509/verify';
import { describe, expect, it } from 'vitest';
import { nativeTlsHandshake } from '@tls/test-kit';

const provider = createNodeCryptoProvider();
const day = 86_400_000;
const now = Date.now();

interface Party {
  keys: { privateKey: PrivateKey; publicKey: PublicKey };
  made: ReturnType<typeof createCertificate>;
}

function party(template: Omit<CertificateTemplate, 'publicKey' | 'signingKey'>, signer?: Party): Party {
  const keys = provider.generateKeyPair({ type: 'ec', curve: 'P-256' });
  const made = createCertificate(
    {
      notBefore: now - 10 * day,
      notAfter: now + 10 * day,
      ...template,
      publicKey: keys.publicKey,
      signingKey: signer ? signer.keys.privateKey : keys.privateKey,
      ...(signer ? { issuer: signer.made.certificate } : {}),
    },
    provider,
  );
  return { keys, made };
}

const ca = { basicConstraints: { ca: true }, keyUsage: ['keyCertSign', 'cRLSign'] } as const;

async function nodeCode(leaf: Party, sent: Party[], trusted: Party[]): Promise<string | null> {
  const key = encodePem('PRIVATE KEY', provider.exportPrivateKey(leaf.keys.privateKey));
  return nativeTlsHandshake(
    { key, cert: [leaf, ...sent].map((p) => p.made.pem).join('') },
    { rejectUnauthorized: false, ca: trusted.length > 0 ? trusted.map((p) => p.made.pem) : [] },
    (socket) => {
      const error = socket.authorizationError as unknown as { code?: string } | string | null;
      return error === null ? null : typeof error === 'string' ? error : (error.code ?? null);
    },
  );
}

function ourCode(leaf: Party, sent: Party[], trusted: Party[]): string | null {
  try {
    verifyChain(
      leaf.made.certificate,
      {
        trustAnchors: trusted.map((p) => p.made.certificate),
        intermediates: sent.map((p) => p.made.certificate),
        time: Date.now(),
      },
      provider,
    );
    return null;
  } catch (error) {
    return (error as { code: string }).code;
  }
}

describe("verifyChain reports the code Node's TLS reports", () => {
  const root = party({ subject: { CN: 'Root' }, ...ca });
  const intermediate = party({ subject: { CN: 'Intermediate' }, ...ca }, root);
  const leafTemplate = {
    subject: { CN: 'leaf' },
    subjectAltNames: [{ type: 'ip', value: '127.0.0.1' }],
  } as const;
  const cases: [string, () => [Party, Party[], Party[]]][] = [
    ['valid chain', () => [party(leafTemplate, intermediate), [intermediate], [root]]],
    ['lone leaf, unknown issuer', () => [party(leafTemplate, intermediate), [], [root]]],
    [
      'expired leaf, unknown issuer',
      () => [party({ ...leafTemplate, notAfter: now - day }, intermediate), [], [root]],
    ],
    [
      'expired leaf, trusted chain',
      () => [party({ ...leafTemplate, notAfter: now - day }, intermediate), [intermediate], [root]],
    ],
    [
      'not yet valid leaf',
      () => [
        party({ ...leafTemplate, notBefore: now + day, notAfter: now + 2 * day }, intermediate),
        [intermediate],
        [root],
      ],
    ],
    ['untrusted self-signed', () => [party(leafTemplate), [], [root]]],
    ['expired self-signed', () => [party({ ...leafTemplate, notAfter: now - day }), [], [root]]],
    ['untrusted root sent by the peer', () => [party(leafTemplate, intermediate), [intermediate, root], []]],
    [
      'only the intermediate trusted',
      () => [party(leafTemplate, intermediate), [intermediate], [intermediate]],
    ],
    [
      'clientAuth-only leaf',
      () => [party({ ...leafTemplate, extKeyUsage: ['clientAuth'] }, intermediate), [intermediate], [root]],
    ],
    [
      'clientAuth-only and expired',
      () => [
        party({ ...leafTemplate, extKeyUsage: ['clientAuth'], notAfter: now - day }, intermediate),
        [intermediate],
        [root],
      ],
    ],
    [
      'intermediate that is not a CA',
      () => {
        const notCa = party({ subject: { CN: 'NotCA' }, basicConstraints: { ca: false } }, root);
        return [party(leafTemplate, notCa), [notCa], [root]];
      },
    ],
    [
      'path length exceeded',
      () => {
        const zero = party(
          {
            subject: { CN: 'Zero' },
            basicConstraints: { ca: true, pathLength: 0 },
            keyUsage: ['keyCertSign'],
          },
          root,
        );
        const below = party({ subject: { CN: 'Below' }, ...ca }, zero);
        return [party(leafTemplate, below), [below, zero], [root]];
      },
    ],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      const [leaf, sent, trusted] = make();
      const expected = await nodeCode(leaf, sent, trusted);
      expect(ourCode(leaf, sent, trusted)).toBe(expected);
    });
  }
});
