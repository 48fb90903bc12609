#!/usr/bin/env node
// tls-x509: the @tls/x509 package on the command line (the built package and @tls/crypto/node).
//
//   tls-x509 show FILE
//   tls-x509 verify LEAF [--untrusted FILE]... [--ca FILE]... [--crl FILE]...
//                        [--host NAME | --ip ADDR | --email ADDR] [--time ISO8601]
//                        [--purpose serverAuth|clientAuth|any] [--max-depth N] [--partial-chain]
//                        [--strict] [--profile openssl|rfc5280|webpki] [--public-suffix-list FILE]
//                        [--report first|last]
//   tls-x509 create --subject CN=NAME[,O=ORG...] [--key ec|p384|rsa|ed25519] [--san DNS:a,IP:1.2.3.4]
//                   [--days N] [--ca] [--issuer-cert FILE --issuer-key FILE]
//                   [--purpose serverAuth|clientAuth]... [--out-cert FILE] [--out-key FILE]
//
// Exit status: 0 success; 1 verification failed (verify prints the OpenSSL code and a reason);
// 2 usage or input errors.

import { readFileSync, writeFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import {
  createCertificate,
  encodePem,
  importPrivateKey,
  parseCertificates,
  parseCrls,
  toPeerCertificate,
} from '@tls/x509';
import { publicSuffixMatcher, verifyChain } from '@tls/x509/verify';

const provider = createNodeCryptoProvider();

const usage = `usage:
  tls-x509 show FILE
  tls-x509 verify LEAF [--untrusted FILE]... [--ca FILE]... [--crl FILE]...
                  [--host NAME | --ip ADDR | --email ADDR] [--time ISO8601]
                  [--purpose serverAuth|clientAuth|any] [--max-depth N] [--partial-chain]
                  [--strict] [--profile openssl|rfc5280|webpki] [--public-suffix-list FILE]
                  [--report first|last]
  tls-x509 create --subject CN=NAME[,O=ORG...] [--key ec|p384|rsa|ed25519] [--san DNS:a,IP:1.2.3.4]
                  [--days N] [--ca] [--issuer-cert FILE --issuer-key FILE]
                  [--purpose serverAuth|clientAuth]... [--out-cert FILE] [--out-key FILE]`;

class UsageError extends Error {}

/** Splits argv into positionals and options; `repeatable` options collect arrays. */
function parseArgs(args, spec) {
  const positionals = [];
  const options = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const name = arg.slice(2);
    const kind = spec[name];
    if (kind === undefined) throw new UsageError(`unknown option ${arg}`);
    if (kind === 'flag') {
      options[name] = true;
      continue;
    }
    const value = args[++i];
    if (value === undefined) throw new UsageError(`${arg} needs a value`);
    if (kind === 'list') options[name] = [...(options[name] ?? []), value];
    else options[name] = value;
  }
  return { positionals, options };
}

function readInput(path) {
  const bytes = readFileSync(path);
  const text = bytes.toString('latin1');
  return text.includes('-----BEGIN ') ? text : new Uint8Array(bytes);
}

function readCertificates(path) {
  return parseCertificates(readInput(path));
}

/** Node's getPeerCertificate() object with its two byte fields (`pubkey`, `raw`) as base64. */
function toJson(certificate) {
  const peer = toPeerCertificate(certificate, provider);
  const base64 = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
  return { ...peer, ...(peer.pubkey ? { pubkey: base64(peer.pubkey) } : {}), raw: base64(peer.raw) };
}

function show(args) {
  const { positionals } = parseArgs(args, {});
  if (positionals.length !== 1) throw new UsageError('show needs exactly one FILE');
  const certificates = readCertificates(positionals[0]);
  const objects = certificates.map(toJson);
  process.stdout.write(`${JSON.stringify(objects.length === 1 ? objects[0] : objects, null, 2)}\n`);
  return 0;
}

