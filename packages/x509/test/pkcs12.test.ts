// parsePkcs12 against files made by `openssl pkcs12 -export`: its defaults (PBES2 AES-256-CBC,
// HMAC-SHA-256 MAC), -legacy (3DES key, 40-bit RC2 certificates, SHA-1 MAC), -nomac, unencrypted
// bags, the other PKCS#12 PBE schemes, wrong and missing passwords. The key and certificates we
// extract are compared byte for byte with what openssl was given, and Node's own pfx loader
// (tls.createSecureContext) is the reference for errors and for password handling.
import { readFileSync, writeFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { SignatureScheme } from '@tls/crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import {
  DerReader,
  berToDer,
  createPkcs12,
  decodePem,
  importPrivateKey,
  parseCertificates,
  parsePkcs12,
  pkcs12Kdf,
} from '@tls/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Issued, OpensslDir } from '@tls/test-kit';

const provider = createNodeCryptoProvider();
const openssl = new OpensslDir();
afterAll(() => openssl.dispose());

function hex(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? '' : Buffer.from(bytes).toString('hex');
}

function pemDer(pem: string): string {
  return hex(decodePem(pem)[0]!.der);
}

function nodeError(pfx: Uint8Array, passphrase?: string): string | undefined {
  try {
    createSecureContext(
      passphrase === undefined ? { pfx: Buffer.from(pfx) } : { pfx: Buffer.from(pfx), passphrase },
    );
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function thrown(fn: () => unknown): { code?: string; message: string } {
  try {
    fn();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected the call to throw');
}

let ca: Issued;
let leaf: Issued;
let rsa: Issued;
/** PKCS#8 DER of the leaf key as openssl writes it. */
let leafPkcs8: string;
let rsaPkcs8: string;

function exportPfx(name: string, args: string[], issued: Issued = leaf, withCa = true): Uint8Array {
  const out = openssl.path(name);
  openssl.run([
    'pkcs12',
    '-export',
    '-in',
    issued.certPath,
    '-inkey',
    issued.keyPath,
    ...(withCa ? ['-certfile', ca.certPath] : []),
    ...args,
    '-out',
    out,
  ]);
  return new Uint8Array(readFileSync(out));
}

beforeAll(() => {
  ca = openssl.issue({
    key: openssl.key('p256'),
    subject: '/CN=PFX Test CA',
    extensions: ['basicConstraints = critical, CA:true', 'keyUsage = keyCertSign, cRLSign'],
  });
  leaf = openssl.issue({
    key: openssl.key('p256'),
    subject: '/CN=pfx.example',
    issuer: ca,
    extensions: ['subjectAltName = DNS:pfx.example'],
  });
  rsa = openssl.issue({ key: openssl.key('rsa'), subject: '/CN=rsa.example', issuer: ca });
  const pkcs8 = (key: string) =>
    hex(
      new Uint8Array(
        Buffer.from(
          openssl
            .run(['pkcs8', '-topk8', '-nocrypt', '-in', key, '-outform', 'PEM'])
            .split('\n')
            .filter((l) => !l.startsWith('-----'))
            .join(''),
          'base64',
        ),
      ),
    );
  leafPkcs8 = pkcs8(leaf.keyPath);
  rsaPkcs8 = pkcs8(rsa.keyPath);
});

function expectLeafContents(
  contents: ReturnType<typeof parsePkcs12>,
  issued: Issued = leaf,
  pkcs8 = leafPkcs8,
) {
  expect(hex(contents.privateKeyInfo)).toBe(pkcs8);
  expect(hex(contents.certificate?.der)).toBe(pemDer(issued.certPem));
  expect(contents.ca.map((c) => hex(c.der))).toEqual([pemDer(ca.certPem)]);
  // The imported key is the certificate's: a signature by it verifies with the certificate's key.
  const key = contents.privateKey!;
  expect(hex(key.publicKey.spki)).toBe(hex(contents.certificate!.subjectPublicKeyInfo.encoded));
  const data = new TextEncoder().encode('signed by the pfx key');
  const scheme = key.type === 'ec' ? SignatureScheme.EcdsaSecp256r1Sha256 : SignatureScheme.RsaPssRsaeSha256;
  expect(provider.verify(scheme, key.publicKey, data, provider.sign(scheme, key, data))).toBe(true);
}

describe('parsePkcs12', () => {
  it("reads openssl's default (PBES2 PBKDF2-SHA256 AES-256-CBC, HMAC-SHA-256) with the key, its certificate and the CA", () => {
    const pfx = exportPfx('default.p12', ['-passout', 'pass:secret', '-name', 'my server']);
    expect(
      openssl.run([
        'pkcs12',
        '-in',
        openssl.path('default.p12'),
        '-info',
        '-noout',
        '-passin',
        'pass:secret',
      ]),
    ).toBe('');
    const contents = parsePkcs12(pfx, provider, { passphrase: 'secret' });
    expectLeafContents(contents);
    expect(contents.macHash).toBe('sha256');
    expect(contents.certificateAttributes[0]?.friendlyName).toBe('my server');
    expect(contents.certificateAttributes[0]?.localKeyId?.length).toBe(20);
    expect(nodeError(pfx, 'secret')).toBeUndefined();
  });

  it('reads -legacy files: pbeWithSHAAnd3-KeyTripleDES-CBC key, pbeWithSHAAnd40BitRC2-CBC certificates, SHA-1 MAC', () => {
    const pfx = exportPfx('legacy.p12', ['-legacy', '-passout', 'pass:secret']);
    const info = openssl.tryRun([
      'pkcs12',
      '-in',
      openssl.path('legacy.p12'),
      '-info',
      '-noout',
      '-legacy',
      '-passin',
      'pass:secret',
    ]);
    expect(info.output).toContain('pbeWithSHA1And40BitRC2-CBC');
    expect(info.output).toContain('pbeWithSHA1And3-KeyTripleDES-CBC');
    const contents = parsePkcs12(pfx, provider, { passphrase: 'secret' });
    expectLeafContents(contents);
    expect(contents.macHash).toBe('sha1');
    // Node's loader cannot, because OpenSSL 3 has RC2 only in its legacy provider.
    expect(nodeError(pfx, 'secret')).toBe('Unsupported PKCS12 PFX data');
  });

  it.each([
    ['PBE-SHA1-3DES', 'PBE-SHA1-RC2-128', 'sha1'],
    ['PBE-SHA1-2DES', 'PBE-SHA1-3DES', 'sha512'],
    ['AES-128-CBC', 'PBE-SHA1-RC2-40', 'sha384'],
    ['DES-EDE3-CBC', 'AES-256-CBC', 'sha256'],
  ])('decrypts keys with %s and certificates with %s, MAC %s', (keyPbe, certPbe, macAlgorithm) => {
    const pfx = exportPfx(
      `mix-${keyPbe}-${certPbe}.p12`,
      [
        '-provider',
        'legacy',
        '-provider',
        'default',
        '-keypbe',
        keyPbe,
        '-certpbe',
        certPbe,
        '-macalg',
        macAlgorithm,
        '-iter',
        '1000',
        '-passout',
        'pass:p4ss',
      ],
      rsa,
    );
    const contents = parsePkcs12(pfx, provider, { passphrase: 'p4ss' });
    expectLeafContents(contents, rsa, rsaPkcs8);
    expect(contents.macHash).toBe(macAlgorithm);
  });

  it('reads -nomac files; a wrong password there is a bad decrypt', () => {
    const pfx = exportPfx('nomac.p12', ['-nomac', '-passout', 'pass:secret']);
    const contents = parsePkcs12(pfx, provider, { passphrase: 'secret' });
    expectLeafContents(contents);
    expect(contents.macHash).toBeUndefined();
    const error = thrown(() => parsePkcs12(pfx, provider, { passphrase: 'wrong' }));
    expect(error.code).toBe('ERR_OSSL_BAD_DECRYPT');
    expect(error.message).toBe('bad decrypt');
    // Node (OpenSSL's PKCS12_parse) refuses any file without a MAC.
    expect(nodeError(pfx, 'secret')).toBe('mac absent');
  });

  it('reads unencrypted bags (-keypbe NONE -certpbe NONE), still MAC-protected', () => {
    const pfx = exportPfx('plain.p12', ['-keypbe', 'NONE', '-certpbe', 'NONE', '-passout', 'pass:secret']);
    expectLeafContents(parsePkcs12(pfx, provider, { passphrase: 'secret' }));
    expect(thrown(() => parsePkcs12(pfx, provider, { passphrase: 'wrong' })).code).toBe(
      'ERR_X509_PKCS12_MAC',
    );
  });

  it("a wrong or missing password is 'mac verify failure', Node's message", () => {
    const pfx = exportPfx('wrong.p12', ['-passout', 'pass:secret']);
    for (const passphrase of ['wrong', 'Secret', '', undefined]) {
      const error = thrown(() => parsePkcs12(pfx, provider, passphrase === undefined ? {} : { passphrase }));
      expect(error.code).toBe('ERR_X509_PKCS12_MAC');
      expect(error.message).toBe(nodeError(pfx, passphrase));
      expect(error.message).toBe('mac verify failure');
    }
  });

  it('an empty password works with or without passing it, as in Node', () => {
    const pfx = exportPfx('empty.p12', ['-passout', 'pass:']);
    expectLeafContents(parsePkcs12(pfx, provider));
    expectLeafContents(parsePkcs12(pfx, provider, { passphrase: '' }));
    expect(nodeError(pfx)).toBeUndefined();
  });

  it('passwords outside ASCII: BMPString for the PKCS#12 KDF, UTF-8 for PBKDF2', () => {
    const passphrase = 'pässwörd-€';
    for (const args of [[], ['-legacy']]) {
      const pfx = exportPfx(`unicode${args.length}.p12`, [...args, '-passout', `pass:${passphrase}`]);
      expectLeafContents(parsePkcs12(pfx, provider, { passphrase }));
    }
  });

  it('a file with only certificates has no key; every certificate is in ca', () => {
    const out = openssl.path('certs.p12');
    openssl.run([
      'pkcs12',
      '-export',
      '-nokeys',
      '-in',
      leaf.certPath,
      '-certfile',
      ca.certPath,
      '-passout',
      'pass:x',
      '-out',
      out,
    ]);
    const contents = parsePkcs12(new Uint8Array(readFileSync(out)), provider, { passphrase: 'x' });
    expect(contents.privateKey).toBeUndefined();
    expect(contents.certificate).toBeUndefined();
    expect(contents.ca.map((c) => hex(c.der)).sort()).toEqual(
      [pemDer(leaf.certPem), pemDer(ca.certPem)].sort(),
    );
  });

  it('rejects malformed files with stable codes', () => {
    const pfx = exportPfx('bad.p12', ['-passout', 'pass:secret']);
    expect(
      thrown(() => parsePkcs12(pfx.subarray(0, pfx.length - 3), provider, { passphrase: 'secret' })).code,
    ).toBe('ERR_X509_DER');
    const version4 = pfx.slice();
    // 30 82 LL LL 02 01 03: the version byte.
    expect(version4[6]).toBe(3);
    version4[6] = 4;
    expect(thrown(() => parsePkcs12(version4, provider, { passphrase: 'secret' })).code).toBe(
      'ERR_X509_PKCS12',
    );
    const tampered = pfx.slice();
    tampered[100]! ^= 1;
    expect(['ERR_X509_PKCS12_MAC', 'ERR_X509_DER']).toContain(
      thrown(() => parsePkcs12(tampered, provider, { passphrase: 'secret' })).code,
    );
    expect(thrown(() => parsePkcs12(new TextEncoder().encode('garbage'), provider)).code).toBe(
      'ERR_X509_DER',
    );
  });

  it('pkcs12Kdf continues past one hash output (I_j updated between blocks) and depends on its ID', () => {
    const password = Uint8Array.of(0, 0x61, 0, 0);
    const salt = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const long = pkcs12Kdf(provider, 'sha1', password, salt, 3, 1, 45);
    expect(long.length).toBe(45);
    expect(hex(long.subarray(0, 20))).toBe(hex(pkcs12Kdf(provider, 'sha1', password, salt, 3, 1, 20)));
    expect(hex(long.subarray(20, 40))).not.toBe(hex(long.subarray(0, 20)));
    expect(hex(pkcs12Kdf(provider, 'sha1', password, salt, 3, 2, 20))).not.toBe(hex(long.subarray(0, 20)));
    // A = SHA1^3(D || S' || P') with v = 64: one block of ID bytes, the salt and password repeated.
    const d = new Uint8Array(64).fill(1);
    const s = Uint8Array.from({ length: 64 }, (_, i) => salt[i % 8]!);
    const p = Uint8Array.from({ length: 64 }, (_, i) => password[i % 4]!);
    let a = provider.hash('sha1', [d, s, p]);
    a = provider.hash('sha1', provider.hash('sha1', a));
    expect(hex(long.subarray(0, 20))).toBe(hex(a));
  });
});

describe('createPkcs12', () => {
  it.each(['aes-256-cbc', 'none'] as const)(
    'writes files (%s) that openssl, Node and parsePkcs12 read back with the same key and certificates',
    (encryption) => {
      const privateKey = importPrivateKey(leaf.keyPem, provider);
      const certificate = parseCertificates(leaf.certPem)[0]!;
      const caCertificate = parseCertificates(ca.certPem)[0]!;
      const pfx = createPkcs12(
        {
          privateKey,
          certificate,
          ca: [caCertificate],
          passphrase: 'créé',
          friendlyName: 'ours',
          encryption,
        },
        provider,
      );
      const path = openssl.path(`ours-${encryption}.p12`);
      writeFileSync(path, pfx);
      const info = openssl.tryRun(['pkcs12', '-in', path, '-info', '-noout', '-passin', 'pass:créé']);
      expect(info.status).toBe(0);
      expect(info.output).toContain('MAC: sha256, Iteration 2048');
      if (encryption === 'none') expect(info.output).toContain('PKCS7 Data\nKey bag');
      else
        expect(info.output).toContain(
          'Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256',
        );
      // openssl's own extraction gives back the certificate, the CA and the key.
      const pem = openssl.run(['pkcs12', '-in', path, '-nodes', '-passin', 'pass:créé']);
      const blocks = decodePem(pem);
      expect(blocks.filter((b) => b.label === 'CERTIFICATE').map((b) => hex(b.der))).toEqual([
        pemDer(leaf.certPem),
        pemDer(ca.certPem),
      ]);
      expect(hex(blocks.find((b) => b.label === 'PRIVATE KEY')?.der)).toBe(leafPkcs8);
      expect(pem).toContain('friendlyName: ours');
      expect(nodeError(pfx, 'créé')).toBeUndefined();
      expect(nodeError(pfx, 'wrong')).toBe('mac verify failure');
      const contents = parsePkcs12(pfx, provider, { passphrase: 'créé' });
      expectLeafContents(contents);
      expect(contents.certificateAttributes[0]?.friendlyName).toBe('ours');
    },
  );
});

/** Test helper: the same element in BER, with indefinite lengths and OCTET STRINGs in 32-byte segments. */
function toBer(der: Uint8Array): Uint8Array {
  const out: number[] = [];
  const walk = (bytes: Uint8Array, position: number): number => {
    const tag = bytes[position]!;
    const first = bytes[position + 1]!;
    const count = first < 0x80 ? 0 : first & 0x7f;
    let length = first < 0x80 ? first : 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[position + 2 + i]!;
    const start = position + 2 + count;
    const end = start + length;
    if (tag & 0x20) {
      out.push(tag, 0x80);
      for (let cursor = start; cursor < end; ) cursor = walk(bytes, cursor);
      out.push(0, 0);
    } else if ((tag === 0x04 || tag === 0x80) && length > 32) {
      // OCTET STRING, or [0] IMPLICIT OCTET STRING (encryptedContent), in constructed segments.
      out.push(tag === 0x04 ? 0x24 : 0xa0, 0x80);
      for (let cursor = start; cursor < end; cursor += 32) {
        const segment = bytes.subarray(cursor, Math.min(cursor + 32, end));
        out.push(0x04, segment.length, ...segment);
      }
      out.push(0, 0);
    } else {
      out.push(...bytes.subarray(position, end));
    }
    return end;
  };
  walk(der, 0);
  return Uint8Array.from(out);
}

describe('BER input (Windows exports)', () => {
  it('berToDer re-encodes indefinite lengths, constructed OCTET STRINGs and long-form short lengths; DER passes through', () => {
    const der = Uint8Array.of(0x30, 0x08, 0x04, 0x02, 0xaa, 0xbb, 0x30, 0x02, 0x05, 0x00);
    expect(berToDer(der)).toBe(der);
    const ber = Uint8Array.of(
      0x30,
      0x80,
      0x24,
      0x80,
      0x04,
      0x01,
      0xaa,
      0x04,
      0x81,
      0x01,
      0xbb,
      0x00,
      0x00,
      0x30,
      0x80,
      0x05,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,
    );
    expect(hex(berToDer(ber))).toBe(hex(der));
    for (const bad of [
      Uint8Array.of(0x30, 0x80, 0x05, 0x00), // no end-of-contents
      Uint8Array.of(0x04, 0x80, 0x00, 0x00), // indefinite primitive
      Uint8Array.of(0x24, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00), // segment that is not an OCTET STRING
      Uint8Array.of(0x05, 0x00, 0x00), // trailing byte
    ]) {
      expect(thrown(() => berToDer(bad)).code).toBe('ERR_X509_DER');
    }
  });

  it('reads a PFX that is BER inside the authenticated safe too (segmented encryptedContent), MAC recomputed', () => {
    const der = exportPfx('ber-inner.p12', ['-passout', 'pass:secret']);
    const pfx = new DerReader(der).sequence('pfx');
    pfx.read('version');
    const authSafe = pfx.sequence('authSafe');
    authSafe.read('type');
    const inner = DerReader.of(authSafe.read('content')).octetString('authSafe');
    const macData = pfx.sequence('macData');
    macData.read('digestInfo');
    const salt = macData.octetString('salt');
    const iterations = macData.smallInteger('iterations');
    const berSafe = toBer(inner);
    const bmp = Uint8Array.of(0, 0x73, 0, 0x65, 0, 0x63, 0, 0x72, 0, 0x65, 0, 0x74, 0, 0); // "secret"
    const mac = provider.hmac('sha256', pkcs12Kdf(provider, 'sha256', bmp, salt, iterations, 3, 32), berSafe);
    const tlv = (tag: number, body: Uint8Array) => {
      const length =
        body.length < 0x80
          ? [body.length]
          : body.length < 0x100
            ? [0x81, body.length]
            : [0x82, body.length >> 8, body.length & 0xff];
      return Uint8Array.from([tag, ...length, ...body]);
    };
    const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]));
    const rebuilt = tlv(
      0x30,
      cat(
        Uint8Array.of(0x02, 0x01, 0x03),
        tlv(
          0x30,
          cat(
            Uint8Array.of(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01),
            tlv(0xa0, tlv(0x04, berSafe)),
          ),
        ),
        tlv(
          0x30,
          cat(
            tlv(
              0x30,
              cat(
                Uint8Array.of(
                  0x30,
                  0x0d,
                  0x06,
                  0x09,
                  0x60,
                  0x86,
                  0x48,
                  0x01,
                  0x65,
                  0x03,
                  0x04,
                  0x02,
                  0x01,
                  0x05,
                  0x00,
                ),
                tlv(0x04, mac),
              ),
            ),
            tlv(0x04, salt),
            Uint8Array.of(0x02, 0x02, iterations >> 8, iterations & 0xff),
          ),
        ),
      ),
    );
    expect(hex(berSafe)).toContain('a080'); // the segmented encryptedContent is really there
    expect(nodeError(rebuilt, 'secret')).toBeUndefined();
    expectLeafContents(parsePkcs12(rebuilt, provider, { passphrase: 'secret' }));
  });

  it.each([[[] as string[]], [['-legacy']], [['-keypbe', 'NONE', '-certpbe', 'NONE']]])(
    'reads a PFX %j whose outer layers are BER, as Node does',
    (args) => {
      const der = exportPfx(`ber${args.length}.p12`, [...args, '-passout', 'pass:secret']);
      const ber = toBer(der);
      expect(ber.length).toBeGreaterThan(der.length);
      expect(hex(berToDer(ber))).toBe(hex(der));
      if (args.length === 0) expect(nodeError(ber, 'secret')).toBeUndefined();
      expectLeafContents(parsePkcs12(ber, provider, { passphrase: 'secret' }));
      expect(thrown(() => parsePkcs12(ber, provider, { passphrase: 'wrong' })).code).toBe(
        'ERR_X509_PKCS12_MAC',
      );
    },
  );
});
