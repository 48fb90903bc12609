// Test credentials, made once per process: self-signed keys and certificates of each kind with
// the openssl CLI (PKCS#8, PKCS#1, encrypted), and a small PKI (root, intermediate, leaves, CRL)
// with @tls/x509's createCertificate.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PrivateKey, PublicKey } from '@tls/crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { type Certificate, createCertificate, createCrl, encodePem } from '@tls/x509';
import {
  type CertificateFiles,
  type KeyAlgorithm,
  selfSignedCertificate,
  temporaryDirectory,
} from '@tls/test-kit';

export const provider = createNodeCryptoProvider();
const directory = temporaryDirectory('tls-context-test-');

/** Writes `text` to a file of this process's fixture directory; returns its path (for openssl's arguments). */
export function fixtureFile(name: string, text: string | Uint8Array): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

export type KeyKind = 'rsa' | 'rsa2' | 'ecdsa' | 'ed25519';
const algorithms: Record<KeyKind, KeyAlgorithm> = {
  rsa: 'rsa',
  rsa2: 'rsa',
  ecdsa: 'p256',
  ed25519: 'ed25519',
};

export type Credential = CertificateFiles;

const credentials = new Map<KeyKind, Credential>();

/** A self-signed certificate for localhost with a key of `kind` (PKCS#8 PEM). */
export function credential(kind: KeyKind): Credential {
  const cached = credentials.get(kind);
  if (cached !== undefined) return cached;
  const made = selfSignedCertificate(directory, kind, {
    key: algorithms[kind],
    subject: `/CN=localhost/O=${kind}`,
    days: 2,
    altNames: 'DNS:localhost,IP:127.0.0.1',
  });
  credentials.set(kind, made);
  return made;
}

let extraForms:
  | { encrypted: string; pkcs1: string; dh512: string; dh1024: string; dh2048: string }
  | undefined;

/** The RSA key encrypted with passphrase `secret`, the same key as PKCS#1, and DH parameters. */
export function keyForms() {
  if (extraForms !== undefined) return extraForms;
  const { keyFile } = credential('rsa');
  const encrypted = join(directory, 'rsa-enc.key');
  const pkcs1 = join(directory, 'rsa-pkcs1.key');
  openssl(['pkey', '-in', keyFile, '-aes128', '-passout', 'pass:secret', '-out', encrypted]);
  openssl(['rsa', '-in', keyFile, '-traditional', '-out', pkcs1]);
  const dh = (bits: number) => {
    const file = join(directory, `dh${bits}.pem`);
    openssl(['dhparam', '-dsaparam', '-out', file, String(bits)]);
    return readFileSync(file, 'utf8');
  };
  extraForms = {
    encrypted: readFileSync(encrypted, 'utf8'),
    pkcs1: readFileSync(pkcs1, 'utf8'),
    dh512: dh(512),
    dh1024: dh(1024),
    dh2048: dh(2048),
  };
  return extraForms;
}

export interface Issued {
  readonly certificate: Certificate;
  readonly certPem: string;
  readonly keyPem: string;
  readonly privateKey: PrivateKey;
  readonly publicKey: PublicKey;
}

function keyPair() {
  return provider.generateKeyPair({ type: 'ec', curve: 'P-256' });
}

function issue(
  subject: string,
  issuer: Issued | undefined,
  extra: { ca?: boolean; notAfter?: number; notBefore?: number } = {},
): Issued {
  const { privateKey, publicKey } = keyPair();
  const { certificate, pem } = createCertificate(
    {
      subject: { CN: subject },
      publicKey,
      signingKey: issuer?.privateKey ?? privateKey,
      ...(issuer === undefined ? {} : { issuer: issuer.certificate }),
      ...(extra.ca
        ? { basicConstraints: { ca: true }, keyUsage: ['keyCertSign', 'cRLSign'] as const }
        : {
            subjectAltNames: [{ type: 'dns' as const, value: subject }],
            extKeyUsage: ['serverAuth', 'clientAuth'],
            keyUsage: ['digitalSignature'] as const,
          }),
      ...(extra.notBefore === undefined ? {} : { notBefore: extra.notBefore }),
      ...(extra.notAfter === undefined ? {} : { notAfter: extra.notAfter }),
    },
    provider,
  );
  const keyPem = encodePem('PRIVATE KEY', provider.exportPrivateKey(privateKey));
  return { certificate, certPem: pem, keyPem, privateKey, publicKey };
}

let pkiCache: ReturnType<typeof makePki> | undefined;