function verify(args) {
  const { positionals, options } = parseArgs(args, {
    untrusted: 'list',
    ca: 'list',
    crl: 'list',
    host: 'value',
    ip: 'value',
    email: 'value',
    time: 'value',
    purpose: 'value',
    'max-depth': 'value',
    'partial-chain': 'flag',
    strict: 'flag',
    profile: 'value',
    'public-suffix-list': 'value',
    report: 'value',
  });
  if (positionals.length !== 1) throw new UsageError('verify needs exactly one LEAF file');
  const names = ['host', 'ip', 'email'].filter((name) => options[name] !== undefined);
  if (names.length > 1) throw new UsageError('give at most one of --host, --ip, --email');
  const [leaf, ...sentWithLeaf] = readCertificates(positionals[0]);
  const trustAnchors =
    options.ca === undefined
      ? rootCertificates.flatMap((pem) => parseCertificates(pem))
      : options.ca.flatMap(readCertificates);
  const verifyOptions = {
    trustAnchors,
    intermediates: [...sentWithLeaf, ...(options.untrusted ?? []).flatMap(readCertificates)],
    crls: (options.crl ?? []).flatMap((path) => parseCrls(readInput(path))),
    errorReporting: options.report ?? 'first',
    partialChain: options['partial-chain'] === true,
    strict: options.strict === true,
  };
  if (options.profile !== undefined) {
    if (!['openssl', 'rfc5280', 'webpki'].includes(options.profile)) {
      throw new UsageError('--profile is openssl, rfc5280 or webpki');
    }
    verifyOptions.profile = options.profile;
    // The rfc5280 and webpki profiles include the --strict checks.
    if (options.profile !== 'openssl') verifyOptions.strict = true;
  }
  if (options['public-suffix-list'] !== undefined) {
    if (verifyOptions.profile !== 'webpki')
      throw new UsageError('--public-suffix-list goes with --profile webpki');
    verifyOptions.isPublicSuffix = publicSuffixMatcher(readFileSync(options['public-suffix-list'], 'utf8'));
  }
  if (options.report !== undefined && options.report !== 'first' && options.report !== 'last') {
    throw new UsageError('--report is first or last');
  }
  if (options.host !== undefined) verifyOptions.hostname = options.host;
  if (options.ip !== undefined) verifyOptions.ip = options.ip;
  if (options.email !== undefined) verifyOptions.email = options.email;
  if (options.time !== undefined) {
    const time = Date.parse(options.time);
    if (Number.isNaN(time)) throw new UsageError(`--time: not an ISO 8601 time: ${options.time}`);
    verifyOptions.time = time;
  }
  if (options.purpose !== undefined) {
    if (!['serverAuth', 'clientAuth', 'any'].includes(options.purpose)) {
      throw new UsageError('--purpose is serverAuth, clientAuth or any');
    }
    verifyOptions.purpose = options.purpose;
  }
  if (options['max-depth'] !== undefined) {
    const depth = Number(options['max-depth']);
    if (!Number.isInteger(depth) || depth < 0)
      throw new UsageError('--max-depth needs a non-negative integer');
    verifyOptions.maxDepth = depth;
  }
  try {
    verifyChain(leaf, verifyOptions, provider);
  } catch (error) {
    if (typeof error?.code === 'string' && typeof error.depth === 'number') {
      process.stdout.write(`${error.code}: ${error.message} at depth ${error.depth}: ${error.reason}\n`);
      return 1;
    }
    throw error;
  }
  process.stdout.write('OK\n');
  return 0;
}

function parseSubject(text) {
  const entries = text
    .replace(/^\//, '')
    .split(/[,/]/)
    .filter((part) => part !== '')
    .map((part) => {
      const at = part.indexOf('=');
      if (at <= 0) throw new UsageError(`--subject: expected NAME=VALUE, got ${part}`);
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()];
    });
  if (entries.length === 0) throw new UsageError('--subject is empty');
  return entries;
}

