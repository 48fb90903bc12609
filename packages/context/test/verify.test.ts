import * as tls from 'node:tls';
import { decodePem, parseCertificate } from '@tls/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecureContext } from '../src/index.js';
import { credential, pfxFiles, pki } from './helpers/fixtures';
import { nativeTlsHandshake } from '@tls/test-kit';

interface Scenario {
  /** The chain the server sends (PEM, leaf first) and its key. */
  readonly served: () => { cert: string; key: string };
  /** The client's trust options. */
  readonly trust: () => tls.SecureContextOptions;
}

const derChain = (pem: string) => decodePem(pem, 'CERTIFICATE').map((block) => block.der);

async function nodeAuthorizationError(scenario: Scenario): Promise<string | undefined> {
  return nativeTlsHandshake(
    scenario.served(),
    {
      servername: 'localhost',
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      // A context made beforehand: tls.connect() does not pass allowPartialTrustChain on (Node 20).
      secureContext: tls.createSecureContext(scenario.trust()),
    },
    (socket) => (socket.authorized ? undefined : String(socket.authorizationError)),
  );
}

const { root, intermediate, leaf, revoked, expired, stranger, crlPem, rootCrlPem } = pki();
const selfSigned = credential('ecdsa');
const scenarios: Record<string, Scenario> = {
  'a self-signed leaf, default roots': {
    served: () => ({ cert: selfSigned.certPem, key: selfSigned.keyPem }),
    trust: () => ({}),
  },
  'a self-signed leaf that is itself in ca': {
    served: () => ({ cert: selfSigned.certPem, key: selfSigned.keyPem }),
    trust: () => ({ ca: selfSigned.certPem }),
  },
  'leaf + intermediate, ca is the root': {
    served: () => ({ cert: leaf.certPem + intermediate.certPem, key: leaf.keyPem }),
    trust: () => ({ ca: root.certPem }),
  },
  'the leaf alone, ca is the root': {
    served: () => ({ cert: leaf.certPem, key: leaf.keyPem }),
    trust: () => ({ ca: root.certPem }),
  },
  'the leaf alone, ca holds root and intermediate': {
    served: () => ({ cert: leaf.certPem, key: leaf.keyPem }),
    trust: () => ({ ca: [root.certPem, intermediate.certPem] }),
  },
  'leaf + intermediate, default roots': {
    served: () => ({ cert: leaf.certPem + intermediate.certPem, key: leaf.keyPem }),
    trust: () => ({}),
  },
  'leaf + intermediate + root, default roots': {
    served: () => ({ cert: leaf.certPem + intermediate.certPem + root.certPem, key: leaf.keyPem }),
    trust: () => ({}),
  },
  'an expired leaf': {
    served: () => ({ cert: expired.certPem + intermediate.certPem, key: expired.keyPem }),
    trust: () => ({ ca: root.certPem }),
  },
  'a leaf under another root': {
    served: () => ({ cert: stranger.certPem, key: stranger.keyPem }),
    trust: () => ({ ca: root.certPem }),
  },
  'leaf + intermediate, ca is only the intermediate': {
    served: () => ({ cert: leaf.certPem + intermediate.certPem, key: leaf.keyPem }),
    trust: () => ({ ca: intermediate.certPem }),
  },
  'leaf + intermediate, ca is only the intermediate, partial chains allowed': {
    served: () => ({ cert: leaf.certPem + intermediate.certPem, key: leaf.keyPem }),
    trust: () => ({ ca: intermediate.certPem, allowPartialTrustChain: true }) as tls.SecureContextOptions,
  },
  'leaf + intermediate, trusted through the extra certificates of a pfx': {
    served: () => ({ cert: leaf.certPem + intermediate.certPem, key: leaf.keyPem }),
    trust: () => ({ pfx: pfxFiles().withRoot, passphrase: 'pw' }),
  },
  'the leaf alone, a pfx without the root': {
    served: () => ({ cert: leaf.certPem, key: leaf.keyPem }),
    trust: () => ({ pfx: pfxFiles().withChain, passphrase: 'pw' }),
  },
  'a revoked leaf, with CRLs of intermediate and root': {
    served: () => ({ cert: revoked.certPem + intermediate.certPem, key: revoked.keyPem }),
    trust: () => ({ ca: root.certPem, crl: [crlPem, rootCrlPem] }),
  },
  'a good leaf, with CRLs of intermediate and root': {
    served: () => ({ cert: leaf.certPem + intermediate.certPem, key: leaf.keyPem }),
    trust: () => ({ ca: root.certPem, crl: [rootCrlPem, crlPem] }),
  },
  'a good leaf, with the root CRL only': {
    served: () => ({ cert: leaf.certPem + intermediate.certPem, key: leaf.keyPem }),
    trust: () => ({ ca: root.certPem, crl: rootCrlPem }),
  },
  'a revoked leaf, with the intermediate CRL only': {
    served: () => ({ cert: revoked.certPem + intermediate.certPem, key: revoked.keyPem }),
    trust: () => ({ ca: root.certPem, crl: crlPem }),
  },
  'a revoked leaf, partial chain to the intermediate and its CRL': {
    served: () => ({ cert: revoked.certPem + intermediate.certPem, key: revoked.keyPem }),
    trust: () =>
      ({ ca: intermediate.certPem, crl: crlPem, allowPartialTrustChain: true }) as tls.SecureContextOptions,
  },
};