function makePki() {
  const root = issue('Test Root CA', undefined, { ca: true });
  const intermediate = issue('Test Intermediate CA', root, { ca: true });
  const leaf = issue('localhost', intermediate);
  const revoked = issue('revoked.localhost', intermediate);
  const expired = issue('expired.localhost', intermediate, {
    notBefore: Date.now() - 10 * 86_400_000,
    notAfter: Date.now() - 86_400_000,
  });
  const otherRoot = issue('Other Root CA', undefined, { ca: true });
  const stranger = issue('stranger.localhost', otherRoot);
  const crl = createCrl(
    {
      issuer: intermediate.certificate,
      signingKey: intermediate.privateKey,
      revoked: [{ serialNumber: revoked.certificate.serialNumber, revocationDate: Date.now() - 60_000 }],
    },
    provider,
  );
  const rootCrl = createCrl({ issuer: root.certificate, signingKey: root.privateKey, revoked: [] }, provider);
  return {
    root,
    intermediate,
    leaf,
    revoked,
    expired,
    otherRoot,
    stranger,
    crlPem: crl.pem,
    rootCrlPem: rootCrl.pem,
  };
}

/** Root → intermediate → leaves (localhost, revoked, expired), another root and its leaf, CRLs of both CAs. */
export function pki() {
  pkiCache ??= makePki();
  return pkiCache;
}

let pkiFilesCache: ReturnType<typeof writePkiFiles> | undefined;

function writePkiFiles() {
  const { root, intermediate, leaf, revoked, stranger } = pki();
  return {
    root: fixtureFile('root.pem', root.certPem),
    intermediate: fixtureFile('intermediate.pem', intermediate.certPem),
    leafKey: fixtureFile('leaf.key', leaf.keyPem),
    leaf: fixtureFile('leaf.pem', leaf.certPem),
    revokedKey: fixtureFile('revoked.key', revoked.keyPem),
    revoked: fixtureFile('revoked.pem', revoked.certPem),
    strangerKey: fixtureFile('stranger.key', stranger.keyPem),
    stranger: fixtureFile('stranger.pem', stranger.certPem),
  };
}

/** The PKI of {@link pki} as PEM files, for openssl's -CAfile, -cert, -key, -cert_chain. */
export function pkiFiles() {
  pkiFilesCache ??= writePkiFiles();
  return pkiFilesCache;
}

let pfxCache:
  | {
      withChain: Buffer;
      withRoot: Buffer;
      selfSigned: Buffer;
      des: Buffer;
      legacy: Buffer;
      unencrypted: Buffer;
    }
  | undefined;

/**
 * PKCS#12 files made by `openssl pkcs12 -export` with password `pw`: the PKI leaf with its
 * intermediate, the same with the root too, and the self-signed RSA credential; that credential
 * again in OpenSSL 1.x's format (3DES, SHA-1 MAC: `des`), with `-legacy` (RC2-40 certificates),
 * and unencrypted without a MAC (`unencrypted`, password empty).
 */
export function pfxFiles() {
  if (pfxCache !== undefined) return pfxCache;
  const { leaf, intermediate, root } = pki();
  const write = fixtureFile;
  const leafKey = write('pfx-leaf.key', leaf.keyPem);
  const leafCert = write('pfx-leaf.pem', leaf.certPem);
  const make = (name: string, args: string[]) => {
    const out = join(directory, name);
    openssl(['pkcs12', '-export', '-passout', 'pass:pw', '-out', out, ...args]);
    return readFileSync(out);
  };
  const rsa = credential('rsa');
  pfxCache = {
    withChain: make('chain.p12', [
      '-inkey',
      leafKey,
      '-in',
      leafCert,
      '-certfile',
      write('int.pem', intermediate.certPem),
    ]),
    withRoot: make('root.p12', [
      '-inkey',
      leafKey,
      '-in',
      leafCert,
      '-certfile',
      write('int-root.pem', intermediate.certPem + root.certPem),
    ]),
    selfSigned: make('rsa.p12', ['-inkey', rsa.keyFile, '-in', rsa.certFile]),
    des: make('rsa-des.p12', [
      '-certpbe',
      'PBE-SHA1-3DES',
      '-keypbe',
      'PBE-SHA1-3DES',
      '-macalg',
      'sha1',
      '-inkey',
      rsa.keyFile,
      '-in',
      rsa.certFile,
    ]),
    legacy: make('rsa-legacy.p12', ['-legacy', '-inkey', rsa.keyFile, '-in', rsa.certFile]),
    unencrypted: make('rsa-plain.p12', [
      '-keypbe',
      'NONE',
      '-certpbe',
      'NONE',
      '-nomac',
      '-passout',
      'pass:',
      '-inkey',
      rsa.keyFile,
      '-in',
      rsa.certFile,
    ]),
  };
  return pfxCache;
}
