// verifyChain on generated chains, compared with `openssl verify` on the same files: the same
// verdict, the same OpenSSL error name and the same depth.
import { readFileSync, writeFileSync } from 'node:fs';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { type Certificate, parseCertificates } from '@tls/x509';
import { type VerifyOptions, X509VerifyError, verifyChain } from '@tls/x509/verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Issued, type KeyAlgorithm, OpensslDir, nativeTlsHandshake } from '@tls/test-kit';

const provider = createNodeCryptoProvider();
const openssl = new OpensslDir();
afterAll(() => openssl.dispose());

// OpenSSL's X509_V_ERR_* numbers (include/openssl/x509_vfy.h).
const opensslCodes: Record<number, string> = {
  2: 'UNABLE_TO_GET_ISSUER_CERT',
  7: 'CERT_SIGNATURE_FAILURE',
  9: 'CERT_NOT_YET_VALID',
  10: 'CERT_HAS_EXPIRED',
  18: 'DEPTH_ZERO_SELF_SIGNED_CERT',
  19: 'SELF_SIGNED_CERT_IN_CHAIN',
  20: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  21: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  22: 'CERT_CHAIN_TOO_LONG',
  24: 'NO_ISSUER_PUBLIC_KEY',
  25: 'PATH_LENGTH_EXCEEDED',
  26: 'INVALID_PURPOSE',
  32: 'KEYUSAGE_NO_CERTSIGN',
  34: 'UNHANDLED_CRITICAL_EXTENSION',
  43: 'NO_EXPLICIT_POLICY',
  47: 'PERMITTED_VIOLATION',
  48: 'EXCLUDED_VIOLATION',
  62: 'HOSTNAME_MISMATCH',
  68: 'CA_MD_TOO_WEAK',
  79: 'INVALID_CA',
};

interface Scenario {
  leaf: Issued;
  untrusted?: Issued[];
  trusted: Issued[];
  time?: number;
  maxDepth?: number;
  hostname?: string;
  partialChain?: boolean;
  /** Extra `openssl verify` flags. */
  flags?: string[];
}

/** The message each code had, from openssl and from us, compared at the end. */
const messages = new Map<string, string>();
const ourMessages = new Map<string, string>();

function opensslVerdict(scenario: Scenario): { code: string; depth: number } | 'OK' {
  const id = Math.random().toString(36).slice(2);
  const args = ['verify', '-purpose', 'sslserver', '-no-CApath', '-no-CAstore'];
  if (scenario.trusted.length > 0) {
    args.push('-CAfile', openssl.write(`ca-${id}.pem`, scenario.trusted.map((c) => c.certPem).join('')));
  } else args.push('-no-CAfile');
  if (scenario.untrusted?.length) {
    args.push('-untrusted', openssl.write(`u-${id}.pem`, scenario.untrusted.map((c) => c.certPem).join('')));
  }
  if (scenario.time !== undefined) args.push('-attime', String(Math.floor(scenario.time / 1000)));
  if (scenario.maxDepth !== undefined) args.push('-verify_depth', String(scenario.maxDepth));
  if (scenario.hostname !== undefined) args.push('-verify_hostname', scenario.hostname);
  args.push(...(scenario.flags ?? []), scenario.leaf.certPath);
  const { status, output } = openssl.tryRun(args);
  if (status === 0) return 'OK';
  const match = /error (\d+) at (\d+) depth lookup: ([^\n]*)/.exec(output);
  if (!match) throw new Error(`unexpected openssl output: ${output}`);
  const code = opensslCodes[Number(match[1])] ?? `openssl-${match[1]}`;
  messages.set(code, match[3]!);
  return { code, depth: Number(match[2]) };
}

/** Node's `authorizationError` code for a server sending `chainPem`, with `caPem` trusted. */
async function nodeAuthorizationError(leaf: Issued, chainPem: string, caPem: string): Promise<string | null> {
  return nativeTlsHandshake(
    { key: readFileSync(leaf.keyPath, 'utf8'), cert: chainPem },
    { ca: caPem, rejectUnauthorized: false, servername: 'example.com' },
    (socket) => {
      const error = socket.authorizationError as unknown as { code?: string } | null;
      return error === null ? null : (error.code ?? String(error));
    },
  );
}