describe('peer chain verification gives the code node:tls gives', () => {
  const expected = new Map<string, string | undefined>();
  beforeAll(async () => {
    for (const [what, scenario] of Object.entries(scenarios))
      expected.set(what, await nodeAuthorizationError(scenario));
  });
  afterAll(() => expected.clear());

  for (const [what, scenario] of Object.entries(scenarios)) {
    it(`for ${what}`, () => {
      const context = createSecureContext(scenario.trust() as never);
      const failure = context.verifyPeerChain(derChain(scenario.served().cert), 'serverAuth');
      expect(failure?.code).toBe(expected.get(what));
    });
  }

  it('pins the codes the brief names, and CRL results', () => {
    expect(expected.get('a revoked leaf, with CRLs of intermediate and root')).toBe('CERT_REVOKED');
    expect(expected.get('a good leaf, with CRLs of intermediate and root')).toBeUndefined();
    expect(expected.get('a revoked leaf, with the intermediate CRL only')).toBe('UNABLE_TO_GET_CRL');
    expect(expected.get('a self-signed leaf, default roots')).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(expected.get('the leaf alone, ca is the root')).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(expected.get('leaf + intermediate, ca is the root')).toBeUndefined();
  });

  it('reports a peer without a certificate as Node does (UNABLE_TO_GET_ISSUER_CERT)', () => {
    expect(createSecureContext().verifyPeerChain([], 'clientAuth')?.code).toBe('UNABLE_TO_GET_ISSUER_CERT');
  });

  it('reports bytes that are not a certificate', () => {
    expect(createSecureContext().verifyPeerChain([Uint8Array.of(1, 2, 3)], 'serverAuth')?.code).toBe(
      'UNSPECIFIED',
    );
  });
});

describe('verification results over time', () => {
  it('re-checks a cached success once the clock passes a certificate end', () => {
    const { root, intermediate, leaf } = pki();
    let now = Date.now();
    const provider = Object.assign(Object.create(createSecureContext().provider), { now: () => now });
    const context = createSecureContext({ ca: root.certPem, provider });
    const chain = derChain(leaf.certPem + intermediate.certPem);
    expect(context.verifyPeerChain(chain, 'serverAuth')).toBeUndefined();
    expect(context.verifyPeerChain(chain, 'serverAuth')).toBeUndefined();
    now = leaf.certificate.notAfter + 1000;
    expect(context.verifyPeerChain(chain, 'serverAuth')?.code).toBe('CERT_HAS_EXPIRED');
  });

  it('shares results between contexts with the same trust store, successes and failures', () => {
    const { root, intermediate, leaf } = pki();
    // Digests count the work: a cached result costs one (the lookup key), a verification more.
    let digests = 0;
    const base = createSecureContext().provider;
    const provider = Object.assign(Object.create(base), {
      hash: (...args: Parameters<typeof base.hash>) => {
        digests++;
        return base.hash(...args);
      },
    });
    const trusted = derChain(leaf.certPem + intermediate.certPem);
    const untrusted = derChain(selfSigned.certPem);
    // Contexts made per connect(), as a client's are: the second one checks no signature.
    const first = createSecureContext({ ca: root.certPem, provider });
    expect(first.verifyPeerChain(trusted, 'serverAuth')).toBeUndefined();
    expect(first.verifyPeerChain(untrusted, 'serverAuth')?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(digests).toBeGreaterThan(2);
    digests = 0;
    const second = createSecureContext({ ca: root.certPem, provider });
    expect(second.verifyPeerChain(trusted, 'serverAuth')).toBeUndefined();
    expect(second.verifyPeerChain(untrusted, 'serverAuth')?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(digests).toBe(2);
    // Another trust store: verified again, with its own result.
    expect(createSecureContext({ provider }).verifyPeerChain(trusted, 'serverAuth')?.code).toBe(
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    );
    expect(
      createSecureContext({ ca: selfSigned.certPem, provider }).verifyPeerChain(untrusted, 'serverAuth'),
    ).toBeUndefined();
  });

  it('does not serve a cached failure once the clock passes a certificate end', () => {
    let now = Date.now();
    const provider = Object.assign(Object.create(createSecureContext().provider), { now: () => now });
    const chain = derChain(selfSigned.certPem);
    const fresh = () => createSecureContext({ provider }).verifyPeerChain(chain, 'serverAuth')?.code;
    expect(fresh()).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    now = parseCertificate(chain[0]!).notAfter + 1000;
    const uncached = Object.assign(Object.create(createSecureContext().provider), { now: () => now });
    const expected = createSecureContext({ provider: uncached }).verifyPeerChain(chain, 'serverAuth')?.code;
    expect(expected).toBe('CERT_HAS_EXPIRED');
    expect(fresh()).toBe(expected);
  });
});
