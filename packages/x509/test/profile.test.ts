// verifyChain's validation profiles: 'openssl' (default) stays what OpenSSL and Node accept,
// 'rfc5280' and 'webpki' add their rules. Chains come from createCertificate, and from the
// x509-limbo corpus for the forms createCertificate cannot make (a critical extKeyUsage, a
// non-critical nameConstraints, a cross-signed anchor without AKI).
import { domainToASCII } from 'node:url';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { type AltNameInput, type Certificate, createCertificate, parseCertificates } from '@tls/x509';
import {
  type VerifyOptions,
  hostnameToAscii,
  parseUrlIpv4,
  publicSuffixMatcher,
  verifyChain,
} from '@tls/x509/verify';
import { describe, expect, it } from 'vitest';
import { loadLimbo, loadPublicSuffixes } from './helpers/limbo';

const provider = createNodeCryptoProvider();
const rootKeys = provider.generateKeyPair({ type: 'ec', curve: 'P-256' });
const leafKeys = provider.generateKeyPair({ type: 'ec', curve: 'P-256' });

function makeRoot(extKeyUsage?: readonly string[]): Certificate {
  return createCertificate(
    {
      subject: { CN: 'Profile Test Root' },
      publicKey: rootKeys.publicKey,
      signingKey: rootKeys.privateKey,
      basicConstraints: { ca: true },
      keyUsage: ['keyCertSign', 'cRLSign'],
      ...(extKeyUsage ? { extKeyUsage } : {}),
    },
    provider,
  ).certificate;
}
const root = makeRoot();

interface LeafSpec {
  readonly cn?: string;
  readonly sans?: readonly AltNameInput[];
  readonly extKeyUsage?: readonly string[] | null;
  readonly ca?: boolean;
}

function makeLeaf(spec: LeafSpec = {}): Certificate {
  return createCertificate(
    {
      subject: { CN: spec.cn ?? 'example.com' },
      publicKey: leafKeys.publicKey,
      issuer: root,
      signingKey: rootKeys.privateKey,
      subjectAltNames: spec.sans ?? [{ type: 'dns', value: 'example.com' }],
      ...(spec.extKeyUsage === null ? {} : { extKeyUsage: spec.extKeyUsage ?? ['serverAuth'] }),
      ...(spec.ca ? { basicConstraints: { ca: true } } : {}),
      keyUsage: ['digitalSignature'],
    },
    provider,
  ).certificate;
}

/** The peer name to check: a host name or an IP literal. */
function peer(name: string): { hostname: string } | { ip: string } {
  return /^[\d.]+$/.test(name) || name.includes(':') ? { ip: name } : { hostname: name };
}

function verdict(leaf: Certificate, options: Partial<VerifyOptions> = {}, anchor = root): string {
  try {
    const name = options.ip === undefined && options.hostname === undefined ? peer('example.com') : {};
    verifyChain(leaf, { trustAnchors: [anchor], ...name, ...options }, provider);
    return 'OK';
  } catch (error) {
    const { code } = error as { code?: string };
    if (code === undefined) throw error;
    return code;
  }
}

describe("the 'openssl' profile (default)", () => {
  it('accepts what OpenSSL accepts: a CA leaf, a leaf without EKU, a CN not in the SANs', () => {
    expect(verdict(makeLeaf({ ca: true }))).toBe('OK');
    expect(verdict(makeLeaf({ extKeyUsage: null }))).toBe('OK');
    expect(verdict(makeLeaf({ cn: 'Example.COM' }))).toBe('OK');
    expect(verdict(makeLeaf(), {}, makeRoot(['serverAuth']))).toBe('OK');
    expect(verdict(makeLeaf({ ca: true }), { profile: 'openssl' })).toBe('OK');
  });

  it('refuses an unknown profile and strict: false with rfc5280 or webpki (ERR_INVALID_ARG_VALUE)', () => {
    const options = { trustAnchors: [root] };
    for (const bad of [
      { ...options, profile: 'cabf' as never },
      { ...options, profile: 'webpki' as const, strict: false },
      { ...options, profile: 'rfc5280' as const, strict: false },
    ]) {
      expect(() => verifyChain(makeLeaf(), bad, provider)).toThrow(
        expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' }),
      );
    }
  });
});

