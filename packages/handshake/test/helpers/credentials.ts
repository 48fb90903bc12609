// Test credentials made with the openssl CLI (once per process, in a temporary directory):
// self-signed leaf certificates for each key type the engine signs with.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CertifiedKey } from '@tls/handshake';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { type KeyAlgorithm, selfSignedCertificate, temporaryDirectory } from '@tls/test-kit';

export type KeyKind = 'ecdsa-p256' | 'ecdsa-p384' | 'rsa' | 'rsa-pss' | 'ed25519' | 'ed448';

const algorithms: Record<KeyKind, KeyAlgorithm> = {
  'ecdsa-p256': 'p256',
  'ecdsa-p384': 'p384',
  rsa: 'rsa',
  'rsa-pss': 'rsa-pss',
  ed25519: 'ed25519',
  ed448: 'ed448',
};

export interface TestCredential {
  readonly kind: KeyKind;
  readonly keyPem: string;
  readonly certPem: string;
  readonly keyFile: string;
  readonly certFile: string;
  readonly certified: CertifiedKey;
}

const directory = temporaryDirectory('tls-handshake-test-');
const cache = new Map<KeyKind, TestCredential>();
const provider = createNodeCryptoProvider();

/** A self-signed certificate for `localhost` / 127.0.0.1 with a key of `kind`. */
export function credential(kind: KeyKind): TestCredential {
  const cached = cache.get(kind);
  if (cached !== undefined) return cached;
  const { keyPem, certPem, keyFile, certFile } = selfSignedCertificate(directory, kind, {
    key: algorithms[kind],
    subject: `/CN=localhost/O=${kind}`,
    days: 2,
    altNames: 'DNS:localhost,IP:127.0.0.1',
  });
  const certified: CertifiedKey = {
    chain: [new Uint8Array(new X509Certificate(certPem).raw)],
    privateKey: provider.importPrivateKey({ key: keyPem }),
  };
  const result = { kind, keyPem, certPem, keyFile, certFile, certified };
  cache.set(kind, result);
  return result;
}

export const credentialDirectory = directory;

/** A DER OCSP response for `kind`'s certificate, signed by that (self-signed) certificate itself. */
export function ocspResponse(kind: KeyKind): { file: string; der: Uint8Array } {
  const cred = credential(kind);
  const request = join(directory, `${kind}.ocsp-request.der`);
  const file = join(directory, `${kind}.ocsp.der`);
  const index = join(directory, 'ocsp-index.txt');
  execFileSync('touch', [index]);
  execFileSync(
    'openssl',
    ['ocsp', '-issuer', cred.certFile, '-cert', cred.certFile, '-reqout', request, '-no_nonce'],
    { stdio: 'ignore' },
  );
  execFileSync(
    'openssl',
    [
      'ocsp',
      '-index',
      index,
      '-rsigner',
      cred.certFile,
      '-rkey',
      cred.keyFile,
      '-CA',
      cred.certFile,
      '-reqin',
      request,
      '-respout',
      file,
    ],
    { stdio: 'ignore' },
  );
  return { file, der: new Uint8Array(readFileSync(file)) };
}