function ourVerdict(scenario: Scenario): { code: string; depth: number } | 'OK' {
  const parse = (list: Issued[] | undefined): Certificate[] =>
    (list ?? []).flatMap((c) => parseCertificates(c.certPem));
  const options: { -readonly [K in keyof VerifyOptions]: VerifyOptions[K] } = {
    trustAnchors: parse(scenario.trusted),
    intermediates: parse(scenario.untrusted),
    time: scenario.time ?? Date.now(),
    purpose: 'serverAuth',
    errorReporting: 'first',
  };
  if (scenario.maxDepth !== undefined) options.maxDepth = scenario.maxDepth;
  if (scenario.hostname !== undefined) options.hostname = scenario.hostname;
  if (scenario.partialChain !== undefined) options.partialChain = scenario.partialChain;
  try {
    const { chain } = verifyChain(parseCertificates(scenario.leaf.certPem)[0]!, options, provider);
    expect(chain.length).toBeGreaterThan(0);
    return 'OK';
  } catch (error) {
    if (!(error instanceof X509VerifyError)) throw error;
    ourMessages.set(error.code, error.message);
    return { code: error.code, depth: error.depth };
  }
}

function expectSameAsOpenssl(scenario: Scenario, expected: { code: string; depth: number } | 'OK'): void {
  expect(opensslVerdict(scenario)).toEqual(expected);
  expect(ourVerdict(scenario)).toEqual(expected);
}

const caExtensions = (pathlen?: number) => [
  `basicConstraints = critical, CA:TRUE${pathlen === undefined ? '' : `, pathlen:${pathlen}`}`,
  'keyUsage = critical, keyCertSign, cRLSign',
  'subjectKeyIdentifier = hash',
  'authorityKeyIdentifier = keyid:always',
];
const leafExtensions = (san = 'DNS:example.com') => [
  'basicConstraints = critical, CA:FALSE',
  'keyUsage = critical, digitalSignature, keyEncipherment',
  'extendedKeyUsage = serverAuth',
  `subjectAltName = ${san}`,
  'subjectKeyIdentifier = hash',
  'authorityKeyIdentifier = keyid:always',
];

