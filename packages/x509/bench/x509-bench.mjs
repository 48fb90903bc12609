// Benchmark of @tls/x509 (the built package): certificate parsing into Node's getPeerCertificate()
// object over Node's bundled root store, next to node:crypto's X509Certificate doing the same
// work, and RFC 5280 validations per second of a 3-certificate chain.
//
// Rounds are interleaved (A, B, C, A, B, C, ...) so drift in CPU frequency or load hits every
// case alike; each figure is the median of the rounds. Run: pnpm --filter @tls/x509 bench
// Options: --rounds N (default 9), --ms N per case per round (default 200).

import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { createCertificate, decodePem, parseCertificate, toPeerCertificate } from '@tls/x509';
import { verifyChain } from '@tls/x509/verify';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(args[at + 1]);
};
const rounds = option('rounds', 9);
const budgetMs = option('ms', 200);

const provider = createNodeCryptoProvider();
const roots = rootCertificates.map((pem) => decodePem(pem)[0].der);
const rootBuffers = roots.map((der) => Buffer.from(der.buffer, der.byteOffset, der.length));

let sink = 0;

/** Node's own certificate object, the one getPeerCertificate() returns. */
function nodeLegacyObject() {
  for (const der of rootBuffers) sink += Object.keys(new X509Certificate(der).toLegacyObject()).length;
}

/** node:crypto parse + reading the fields of the peer-certificate object one by one. */
function nodeFields() {
  for (const der of rootBuffers) {
    const certificate = new X509Certificate(der);
    const fields = [
      certificate.subject,
      certificate.issuer,
      certificate.subjectAltName,
      certificate.infoAccess,
      certificate.validFrom,
      certificate.validTo,
      certificate.fingerprint,
      certificate.fingerprint256,
      certificate.fingerprint512,
      certificate.serialNumber,
      certificate.keyUsage,
      certificate.ca,
      certificate.publicKey.asymmetricKeyDetails,
      certificate.raw,
    ];
    sink += fields.length;
  }
}

/** @tls/x509: strict parse + toPeerCertificate (every field, fingerprints included). */
function ours() {
  for (const der of roots) sink += Object.keys(toPeerCertificate(parseCertificate(der), provider)).length;
}

/** @tls/x509: strict parse only. */
function oursParseOnly() {
  for (const der of roots) sink += parseCertificate(der).extensions.length;
}

function makeChain(spec, keys = {}) {
  const rootKeys = keys.root ?? provider.generateKeyPair(spec);
  const root = createCertificate(
    {
      subject: { CN: 'Bench Root' },
      publicKey: rootKeys.publicKey,
      signingKey: rootKeys.privateKey,
      basicConstraints: { ca: true },
      keyUsage: ['keyCertSign', 'cRLSign'],
    },
    provider,
  );
  const interKeys = keys.intermediate ?? provider.generateKeyPair(spec);
  const intermediate = createCertificate(
    {
      subject: { CN: 'Bench Intermediate' },
      publicKey: interKeys.publicKey,
      issuer: root.certificate,
      signingKey: rootKeys.privateKey,
      basicConstraints: { ca: true, pathLength: 0 },
      keyUsage: ['keyCertSign', 'cRLSign'],
    },
    provider,
  );
  const leafKeys = keys.leaf ?? provider.generateKeyPair(spec);
  const leaf = createCertificate(
    {
      subject: { CN: 'bench.example' },
      publicKey: leafKeys.publicKey,
      issuer: intermediate.certificate,
      signingKey: interKeys.privateKey,
      subjectAltNames: [{ type: 'dns', value: 'bench.example' }],
      extKeyUsage: ['serverAuth'],
    },
    provider,
  );
  return { root: root.certificate, intermediate: intermediate.certificate, leaf: leaf.certificate };
}

function chainCase(chain) {
  const options = {
    trustAnchors: [chain.root],
    intermediates: [chain.intermediate],
    hostname: 'bench.example',
  };
  return () => {
    sink += verifyChain(chain.leaf, options, provider).chain.length;
  };
}

/**
 * Chains never met before: verifyChain remembers signatures that verified and @tls/crypto the keys
 * it imported (256 of each), so `chainCase` on one chain measures a chain seen before. Cycling
 * through 160 distinct chains (320 issuer signatures and, for P-256, 320 issuer keys) misses both
 * every time. RSA-2048 key generation is too slow for 320 keys, so its chains share the two
 * issuer keys: their signatures are new, their keys remembered.
 */
