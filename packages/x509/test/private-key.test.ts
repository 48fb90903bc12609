// importPrivateKey over every key format openssl writes, with and without passphrases.
import { readFileSync } from 'node:fs';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import {
  decodePem,
  detectPrivateKeyType,
  importPrivateKey,
  isKeyForCertificate,
  parseCertificates,
} from '@tls/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpensslDir } from '@tls/test-kit';

const provider = createNodeCryptoProvider();
const openssl = new OpensslDir();
afterAll(() => openssl.dispose());

describe('importPrivateKey', () => {
  const files: Record<string, string> = {};
  let rsaCert: ReturnType<typeof parseCertificates>[number];
  let ecCert: ReturnType<typeof parseCertificates>[number];
  beforeAll(() => {
    const rsa = openssl.key('rsa');
    const ec = openssl.key('p256');
    rsaCert = parseCertificates(openssl.issue({ key: rsa, subject: '/CN=rsa' }).certPem)[0]!;
    ecCert = parseCertificates(openssl.issue({ key: ec, subject: '/CN=ec' }).certPem)[0]!;
    const out = (name: string, args: string[]) => {
      openssl.run([...args, '-out', openssl.path(name)]);
      files[name] = openssl.path(name);
    };
    out('rsa-pkcs8.pem', ['pkey', '-in', rsa]);
    out('rsa-pkcs8.der', ['pkcs8', '-topk8', '-nocrypt', '-in', rsa, '-outform', 'DER']);
    out('rsa-pkcs1.pem', ['rsa', '-in', rsa, '-traditional']);
    out('rsa-pkcs1.der', ['rsa', '-in', rsa, '-traditional', '-outform', 'DER']);
    out('rsa-enc-pkcs8.pem', [
      'pkcs8',
      '-topk8',
      '-in',
      rsa,
      '-v2',
      'aes-256-cbc',
      '-passout',
      'pass:secret',
    ]);
    out('rsa-enc-pkcs8.der', [
      'pkcs8',
      '-topk8',
      '-in',
      rsa,
      '-v2',
      'aes-256-cbc',
      '-passout',
      'pass:secret',
      '-outform',
      'DER',
    ]);
    out('rsa-traditional-enc.pem', ['rsa', '-in', rsa, '-traditional', '-aes128', '-passout', 'pass:secret']);
    out('ec-sec1.pem', ['ec', '-in', ec]);
    out('ec-sec1.der', ['ec', '-in', ec, '-outform', 'DER']);
    out('ec-pkcs8.pem', ['pkey', '-in', ec]);
  });

  const read = (name: string) =>
    name.endsWith('.der') ? new Uint8Array(readFileSync(files[name]!)) : readFileSync(files[name]!, 'utf8');

  it('detects DER key structures', () => {
    expect(detectPrivateKeyType(read('rsa-pkcs8.der') as Uint8Array)).toBe('pkcs8');
    expect(detectPrivateKeyType(read('rsa-pkcs1.der') as Uint8Array)).toBe('pkcs1');
    expect(detectPrivateKeyType(read('ec-sec1.der') as Uint8Array)).toBe('sec1');
    expect(detectPrivateKeyType(read('rsa-enc-pkcs8.der') as Uint8Array)).toBe('encrypted-pkcs8');
    expect(detectPrivateKeyType(new Uint8Array([0x30, 0x00]))).toBeUndefined();
  });

  it.each([
    ['rsa-pkcs8.pem', 'rsa', undefined],
    ['rsa-pkcs8.der', 'rsa', undefined],
    ['rsa-pkcs1.pem', 'rsa', undefined],
    ['rsa-pkcs1.der', 'rsa', undefined],
    ['rsa-enc-pkcs8.pem', 'rsa', 'secret'],
    ['rsa-enc-pkcs8.der', 'rsa', 'secret'],
    ['rsa-traditional-enc.pem', 'rsa', 'secret'],
    ['ec-sec1.pem', 'ec', undefined],
    ['ec-sec1.der', 'ec', undefined],
    ['ec-pkcs8.pem', 'ec', undefined],
  ])('imports %s and matches its certificate', (name, type, passphrase) => {
    const key = importPrivateKey(read(name), provider, passphrase === undefined ? {} : { passphrase });
    expect(key.type).toBe(type);
    const certificate = type === 'rsa' ? rsaCert : ecCert;
    expect(isKeyForCertificate(key, certificate)).toBe(true);
    expect(isKeyForCertificate(key, type === 'rsa' ? ecCert : rsaCert)).toBe(false);
  });

  it('finds the key block in a file that also holds certificates', () => {
    const text = read('ec-pkcs8.pem') as string;
    expect(decodePem(text)).toHaveLength(1);
    const combined = `-----BEGIN CERTIFICATE-----\n${Buffer.from(ecCert.der).toString('base64')}\n-----END CERTIFICATE-----\n${text}`;
    expect(importPrivateKey(combined, provider).type).toBe('ec');
  });

  it('gives clear errors for missing and wrong passphrases', () => {
    for (const name of ['rsa-enc-pkcs8.pem', 'rsa-traditional-enc.pem', 'rsa-enc-pkcs8.der']) {
      expect(() => importPrivateKey(read(name), provider), name).toThrow(
        expect.objectContaining({ code: 'ERR_MISSING_PASSPHRASE' }),
      );
      expect(() => importPrivateKey(read(name), provider, { passphrase: 'wrong' }), name).toThrow(
        expect.objectContaining({ code: 'ERR_OSSL_BAD_DECRYPT' }),
      );
    }
    expect(() => importPrivateKey('no key here', provider)).toThrow(
      expect.objectContaining({ code: 'ERR_X509_PEM' }),
    );
  });
});