describe('verifyChain against openssl verify', () => {
  let root: Issued;
  let intermediate: Issued;
  let leaf: Issued;
  const key: Record<string, string> = {};
  beforeAll(() => {
    for (const spec of ['p256', 'rsa'] as KeyAlgorithm[]) key[spec] = openssl.key(spec);
    root = openssl.issue({
      key: key.p256!,
      subject: '/CN=Root',
      extensions: [
        'basicConstraints = critical, CA:TRUE',
        'keyUsage = critical, keyCertSign, cRLSign',
        'subjectKeyIdentifier = hash',
      ],
    });
    intermediate = openssl.issue({
      key: key.rsa!,
      subject: '/CN=Intermediate',
      issuer: root,
      extensions: caExtensions(),
    });
    leaf = openssl.issue({
      key: openssl.key('p256'),
      subject: '/CN=example.com',
      issuer: intermediate,
      extensions: leafExtensions(),
    });
  });

  it('accepts a valid chain', () => {
    expectSameAsOpenssl({ leaf, untrusted: [intermediate], trusted: [root], hostname: 'example.com' }, 'OK');
  });

  it('reports a missing issuer like OpenSSL, and a lone leaf as Node does', async () => {
    // `openssl verify` stops at the first error (20 at depth 0). Node's TLS continues past errors
    // and reports the last one, UNABLE_TO_VERIFY_LEAF_SIGNATURE: errorReporting 'last', the default.
    expectSameAsOpenssl({ leaf, trusted: [root] }, { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', depth: 0 });
    const nodeView = () =>
      verifyChain(
        parseCertificates(leaf.certPem)[0]!,
        { trustAnchors: parseCertificates(root.certPem) },
        provider,
      );
    expect(nodeView).toThrow(expect.objectContaining({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', depth: 0 }));
    expect(await nodeAuthorizationError(leaf, leaf.certPem, root.certPem)).toBe(
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    );
    expect(await nodeAuthorizationError(leaf, leaf.certPem + intermediate.certPem, root.certPem)).toBe(null);
    expectSameAsOpenssl(
      { leaf, untrusted: [intermediate], trusted: [] },
      { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', depth: 1 },
    );
  });

  it('needs a trusted root unless partialChain, like OpenSSL and Node', async () => {
    expectSameAsOpenssl({ leaf, trusted: [intermediate] }, { code: 'UNABLE_TO_GET_ISSUER_CERT', depth: 1 });
    expectSameAsOpenssl(
      { leaf, trusted: [intermediate], partialChain: true, flags: ['-partial_chain'] },
      'OK',
    );
    expectSameAsOpenssl({ leaf, untrusted: [intermediate], trusted: [intermediate, root] }, 'OK');
    expect(
      await nodeAuthorizationError(leaf, leaf.certPem + intermediate.certPem, intermediate.certPem),
    ).toBe('UNABLE_TO_GET_ISSUER_CERT');
  });

  it('reports self-signed certificates like OpenSSL', () => {
    expectSameAsOpenssl({ leaf: root, trusted: [] }, { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', depth: 0 });
    expectSameAsOpenssl(
      { leaf, untrusted: [intermediate, root], trusted: [] },
      { code: 'SELF_SIGNED_CERT_IN_CHAIN', depth: 2 },
    );
  });

  it('checks validity at the given time', () => {
    const day = 86_400_000;
    expectSameAsOpenssl(
      { leaf, untrusted: [intermediate], trusted: [root], time: Date.now() + 40 * day },
      { code: 'CERT_HAS_EXPIRED', depth: 2 },
    );
    expectSameAsOpenssl(
      { leaf, untrusted: [intermediate], trusted: [root], time: Date.now() - 2 * day },
      { code: 'CERT_NOT_YET_VALID', depth: 2 },
    );
    const shortLeaf = openssl.issue({
      key: key.p256!,
      subject: '/CN=short',
      issuer: intermediate,
      extensions: leafExtensions(),
      days: 1,
    });
    expectSameAsOpenssl(
      { leaf: shortLeaf, untrusted: [intermediate], trusted: [root], time: Date.now() + 3 * day },
      { code: 'CERT_HAS_EXPIRED', depth: 0 },
    );
  });

  it('rejects a bad signature', () => {
    const der = parseCertificates(leaf.certPem)[0]!.der.slice();
    der[der.length - 5]! ^= 0x01;
    const path = openssl.path('tampered.der');
    writeFileSync(path, der);
    openssl.run(['x509', '-inform', 'DER', '-in', path, '-out', openssl.path('tampered.pem')]);
    const tampered: Issued = {
      ...leaf,
      certPath: openssl.path('tampered.pem'),
      certPem: readFileSync(openssl.path('tampered.pem'), 'utf8'),
    };
    expectSameAsOpenssl(
      { leaf: tampered, untrusted: [intermediate], trusted: [root] },
      { code: 'CERT_SIGNATURE_FAILURE', depth: 0 },
    );
  });

  it('requires CA certificates and keyCertSign', () => {
    const notCa = openssl.issue({
      key: key.rsa!,
      subject: '/CN=NotCA',
      issuer: root,
      extensions: [
        'basicConstraints = critical, CA:FALSE',
        'subjectKeyIdentifier = hash',
        'authorityKeyIdentifier = keyid:always',
      ],
    });
    const below = openssl.issue({
      key: key.p256!,
      subject: '/CN=example.com',
      issuer: notCa,
      extensions: leafExtensions(),
    });
    expectSameAsOpenssl(
      { leaf: below, untrusted: [notCa], trusted: [root] },
      { code: 'INVALID_CA', depth: 1 },
    );
    const noCertSign = openssl.issue({
      key: key.rsa!,
      subject: '/CN=NoCertSign',
      issuer: root,
      extensions: [
        'basicConstraints = critical, CA:TRUE',
        'keyUsage = critical, digitalSignature',
        'subjectKeyIdentifier = hash',
        'authorityKeyIdentifier = keyid:always',
      ],
    });
    const under = openssl.issue({
      key: key.p256!,
      subject: '/CN=example.com',
      issuer: noCertSign,
      extensions: leafExtensions(),
    });
    expectSameAsOpenssl(
      { leaf: under, untrusted: [noCertSign], trusted: [root] },
      { code: 'INVALID_CA', depth: 1 },
    );
  });

  it('enforces pathLenConstraint and the maximum depth', () => {
    const constrained = openssl.issue({
      key: key.rsa!,
      subject: '/CN=PathLen0',
      issuer: root,
      extensions: caExtensions(0),
    });
    const second = openssl.issue({
      key: key.p256!,
      subject: '/CN=Second',
      issuer: constrained,
      extensions: caExtensions(),
    });
    const deep = openssl.issue({
      key: key.p256!,
      subject: '/CN=example.com',
      issuer: second,
      extensions: leafExtensions(),
    });
    expectSameAsOpenssl(
      { leaf: deep, untrusted: [second, constrained], trusted: [root] },
      { code: 'PATH_LENGTH_EXCEEDED', depth: 2 },
    );
    const direct = openssl.issue({
      key: key.p256!,
      subject: '/CN=example.com',
      issuer: constrained,
      extensions: leafExtensions(),
    });
    expectSameAsOpenssl({ leaf: direct, untrusted: [constrained], trusted: [root] }, 'OK');
    const free = openssl.issue({
      key: key.p256!,
      subject: '/CN=Free',
      issuer: intermediate,
      extensions: caExtensions(),
    });
    const far = openssl.issue({
      key: key.p256!,
      subject: '/CN=example.com',
      issuer: free,
      extensions: leafExtensions(),
    });
    expectSameAsOpenssl({ leaf: far, untrusted: [free, intermediate], trusted: [root], maxDepth: 2 }, 'OK');
    expectSameAsOpenssl(
      { leaf: far, untrusted: [free, intermediate], trusted: [root], maxDepth: 1 },
      { code: 'CERT_CHAIN_TOO_LONG', depth: 2 },
    );
  });

  it('checks extended key usage for serverAuth', () => {
    const clientOnly = openssl.issue({
      key: key.p256!,
      subject: '/CN=client',
      issuer: intermediate,
      extensions: [
        ...leafExtensions().filter((e) => !e.startsWith('extendedKeyUsage')),
        'extendedKeyUsage = clientAuth',
      ],
    });
    expectSameAsOpenssl(
      { leaf: clientOnly, untrusted: [intermediate], trusted: [root] },
      { code: 'INVALID_PURPOSE', depth: 0 },
    );
  });

  it('rejects unknown critical extensions', () => {
    const odd = openssl.issue({
      key: key.p256!,
      subject: '/CN=odd',
      issuer: intermediate,
      extensions: [...leafExtensions(), '1.2.3.4.5 = critical, DER:0500'],
    });
    expectSameAsOpenssl(
      { leaf: odd, untrusted: [intermediate], trusted: [root] },
      { code: 'UNHANDLED_CRITICAL_EXTENSION', depth: 0 },
    );
  });

  it('applies name constraints (DNS, IP, email)', () => {
    const constrained = openssl.issue({
      key: key.rsa!,
      subject: '/CN=Constrained',
      issuer: root,
      extensions: [
        ...caExtensions(),
        'nameConstraints = critical, permitted;DNS:example.com, permitted;IP:10.0.0.0/255.0.0.0, excluded;DNS:bad.example.com, excluded;email:evil@example.com',
      ],
    });
    const cases: [string, { code: string; depth: number } | 'OK'][] = [
      ['DNS:www.example.com, IP:10.1.2.3', 'OK'],
      ['DNS:www.example.org', { code: 'PERMITTED_VIOLATION', depth: 0 }],
      ['DNS:x.bad.example.com', { code: 'EXCLUDED_VIOLATION', depth: 0 }],
      ['DNS:www.example.com, IP:192.168.0.1', { code: 'PERMITTED_VIOLATION', depth: 0 }],
      ['DNS:www.example.com, email:evil@example.com', { code: 'EXCLUDED_VIOLATION', depth: 0 }],
      ['DNS:www.example.com, email:good@example.com', 'OK'],
    ];
    for (const [san, expected] of cases) {
      const named = openssl.issue({
        key: key.p256!,
        subject: '/CN=named',
        issuer: constrained,
        extensions: leafExtensions(san),
      });
      expectSameAsOpenssl({ leaf: named, untrusted: [constrained], trusted: [root] }, expected);
    }
  });

  it('processes certificate policies when an explicit policy is required (openssl -policy_check -policy anyPolicy)', () => {
    const ica = (extra: string[]) =>
      openssl.issue({
        key: key.rsa!,
        subject: '/CN=Policy CA',
        issuer: root,
        extensions: [...caExtensions(), 'policyConstraints = critical, requireExplicitPolicy:0', ...extra],
      });
    const leafWith = (issuer: Issued, policies: string | undefined) =>
      openssl.issue({
        key: key.p256!,
        subject: '/CN=example.com',
        issuer,
        extensions: [...leafExtensions(), ...(policies ? [`certificatePolicies = ${policies}`] : [])],
      });
    const specific = ica(['certificatePolicies = 1.2.3.1']);
    const any = ica(['certificatePolicies = 2.5.29.32.0']);
    const mapping = ica(['certificatePolicies = 1.2.3.1', 'policyMappings = 1.2.3.1:1.2.3.5']);
    const cases: [Issued, string | undefined, { code: string; depth: number } | 'OK'][] = [
      [specific, '1.2.3.1', 'OK'],
      [specific, '1.2.3.1, 1.2.3.9', 'OK'],
      [specific, '1.2.3.2', { code: 'NO_EXPLICIT_POLICY', depth: 0 }],
      [specific, undefined, { code: 'NO_EXPLICIT_POLICY', depth: 0 }],
      [any, '1.2.3.7', 'OK'],
      [any, undefined, { code: 'NO_EXPLICIT_POLICY', depth: 0 }],
      [mapping, '1.2.3.5', 'OK'],
      [mapping, '1.2.3.1', { code: 'NO_EXPLICIT_POLICY', depth: 0 }],
    ];
    for (const [issuer, policies, expected] of cases) {
      const scenario = {
        leaf: leafWith(issuer, policies),
        untrusted: [issuer],
        trusted: [root],
        flags: ['-policy_check', '-policy', '2.5.29.32.0'],
      };
      const theirs = opensslVerdict(scenario);
      const ours = ourVerdict(scenario);
      expect(theirs === 'OK' ? 'OK' : theirs.code, `openssl, ${policies}`).toBe(
        expected === 'OK' ? 'OK' : expected.code,
      );
      expect(ours, `ours, ${policies}`).toEqual(expected);
    }
  });

  it('checks the host name', () => {
    expectSameAsOpenssl(
      { leaf, untrusted: [intermediate], trusted: [root], hostname: 'other.example' },
      { code: 'HOSTNAME_MISMATCH', depth: 0 },
    );
  });

  it('rejects SHA-1 signatures outside trust anchors', () => {
    const sha1 = openssl.issue({
      key: key.p256!,
      subject: '/CN=sha1',
      issuer: intermediate,
      extensions: leafExtensions(),
      digest: 'sha1',
    });
    expectSameAsOpenssl(
      { leaf: sha1, untrusted: [intermediate], trusted: [root], flags: ['-auth_level', '2'] },
      { code: 'CA_MD_TOO_WEAK', depth: 0 },
    );
  });

  it('verifies RSA-PSS, Ed25519, Ed448, P-384 and P-521 signatures', () => {
    const specs: [KeyAlgorithm, string[]][] = [
      ['rsa-pss', []],
      ['ed25519', []],
      ['ed448', []],
      ['p384', []],
      ['p521', []],
      ['rsa', ['rsa_padding_mode:pss', 'rsa_pss_saltlen:32']],
    ];
    for (const [spec, sigopt] of specs) {
      const caKey = openssl.key(spec);
      const ca = openssl.issue({
        key: caKey,
        subject: `/CN=${spec} CA`,
        issuer: root,
        extensions: caExtensions(),
      });
      const signed = openssl.issue({
        key: openssl.key('p256'),
        subject: '/CN=example.com',
        issuer: { ...ca, keyPath: caKey },
        extensions: leafExtensions(),
        sigopt,
      });
      expectSameAsOpenssl({ leaf: signed, untrusted: [ca], trusted: [root] }, 'OK');
    }
  });

  it('finds the valid path among cross-signed candidates and several roots', () => {
    // Two roots; the intermediate's key is certified by both, but only root B is trusted.
    const rootA = openssl.issue({
      key: openssl.key('p256'),
      subject: '/CN=Cross Root',
      extensions: [
        'basicConstraints = critical, CA:TRUE',
        'keyUsage = critical, keyCertSign',
        'subjectKeyIdentifier = hash',
      ],
    });
    const rootB = openssl.issue({
      key: openssl.key('p256'),
      subject: '/CN=Cross Root',
      extensions: [
        'basicConstraints = critical, CA:TRUE',
        'keyUsage = critical, keyCertSign',
        'subjectKeyIdentifier = hash',
      ],
    });
    const interKey = openssl.key('p256');
    const viaA = openssl.issue({
      key: interKey,
      subject: '/CN=Cross Intermediate',
      issuer: rootA,
      extensions: caExtensions(),
    });
    const viaB = openssl.issue({
      key: interKey,
      subject: '/CN=Cross Intermediate',
      issuer: rootB,
      extensions: caExtensions(),
    });
    const crossLeaf = openssl.issue({
      key: openssl.key('p256'),
      subject: '/CN=example.com',
      issuer: { ...viaA, keyPath: interKey },
      extensions: leafExtensions(),
    });
    // The candidate via A has no trusted root; via B does.
    expect(ourVerdict({ leaf: crossLeaf, untrusted: [viaA, viaB], trusted: [root, rootB] })).toBe('OK');
    expect(ourVerdict({ leaf: crossLeaf, untrusted: [viaB, viaA], trusted: [rootB, root] })).toBe('OK');
    expect(ourVerdict({ leaf: crossLeaf, untrusted: [viaA], trusted: [rootB] })).toEqual({
      code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      depth: 1,
    });
    // An expired path and a valid one: the valid one wins.
    const expiredB = openssl.issue({
      key: interKey,
      subject: '/CN=Cross Intermediate',
      issuer: rootB,
      extensions: caExtensions(),
      days: 1,
    });
    const later = Date.now() + 5 * 86_400_000;
    expect(ourVerdict({ leaf: crossLeaf, untrusted: [expiredB], trusted: [rootB], time: later })).toEqual({
      code: 'CERT_HAS_EXPIRED',
      depth: 1,
    });
    expect(ourVerdict({ leaf: crossLeaf, untrusted: [expiredB, viaB], trusted: [rootB], time: later })).toBe(
      'OK',
    );
  });

  it("uses OpenSSL's message for every code both reported (what Node shows as err.message)", () => {
    const shared = [...messages.keys()].filter((code) => ourMessages.has(code));
    expect(shared.length).toBeGreaterThan(12);
    for (const code of shared) expect(ourMessages.get(code), code).toBe(messages.get(code));
  });
});