function coldCase(chains) {
  const calls = chains.map((chain) => ({
    leaf: chain.leaf,
    options: { trustAnchors: [chain.root], intermediates: [chain.intermediate], hostname: 'bench.example' },
  }));
  let next = 0;
  return () => {
    const { leaf, options } = calls[next];
    next = (next + 1) % calls.length;
    sink += verifyChain(leaf, options, provider).chain.length;
  };
}

/** node:crypto's nearest equivalent: two signature checks, issuer checks and the host check. */
function nodeChainCase(chain) {
  const [root, intermediate, leaf] = [chain.root, chain.intermediate, chain.leaf].map(
    (certificate) => new X509Certificate(Buffer.from(certificate.der)),
  );
  return () => {
    const ok =
      leaf.checkIssued(intermediate) &&
      intermediate.checkIssued(root) &&
      leaf.verify(intermediate.publicKey) &&
      intermediate.verify(root.publicKey) &&
      leaf.checkHost('bench.example') !== undefined;
    if (!ok) throw new Error('node chain check failed');
    sink += 1;
  };
}

const ecChain = makeChain({ type: 'ec', curve: 'P-256' });
const rsaChain = makeChain({ type: 'rsa', bits: 2048 });
const coldEcChains = Array.from({ length: 160 }, () => makeChain({ type: 'ec', curve: 'P-256' }));
const rsaIssuers = {
  root: provider.generateKeyPair({ type: 'rsa', bits: 2048 }),
  intermediate: provider.generateKeyPair({ type: 'rsa', bits: 2048 }),
  leaf: provider.generateKeyPair({ type: 'rsa', bits: 2048 }),
};
const coldRsaChains = Array.from({ length: 160 }, () => makeChain({ type: 'rsa', bits: 2048 }, rsaIssuers));

// name, function, unit of one call (certificates per call, or 1 chain)
const cases = [
  ['@tls/x509 parse + toPeerCertificate', ours, roots.length, 'certs/s'],
  ['@tls/x509 parse only', oursParseOnly, roots.length, 'certs/s'],
  ['node X509Certificate + toLegacyObject()', nodeLegacyObject, roots.length, 'certs/s'],
  ['node X509Certificate + field getters', nodeFields, roots.length, 'certs/s'],
  ['@tls/x509 verifyChain, 3 certs, P-256, new chain', coldCase(coldEcChains), 1, 'chains/s'],
  ['@tls/x509 verifyChain, 3 certs, RSA-2048, new chain', coldCase(coldRsaChains), 1, 'chains/s'],
  ['@tls/x509 verifyChain, 3 certs, P-256, seen before', chainCase(ecChain), 1, 'chains/s'],
  ['@tls/x509 verifyChain, 3 certs, RSA-2048, seen before', chainCase(rsaChain), 1, 'chains/s'],
  ['node checkIssued+verify+checkHost, P-256', nodeChainCase(ecChain), 1, 'chains/s'],
  ['node checkIssued+verify+checkHost, RSA-2048', nodeChainCase(rsaChain), 1, 'chains/s'],
];

function measure(fn, units) {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    fn();
    calls++;
    elapsed = performance.now() - start;
  }
  return (calls * units * 1000) / elapsed;
}

// Warm-up: let the JIT settle on every case before anything counts.
for (const [, fn, units] of cases) measure(fn, units);

const results = cases.map(() => []);
for (let round = 0; round < rounds; round++) {
  for (const [index, [, fn, units]] of cases.entries()) results[index].push(measure(fn, units));
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

console.log(
  `node ${process.version}, OpenSSL ${process.versions.openssl}, ${roots.length} root certificates, ${rounds} interleaved rounds of ${budgetMs} ms per case, medians`,
);
const width = Math.max(...cases.map(([name]) => name.length));
for (const [index, [name, , , unit]] of cases.entries()) {
  const values = results[index];
  const spread = ((Math.max(...values) - Math.min(...values)) / median(values)) * 100;
  console.log(
    `${name.padEnd(width)}  ${Math.round(median(values)).toLocaleString('en-US').padStart(10)} ${unit}  (spread ${spread.toFixed(0)}%)`,
  );
}
const ratio = median(results[0]) / median(results[2]);
console.log(`parse + peer object vs node's toLegacyObject(): ${ratio.toFixed(2)}x`);
if (sink === 0) console.log('');
