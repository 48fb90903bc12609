// The x509-limbo corpus (9,780 cases; test/vectors/limbo.json.gz, schema beside it) through
// verifyChain. Any change in results fails: the pass counts per category are exact and every case
// we get wrong is listed below with the reason.
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { describe, expect, it } from 'vitest';
import { type LimboOutcome, categoryOf, loadLimbo, memoizingProvider, runLimboCase } from './helpers/limbo';

/** Cases whose expected result we do not produce, and why. All of them are accepted chains. */
const knownFailures: Record<string, string> = {
  'rfc5280::aki::cross-signed-root-missing-aki':
    'pedantic-rfc5280: a trust anchor without AKI is accepted (anchors contribute name and key only, RFC 5280 §6.1.1(d))',
  'rfc5280::nc::permitted-dns-match-noncritical':
    'conflicts with webpki::nc::permitted-dns-match-noncritical: non-critical nameConstraints are processed, not rejected, as CABF and OpenSSL allow',
  'webpki::ca-as-leaf':
    'conflicts with rfc5280::ca-as-leaf: a CA certificate is accepted as the leaf, as OpenSSL does',
  'webpki::ee-basicconstraints-ca':
    'conflicts with rfc5280::ca-as-leaf: leaf with cA=TRUE accepted, as OpenSSL does',
  'webpki::eku::ee-anyeku': 'pedantic-webpki-eku: CABF-only rule',
  'webpki::eku::ee-critical-eku': 'pedantic-webpki-eku: CABF forbids a critical EKU; RFC 5280 allows it',
  'webpki::eku::ee-without-eku':
    'pedantic-webpki-eku, conflicts with rfc5280::eku::ee-without-eku: a leaf without EKU is accepted',
  'webpki::eku::root-has-eku': 'pedantic-webpki-eku: EKU in a trust anchor is not restricted',
  'webpki::san::public-suffix-multi-label-wildcard-san':
    'pedantic-public-suffix-wildcard: no public suffix list in a pure package',
  'webpki::san::public-suffix-private-namespace-wildcard-san':
    'pedantic-public-suffix-wildcard: no public suffix list in a pure package',
  'webpki::cn::case-mismatch':
    'CABF BR §7.1.4.3 CN-must-be-a-SAN is not enforced: test suites and private CAs commonly break it',
  'webpki::cn::ipv4-hex-mismatch':
    'CABF BR §7.1.4.3 CN-must-be-a-SAN is not enforced (see webpki::cn::case-mismatch)',
  'webpki::cn::ipv4-leading-zeros-mismatch': 'CABF BR §7.1.4.3 CN-must-be-a-SAN is not enforced',
  'webpki::cn::ipv6-non-rfc5952-mismatch': 'CABF BR §7.1.4.3 CN-must-be-a-SAN is not enforced',
  'webpki::cn::ipv6-uncompressed-mismatch': 'CABF BR §7.1.4.3 CN-must-be-a-SAN is not enforced',
  'webpki::cn::ipv6-uppercase-mismatch': 'CABF BR §7.1.4.3 CN-must-be-a-SAN is not enforced',
  'webpki::cn::not-in-san': 'CABF BR §7.1.4.3 CN-must-be-a-SAN is not enforced',
  'webpki::cn::punycode-not-in-san': 'CABF BR §7.1.4.3 CN-must-be-a-SAN is not enforced',
  'webpki::cn::utf8-vs-punycode-mismatch': 'CABF BR §7.1.4.3 CN-must-be-a-SAN is not enforced',
};

/** [cases, passed] per category. */
const expectedCounts: Record<string, [number, number]> = {
  bettertls: [9572, 9572],
  crl: [8, 8],
  cve: [3, 3],
  invalid: [1, 1],
  online: [14, 14],
  pathlen: [13, 13],
  pathological: [11, 11],
  rfc5280: [102, 100],
  webpki: [56, 39],
};

describe('x509-limbo', () => {
  it('passes the expected cases of every category, and fails only the listed ones', () => {
    const provider = memoizingProvider(createNodeCryptoProvider());
    const cases = loadLimbo();
    expect(cases).toHaveLength(9780);
    // Cases without a validation time ("online::") are validated at a fixed time inside their validity.
    const fallbackTime = Date.parse('2025-06-01T00:00:00Z');
    const outcomes: LimboOutcome[] = cases.map((testCase) =>
      runLimboCase(testCase, provider, fallbackTime, true),
    );
    const counts: Record<string, [number, number]> = {};
    for (const outcome of outcomes) {
      const category = categoryOf(outcome.id);
      const entry = counts[category] ?? [0, 0];
      counts[category] = entry;
      entry[0]++;
      if (outcome.actual === outcome.expected) entry[1]++;
    }
    const wrong = outcomes.filter((o) => o.actual !== o.expected);
    expect(
      Object.fromEntries(wrong.map((o) => [o.id, `${o.expected} expected, got ${o.actual} ${o.code ?? ''}`])),
    ).toEqual(
      Object.fromEntries(Object.keys(knownFailures).map((id) => [id, `FAILURE expected, got SUCCESS `])),
    );
    expect(counts).toEqual(expectedCounts);
    // Priority: no chain that must be rejected is accepted, except the listed conflicts and pedantic cases.
    const falseAccepts = wrong.filter((o) => o.actual === 'SUCCESS').map((o) => o.id);
    expect(falseAccepts.every((id) => id in knownFailures)).toBe(true);
  }, 120_000);
});