describe("the 'webpki' profile (CA/Browser Forum Baseline Requirements)", () => {
  const webpki = { profile: 'webpki' } as const;

  it('accepts a conforming chain, and includes the strict checks', () => {
    expect(verdict(makeLeaf(), webpki)).toBe('OK');
    expect(
      verdict(makeLeaf({ cn: '*.example.com', sans: [{ type: 'dns', value: '*.example.com' }] }), {
        ...webpki,
        hostname: 'www.example.com',
      }),
    ).toBe('OK');
    // createCertificate's root has no AKI: fine for a self-signed anchor; a leaf with keyCertSign is not.
    const keyCertSignLeaf = createCertificate(
      {
        subject: { CN: 'example.com' },
        publicKey: leafKeys.publicKey,
        issuer: root,
        signingKey: rootKeys.privateKey,
        subjectAltNames: [{ type: 'dns', value: 'example.com' }],
        extKeyUsage: ['serverAuth'],
        keyUsage: ['digitalSignature', 'keyCertSign'],
      },
      provider,
    ).certificate;
    expect(verdict(keyCertSignLeaf)).toBe('OK');
    expect(verdict(keyCertSignLeaf, webpki)).toBe('KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA');
  });

  it('rejects an end-entity certificate with cA TRUE, and a CA certificate as the leaf (BR §7.1.2.7.8)', () => {
    expect(verdict(makeLeaf({ ca: true }), webpki)).toBe('INVALID_EXTENSION');
    expect(verdict(makeLeaf({ ca: true }), { profile: 'rfc5280' })).toBe('OK');
  });

  it('requires a non-critical extKeyUsage without anyExtendedKeyUsage in the leaf (BR §7.1.2.7.6, §7.1.2.7.10)', () => {
    expect(verdict(makeLeaf({ extKeyUsage: null }), webpki)).toBe('INVALID_PURPOSE');
    expect(verdict(makeLeaf({ extKeyUsage: null }), { profile: 'rfc5280' })).toBe('OK');
    expect(verdict(makeLeaf({ extKeyUsage: ['serverAuth', '2.5.29.37.0'] }))).toBe('OK');
    expect(verdict(makeLeaf({ extKeyUsage: ['serverAuth', '2.5.29.37.0'] }), webpki)).toBe('INVALID_PURPOSE');
    const critical = limboChain('webpki::eku::ee-critical-eku');
    expect(limboVerdict(critical, 'openssl')).toBe('OK');
    expect(limboVerdict(critical, 'webpki')).toBe('INVALID_EXTENSION');
  });

  it('rejects extKeyUsage in a root, not in a trusted intermediate (BR §7.1.2.1.2)', () => {
    const ekuRoot = makeRoot(['serverAuth']);
    const leaf = createCertificate(
      {
        subject: { CN: 'example.com' },
        publicKey: leafKeys.publicKey,
        issuer: ekuRoot,
        signingKey: rootKeys.privateKey,
        subjectAltNames: [{ type: 'dns', value: 'example.com' }],
        extKeyUsage: ['serverAuth'],
      },
      provider,
    ).certificate;
    expect(verdict(leaf, {}, ekuRoot)).toBe('OK');
    expect(verdict(leaf, webpki, ekuRoot)).toBe('INVALID_EXTENSION');
  });

  it('requires a CN that names a SAN to be spelled as the BR says, and at most one CN (BR §7.1.4.3)', () => {
    const ip = (value: string): AltNameInput => ({ type: 'ip', value });
    const rejected: [string, AltNameInput[], string][] = [
      ['Example.COM', [{ type: 'dns', value: 'example.com' }], 'example.com'],
      ['0xC0A80101', [ip('192.168.1.1')], '192.168.1.1'],
      ['192.168.001.001', [ip('192.168.1.1')], '192.168.1.1'],
      ['3232235777', [ip('192.168.1.1')], '192.168.1.1'],
      ['2001:DB8::1', [ip('2001:db8::1')], '2001:db8::1'],
      ['2001:db8:0:0:0:0:0:1', [ip('2001:db8::1')], '2001:db8::1'],
      ['bücher.example', [{ type: 'dns', value: 'xn--bcher-kva.example' }], 'xn--bcher-kva.example'],
      ['bücher.example', [{ type: 'dns', value: 'example.com' }], 'example.com'],
    ];
    for (const [cn, sans, name] of rejected) {
      const leaf = makeLeaf({ cn, sans });
      expect([cn, verdict(leaf, { ...webpki, ...peer(name) })]).toEqual([cn, 'UNSUPPORTED_NAME_SYNTAX']);
      expect([cn, verdict(leaf, peer(name))]).toEqual([cn, 'OK']);
    }
    const accepted: [string, AltNameInput[], string][] = [
      ['192.168.1.1', [ip('192.168.1.1')], '192.168.1.1'],
      ['2001:db8::1', [ip('2001:db8::1')], '2001:db8::1'],
      ['xn--bcher-kva.example', [{ type: 'dns', value: 'xn--bcher-kva.example' }], 'xn--bcher-kva.example'],
      // Not a host name: BR §7.1.4.3's membership rule is not enforced (README "Validation profiles").
      ['Example Server', [{ type: 'dns', value: 'example.com' }], 'example.com'],
    ];
    for (const [cn, sans, name] of accepted) {
      expect([cn, verdict(makeLeaf({ cn, sans }), { ...webpki, ...peer(name) })]).toEqual([cn, 'OK']);
    }
    const twoNames = createCertificate(
      {
        subject: [
          ['CN', 'example.com'],
          ['CN', 'www.example.com'],
        ],
        publicKey: leafKeys.publicKey,
        issuer: root,
        signingKey: rootKeys.privateKey,
        subjectAltNames: [
          { type: 'dns', value: 'example.com' },
          { type: 'dns', value: 'www.example.com' },
        ],
        extKeyUsage: ['serverAuth'],
      },
      provider,
    ).certificate;
    expect(verdict(twoNames, webpki)).toBe('UNSUPPORTED_NAME_SYNTAX');
  });

  it('rejects wildcards over a public suffix when given isPublicSuffix (BR §3.2.2.6)', () => {
    const isPublicSuffix = loadPublicSuffixes();
    const wildcard = (value: string) => makeLeaf({ cn: value, sans: [{ type: 'dns', value }] });
    for (const [pattern, host] of [
      ['*.co.uk', 'example.co.uk'],
      ['*.s3.amazonaws.com', 'example.s3.amazonaws.com'],
    ] as const) {
      expect(verdict(wildcard(pattern), { ...webpki, hostname: host })).toBe('OK');
      expect(verdict(wildcard(pattern), { ...webpki, hostname: host, isPublicSuffix })).toBe(
        'UNSUPPORTED_NAME_SYNTAX',
      );
    }
    expect(
      verdict(wildcard('*.example.co.uk'), { ...webpki, hostname: 'www.example.co.uk', isPublicSuffix }),
    ).toBe('OK');
  });
});

