// Runs x509-limbo test cases (https://x509-limbo.com, schema in test/vectors/limbo-schema.json)
// through parseCertificates + verifyChain.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import type { CryptoProvider, PublicKey } from '@tls/crypto';
import { type Certificate, parseCertificates, parseCrls } from '@tls/x509';
import { type VerifyOptions, type VerifyProfile, publicSuffixMatcher, verifyChain } from '@tls/x509/verify';

export interface LimboCase {
  id: string;
  features: string[];
  description: string;
  validation_kind: 'SERVER' | 'CLIENT';
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  validation_time: string | null;
  extended_key_usage: string[];
  expected_result: 'SUCCESS' | 'FAILURE';
  expected_peer_name: { kind: 'DNS' | 'IP' | 'RFC822'; value: string } | null;
  max_chain_depth: number | null;
  crls: string[];
}

export function loadLimbo(): LimboCase[] {
  const path = new URL('../vectors/limbo.json.gz', import.meta.url);
  return (JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as { testcases: LimboCase[] })
    .testcases;
}

/**
 * The Public Suffix List copy in test/vectors (Debian's publicsuffix 20230209.2326-1, MPL-2.0),
 * for the webpki profile's wildcard rule.
 */
export function loadPublicSuffixes(): (domain: string) => boolean {
  const path = new URL('../vectors/public_suffix_list.dat.gz', import.meta.url);
  return publicSuffixMatcher(gunzipSync(readFileSync(path)).toString('utf8'));
}

/**
 * The validation profile a case is written for: limbo's namespaces name them (`webpki::` the
 * CA/Browser Forum rules, `rfc5280::` RFC 5280's), the others test path validation itself.
 */
export function profileOf(id: string): VerifyProfile {
  const namespace = categoryOf(id);
  return namespace === 'webpki' ? 'webpki' : namespace === 'rfc5280' ? 'rfc5280' : 'openssl';
}

export interface LimboOutcome {
  id: string;
  expected: 'SUCCESS' | 'FAILURE';
  actual: 'SUCCESS' | 'FAILURE';
  /** The error code when we rejected. */
  code: string | undefined;
}

export function runLimboCase(
  testCase: LimboCase,
  provider: CryptoProvider,
  fallbackTime: number,
  strict = true,
  isPublicSuffix?: (domain: string) => boolean,
): LimboOutcome {
  const outcome = (actual: 'SUCCESS' | 'FAILURE', code?: string): LimboOutcome => ({
    id: testCase.id,
    expected: testCase.expected_result,
    actual,
    code,
  });
  let leaf: Certificate;
  let anchors: Certificate[];
  let intermediates: Certificate[];
  try {
    leaf = parseCertificates(testCase.peer_certificate)[0]!;
    anchors = testCase.trusted_certs.flatMap((pem) => {
      try {
        return parseCertificates(pem);
      } catch {
        return []; // an unparseable anchor is simply not trusted
      }
    });
    intermediates = testCase.untrusted_intermediates.flatMap((pem) => {
      try {
        return parseCertificates(pem);
      } catch {
        return [];
      }
    });
  } catch (error) {
    return outcome('FAILURE', (error as { code?: string }).code);
  }
  const eku = testCase.extended_key_usage;
  const purpose = eku.includes('serverAuth')
    ? 'serverAuth'
    : eku.includes('clientAuth')
      ? 'clientAuth'
      : testCase.validation_kind === 'CLIENT'
        ? 'clientAuth'
        : 'serverAuth';
  const options: { -readonly [K in keyof VerifyOptions]: VerifyOptions[K] } = {
    trustAnchors: anchors,
    intermediates,
    time: testCase.validation_time === null ? fallbackTime : Date.parse(testCase.validation_time),
    purpose,
    strict,
    profile: strict ? profileOf(testCase.id) : 'openssl',
    // limbo's trust anchors are any trusted certificate, roots or not.
    partialChain: true,
  };
  if (isPublicSuffix !== undefined) options.isPublicSuffix = isPublicSuffix;
  if (testCase.max_chain_depth !== null) options.maxDepth = testCase.max_chain_depth;
  const name = testCase.expected_peer_name;
  if (name?.kind === 'DNS') options.hostname = name.value;
  else if (name?.kind === 'IP') options.ip = name.value;
  else if (name?.kind === 'RFC822') options.email = name.value;
  try {
    if (testCase.crls.length > 0) options.crls = testCase.crls.flatMap((pem) => parseCrls(pem));
    verifyChain(leaf, options, provider);
    return outcome('SUCCESS');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === undefined) throw error;
    return outcome('FAILURE', code);
  }
}

export function categoryOf(id: string): string {
  return id.split('::')[0]!;
}

/**
 * A provider that memoizes key imports and signature checks across test cases: bettertls reuses
 * the same CAs thousands of times. The verify cache is keyed by the key, the parameters, a hash of
 * the signed data and the signature, so a cached answer is always the answer for the same input.
 */
export function memoizingProvider(provider: CryptoProvider): CryptoProvider {
  const keys = new Map<string, PublicKey>();
  const keyIds = new WeakMap<PublicKey, string>();
  const results = new Map<string, boolean>();
  return Object.assign(Object.create(provider) as CryptoProvider, {
    importPublicKey(input: Parameters<CryptoProvider['importPublicKey']>[0]): PublicKey {
      const id = Buffer.from(input.key as Uint8Array).toString('base64');
      let key = keys.get(id);
      if (key === undefined) {
        key = provider.importPublicKey(input);
        keys.set(id, key);
        keyIds.set(key, id);
      }
      return key;
    },
    verify(
      scheme: Parameters<CryptoProvider['verify']>[0],
      key: PublicKey,
      data: Uint8Array,
      signature: Uint8Array,
    ): boolean {
      const id = `${JSON.stringify(scheme)}|${keyIds.get(key) ?? Math.random()}|${createHash('sha256').update(data).digest('base64')}|${Buffer.from(signature).toString('base64')}`;
      let result = results.get(id);
      if (result === undefined) {
        result = provider.verify(scheme, key, data, signature);
        results.set(id, result);
      }
      return result;
    },
  });
}