function parseSans(text) {
  return text.split(',').map((entry) => {
    const at = entry.indexOf(':');
    const type = entry.slice(0, at).trim().toUpperCase();
    const value = entry.slice(at + 1).trim();
    const types = { DNS: 'dns', IP: 'ip', EMAIL: 'email', URI: 'uri' };
    if (at <= 0 || types[type] === undefined)
      throw new UsageError(`--san: expected DNS:, IP:, EMAIL: or URI:, got ${entry}`);
    return { type: types[type], value };
  });
}

function create(args) {
  const { positionals, options } = parseArgs(args, {
    subject: 'value',
    key: 'value',
    san: 'list',
    days: 'value',
    ca: 'flag',
    'issuer-cert': 'value',
    'issuer-key': 'value',
    purpose: 'list',
    'out-cert': 'value',
    'out-key': 'value',
  });
  if (positionals.length !== 0)
    throw new UsageError(`create takes no positional arguments: ${positionals[0]}`);
  if (options.subject === undefined) throw new UsageError('create needs --subject');
  const specs = {
    ec: { type: 'ec', curve: 'P-256' },
    p384: { type: 'ec', curve: 'P-384' },
    rsa: { type: 'rsa', bits: 2048 },
    ed25519: { type: 'ed25519' },
  };
  const spec = specs[options.key ?? 'ec'];
  if (spec === undefined) throw new UsageError('--key is ec, p384, rsa or ed25519');
  if ((options['issuer-cert'] === undefined) !== (options['issuer-key'] === undefined)) {
    throw new UsageError('--issuer-cert and --issuer-key go together');
  }
  const days = options.days === undefined ? 365 : Number(options.days);
  if (!Number.isInteger(days) || days < 1) throw new UsageError('--days needs a positive integer');
  const keys = provider.generateKeyPair(spec);
  const issuer =
    options['issuer-cert'] === undefined ? undefined : readCertificates(options['issuer-cert'])[0];
  const signingKey =
    options['issuer-key'] === undefined
      ? keys.privateKey
      : importPrivateKey(readFileSync(options['issuer-key'], 'utf8'), provider);
  const notBefore = Math.floor(Date.now() / 1000) * 1000 - 60_000;
  const template = {
    subject: parseSubject(options.subject),
    publicKey: keys.publicKey,
    signingKey,
    notBefore,
    notAfter: notBefore + days * 86_400_000,
    ...(issuer === undefined ? {} : { issuer }),
    ...(options.san === undefined ? {} : { subjectAltNames: options.san.flatMap(parseSans) }),
    ...(options.ca
      ? { basicConstraints: { ca: true }, keyUsage: ['keyCertSign', 'cRLSign', 'digitalSignature'] }
      : { keyUsage: spec.type === 'rsa' ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature'] }),
    ...(options.purpose === undefined ? {} : { extKeyUsage: options.purpose }),
  };
  const { pem } = createCertificate(template, provider);
  const keyPem = encodePem('PRIVATE KEY', provider.exportPrivateKey(keys.privateKey));
  if (options['out-key'] !== undefined) writeFileSync(options['out-key'], keyPem, { mode: 0o600 });
  if (options['out-cert'] !== undefined) writeFileSync(options['out-cert'], pem);
  if (options['out-key'] === undefined) process.stdout.write(keyPem);
  if (options['out-cert'] === undefined) process.stdout.write(pem);
  return 0;
}

function main(argv) {
  const [command, ...rest] = argv;
  try {
    if (command === 'show') return show(rest);
    if (command === 'verify') return verify(rest);
    if (command === 'create') return create(rest);
    if (command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(`${usage}\n`);
      return 0;
    }
    throw new UsageError(command === undefined ? 'no command' : `unknown command ${command}`);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`tls-x509: ${error.message}\n${usage}\n`);
    } else {
      const code = typeof error?.code === 'string' ? `${error.code}: ` : '';
      process.stderr.write(`tls-x509: ${code}${error?.message ?? String(error)}\n`);
    }
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