describe("the 'rfc5280' profile", () => {
  it('requires nameConstraints to be critical (RFC 5280 §4.2.1.10); webpki and openssl do not', () => {
    const chain = limboChain('rfc5280::nc::permitted-dns-match-noncritical');
    expect(limboVerdict(chain, 'openssl')).toBe('OK');
    expect(limboVerdict(chain, 'webpki')).toBe('OK');
    expect(limboVerdict(chain, 'rfc5280')).toBe('INVALID_EXTENSION');
  });

  it('requires an AKI in a trust anchor that is not self-issued (RFC 5280 §4.2.1.1)', () => {
    const chain = limboChain('rfc5280::aki::cross-signed-root-missing-aki');
    expect(limboVerdict(chain, 'openssl')).toBe('OK');
    expect(limboVerdict(chain, 'rfc5280')).toBe('MISSING_AUTHORITY_KEY_IDENTIFIER');
    expect(limboVerdict(limboChain('rfc5280::aki::self-signed-root-missing-aki'), 'rfc5280')).toBe('OK');
  });
});

describe('helpers', () => {
  it('hostnameToAscii converts U-labels as Node does (RFC 3492 Punycode)', () => {
    for (const host of ['bücher.de', 'test-測試.com', '⌘.com', 'münchen.example', 'example.com', 'ÄÖÜ.de']) {
      expect(hostnameToAscii(host)).toBe(domainToASCII(host));
    }
  });

  it('parseUrlIpv4 reads the WHATWG URL IPv4 forms', () => {
    const text = (bytes: Uint8Array | undefined) => bytes?.join('.');
    expect(text(parseUrlIpv4('0xC0A80101'))).toBe('192.168.1.1');
    expect(text(parseUrlIpv4('192.168.001.001'))).toBe('192.168.1.1');
    expect(text(parseUrlIpv4('0300.0250.1.1'))).toBe('192.168.1.1');
    expect(text(parseUrlIpv4('192.168.257'))).toBe('192.168.1.1');
    expect(text(parseUrlIpv4('127.1'))).toBe('127.0.0.1');
    expect(parseUrlIpv4('256.1.1.1')).toBeUndefined();
    expect(parseUrlIpv4('1.2.3.4.5')).toBeUndefined();
    expect(parseUrlIpv4('example.com')).toBeUndefined();
    expect(parseUrlIpv4('09.1.1.1')).toBeUndefined();
  });

  it('publicSuffixMatcher follows the list: exact, wildcard and exception rules, and the default rule', () => {
    const isPublicSuffix = publicSuffixMatcher(
      '// comment\ncom\nco.uk\n*.ck\n!www.ck\ns3.amazonaws.com\n個人.香港\n',
    );
    expect(isPublicSuffix('com')).toBe(true);
    expect(isPublicSuffix('co.uk')).toBe(true);
    expect(isPublicSuffix('CO.UK.')).toBe(true);
    expect(isPublicSuffix('example.co.uk')).toBe(false);
    expect(isPublicSuffix('anything.ck')).toBe(true);
    expect(isPublicSuffix('www.ck')).toBe(false);
    expect(isPublicSuffix('s3.amazonaws.com')).toBe(true);
    expect(isPublicSuffix('amazonaws.com')).toBe(false);
    expect(isPublicSuffix('unlisted')).toBe(true);
    expect(isPublicSuffix(domainToASCII('個人.香港'))).toBe(true);
  });
});

interface LimboChain {
  readonly leaf: Certificate;
  readonly anchors: Certificate[];
  readonly intermediates: Certificate[];
  readonly hostname: string;
}

let limboCases: ReturnType<typeof loadLimbo> | undefined;

function limboChain(id: string): LimboChain {
  limboCases ??= loadLimbo();
  const testCase = limboCases.find((c) => c.id === id)!;
  return {
    leaf: parseCertificates(testCase.peer_certificate)[0]!,
    anchors: testCase.trusted_certs.flatMap((pem) => parseCertificates(pem)),
    intermediates: testCase.untrusted_intermediates.flatMap((pem) => parseCertificates(pem)),
    hostname: testCase.expected_peer_name!.value,
  };
}

function limboVerdict(chain: LimboChain, profile: 'openssl' | 'rfc5280' | 'webpki'): string {
  try {
    verifyChain(
      chain.leaf,
      {
        trustAnchors: chain.anchors,
        intermediates: chain.intermediates,
        hostname: chain.hostname,
        partialChain: true,
        time: Date.parse('2025-06-01T00:00:00Z'),
        profile,
      },
      provider,
    );
    return 'OK';
  } catch (error) {
    const { code } = error as { code?: string };
    if (code === undefined) throw error;
    return code;
  }
}
