// OCSP responses (RFC 6960) made by `openssl ocsp` from an index file (V and R lines), signed by
// the CA itself and by a delegated responder, then checked by verifyOcspResponse; and responses
// made by createOcspResponse, checked by `openssl ocsp -respin` and by our own verifier.
import { readFileSync, writeFileSync } from 'node:fs';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import {
  type Certificate,
  createOcspResponse,
  importPrivateKey,
  parseCertificates,
  parseOcspResponse,
} from '@tls/x509';
import { verifyOcspResponse } from '@tls/x509/verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Issued, OpensslDir } from '@tls/test-kit';

const provider = createNodeCryptoProvider();
const openssl = new OpensslDir();
afterAll(() => openssl.dispose());

const revokedAt = Date.UTC(2025, 10, 1, 12, 30, 0);
let ca: Issued;
let otherCa: Issued;
let good: Issued;
let revoked: Issued;
let unknown: Issued;
let responder: Issued;
let noEkuResponder: Issued;
let foreignResponder: Issued;
const cert = (issued: Issued): Certificate => parseCertificates(issued.certPem)[0]!;

function thrownCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  throw new Error('expected the call to throw');
}

/** Runs `openssl ocsp` as a responder for a request about good, revoked and unknown. */
function respond(
  name: string,
  signer: Issued,
  requestArgs: string[] = [],
  responseArgs: string[] = [],
): Uint8Array {
  const request = openssl.path(`${name}.req`);
  const response = openssl.path(`${name}.resp`);
  openssl.run([
    'ocsp',
    '-issuer',
    ca.certPath,
    ...requestArgs,
    '-cert',
    good.certPath,
    '-cert',
    revoked.certPath,
    '-cert',
    unknown.certPath,
    '-no_nonce',
    '-reqout',
    request,
  ]);
  openssl.run([
    'ocsp',
    '-index',
    openssl.path('index.txt'),
    '-CA',
    ca.certPath,
    '-rsigner',
    signer.certPath,
    '-rkey',
    signer.keyPath,
    '-reqin',
    request,
    '-ndays',
    '2',
    ...responseArgs,
    '-respout',
    response,
  ]);
  return new Uint8Array(readFileSync(response));
}

beforeAll(() => {
  const caExtensions = ['basicConstraints = critical, CA:true', 'keyUsage = keyCertSign, cRLSign'];
  ca = openssl.issue({ key: openssl.key('p256'), subject: '/CN=OCSP Test CA', extensions: caExtensions });
  otherCa = openssl.issue({ key: openssl.key('p256'), subject: '/CN=Other CA', extensions: caExtensions });
  good = openssl.issue({ key: openssl.key('p256'), subject: '/CN=good', issuer: ca, serial: '0x1001' });
  revoked = openssl.issue({ key: openssl.key('p256'), subject: '/CN=revoked', issuer: ca, serial: '0x1002' });
  unknown = openssl.issue({ key: openssl.key('p256'), subject: '/CN=unknown', issuer: ca, serial: '0x1003' });
  responder = openssl.issue({
    key: openssl.key('rsa'),
    subject: '/CN=OCSP Responder',
    issuer: ca,
    extensions: ['extendedKeyUsage = OCSPSigning', 'keyUsage = digitalSignature'],
  });
  noEkuResponder = openssl.issue({ key: openssl.key('p256'), subject: '/CN=No EKU Responder', issuer: ca });
  foreignResponder = openssl.issue({
    key: openssl.key('p256'),
    subject: '/CN=Foreign Responder',
    issuer: otherCa,
    extensions: ['extendedKeyUsage = OCSPSigning'],
  });
  // ca index: status, expiry, revocation time[,reason], serial, file, subject
  openssl.write(
    'index.txt',
    [
      'V\t301231000000Z\t\t1001\tunknown\t/CN=good',
      'R\t301231000000Z\t251101123000Z,keyCompromise\t1002\tunknown\t/CN=revoked',
      '',
    ].join('\n'),
  );
});

describe('parseOcspResponse', () => {
  it('reads an openssl response: status, CertIDs, good/revoked/unknown with times, the responder', () => {
    const before = Math.floor(Date.now() / 1000) * 1000 - 1000;
    const response = parseOcspResponse(respond('direct', ca, [], ['-resp_no_certs']));
    expect(response.status).toBe('successful');
    const basic = response.basic!;
    expect(basic.version).toBe(1);
    expect(basic.responderId.type).toBe('name');
    expect(basic.certificates).toEqual([]);
    expect(basic.responses.map((r) => r.status)).toEqual(['good', 'revoked', 'unknown']);
    expect(basic.responses.map((r) => Buffer.from(r.certId.serialNumber).toString('hex'))).toEqual([
      '1001',
      '1002',
      '1003',
    ]);
    expect(basic.responses[0]!.certId.hash).toBe('sha1');
    const [first, second] = basic.responses;
    expect(second!.revocationTime).toBe(revokedAt);
    expect(second!.revocationReason).toBe(1); // keyCompromise
    expect(first!.revocationTime).toBeUndefined();
    expect(first!.thisUpdate).toBeGreaterThanOrEqual(before);
    expect(first!.nextUpdate! - first!.thisUpdate).toBe(2 * 86_400_000);
    expect(basic.producedAt).toBeGreaterThanOrEqual(before);
  });

  it('reads unsuccessful responses without body, and rejects other garbage with codes', () => {
    const tryLater = parseOcspResponse(Uint8Array.of(0x30, 0x03, 0x0a, 0x01, 0x03));
    expect(tryLater.status).toBe('tryLater');
    expect(tryLater.basic).toBeUndefined();
    expect(thrownCode(() => verifyOcspResponse(tryLater, cert(good), cert(ca), provider))).toBe(
      'ERR_X509_OCSP',
    );
    expect(thrownCode(() => parseOcspResponse(Uint8Array.of(0x30, 0x03, 0x0a, 0x01, 0x04)))).toBe(
      'ERR_X509_OCSP',
    );
    expect(thrownCode(() => parseOcspResponse(Uint8Array.of(0x30, 0x03, 0x0a, 0x01, 0x00)))).toBe(
      'ERR_X509_OCSP',
    );
    expect(thrownCode(() => parseOcspResponse(Uint8Array.of(0x30, 0x04, 0x0a, 0x01, 0x00)))).toBe(
      'ERR_X509_DER',
    );
  });
});

describe('verifyOcspResponse', () => {
  it('a response signed by the issuer: good, revoked (with time and reason), unknown', () => {
    const response = parseOcspResponse(respond('by-ca', ca));
    const goodStatus = verifyOcspResponse(response, cert(good), cert(ca), provider);
    expect(goodStatus.status).toBe('good');
    expect(goodStatus.signedBy).toBe('issuer');
    expect(goodStatus.responder.der).toEqual(cert(ca).der);
    const revokedStatus = verifyOcspResponse(response, cert(revoked), cert(ca), provider);
    expect([revokedStatus.status, revokedStatus.revocationTime, revokedStatus.revocationReason]).toEqual([
      'revoked',
      revokedAt,
      1,
    ]);
    expect(verifyOcspResponse(response, cert(unknown), cert(ca), provider).status).toBe('unknown');
  });

  it('a delegated responder with id-kp-OCSPSigning issued by the CA, by name and by key hash, SHA-256 CertIDs', () => {
    for (const [name, requestArgs, responseArgs] of [
      ['delegated', [], []],
      ['delegated-key', ['-sha256'], ['-resp_key_id']],
    ] as const) {
      const response = parseOcspResponse(respond(name, responder, [...requestArgs], [...responseArgs]));
      expect(response.basic!.responderId.type).toBe(name === 'delegated' ? 'name' : 'key');
      expect(response.basic!.responses[0]!.certId.hash).toBe(name === 'delegated' ? 'sha1' : 'sha256');
      const status = verifyOcspResponse(response, cert(revoked), cert(ca), provider);
      expect(status.status).toBe('revoked');
      expect(status.signedBy).toBe('delegated');
      expect(status.responder.der).toEqual(cert(responder).der);
    }
  });

  it('refuses responders the CA did not authorize', () => {
    const noEku = parseOcspResponse(respond('no-eku', noEkuResponder));
    expect(thrownCode(() => verifyOcspResponse(noEku, cert(good), cert(ca), provider))).toBe(
      'ERR_X509_OCSP_RESPONDER',
    );
    const foreign = parseOcspResponse(respond('foreign', foreignResponder));
    expect(thrownCode(() => verifyOcspResponse(foreign, cert(good), cert(ca), provider))).toBe(
      'ERR_X509_OCSP_RESPONDER',
    );
    // A delegated response without the responder certificate: signer not found.
    const bare = parseOcspResponse(respond('bare', responder, [], ['-resp_no_certs']));
    expect(thrownCode(() => verifyOcspResponse(bare, cert(good), cert(ca), provider))).toBe(
      'ERR_X509_OCSP_RESPONDER',
    );
    // ... unless the caller supplies it.
    expect(
      verifyOcspResponse(bare, cert(good), cert(ca), provider, { responderCertificates: [cert(responder)] })
        .status,
    ).toBe('good');
  });

  it('refuses a bad signature, the wrong issuer, and times outside thisUpdate..nextUpdate', () => {
    const response = parseOcspResponse(respond('checks', ca));
    const basic = response.basic!;
    const signature = basic.signature.slice();
    signature[signature.length - 1]! ^= 1;
    const tampered = { ...response, basic: { ...basic, signature } };
    expect(thrownCode(() => verifyOcspResponse(tampered, cert(good), cert(ca), provider))).toBe(
      'ERR_X509_OCSP_SIGNATURE',
    );
    expect(thrownCode(() => verifyOcspResponse(response, cert(good), cert(otherCa), provider))).toBe(
      'ERR_X509_OCSP_NO_MATCH',
    );
    const thisUpdate = basic.responses[0]!.thisUpdate;
    const options = (time: number) => ({ time, clockSkew: 0 });
    expect(
      thrownCode(() =>
        verifyOcspResponse(response, cert(good), cert(ca), provider, options(thisUpdate - 1000)),
      ),
    ).toBe('ERR_X509_OCSP_NOT_YET_VALID');
    expect(
      thrownCode(() =>
        verifyOcspResponse(
          response,
          cert(good),
          cert(ca),
          provider,
          options(thisUpdate + 2 * 86_400_000 + 1000),
        ),
      ),
    ).toBe('ERR_X509_OCSP_EXPIRED');
    expect(
      verifyOcspResponse(response, cert(good), cert(ca), provider, options(thisUpdate + 86_400_000)).status,
    ).toBe('good');
    expect(
      thrownCode(() =>
        verifyOcspResponse(response, cert(good), cert(ca), provider, { nonce: Uint8Array.of(1) }),
      ),
    ).toBe('ERR_X509_OCSP_NONCE');
  });
});

describe('createOcspResponse', () => {
  function opensslCheck(der: Uint8Array, name: string, certificates: Issued[]): string {
    const path = openssl.path(`${name}.created`);
    writeFileSync(path, der);
    const result = openssl.tryRun([
      'ocsp',
      '-respin',
      path,
      '-issuer',
      ca.certPath,
      ...certificates.flatMap((c) => ['-cert', c.certPath]),
      '-CAfile',
      ca.certPath,
      '-no_nonce',
    ]);
    return result.output;
  }

  it('signed by the CA: openssl ocsp -respin verifies it and reads every status', () => {
    const caKey = importPrivateKey(ca.keyPem, provider);
    const { der, response } = createOcspResponse(
      {
        issuer: cert(ca),
        signingKey: caKey,
        responses: [
          { certificate: cert(good), status: 'good' },
          { certificate: cert(revoked), status: 'revoked', revocationTime: revokedAt, revocationReason: 1 },
          { certificate: cert(unknown), status: 'unknown' },
        ],
        nonce: Uint8Array.of(9, 8, 7),
      },
      provider,
    );
    const output = opensslCheck(der, 'ours-ca', [good, revoked, unknown]);
    expect(output).toContain('Response verify OK');
    expect(output).toMatch(/good\.crt|c\d+\.crt: good/);
    expect(output).toContain('Reason: keyCompromise');
    expect(output).toContain('Revocation Time: Nov  1 12:30:00 2025 GMT');
    expect(output).toMatch(/: unknown/);
    expect(
      verifyOcspResponse(response, cert(revoked), cert(ca), provider, { nonce: Uint8Array.of(9, 8, 7) })
        .status,
    ).toBe('revoked');
  });

  it('signed by a delegated responder (RSA), responder id by key, SHA-256 CertIDs', () => {
    const { der, response } = createOcspResponse(
      {
        issuer: cert(ca),
        signingKey: importPrivateKey(responder.keyPem, provider),
        responderCertificate: cert(responder),
        responderIdBy: 'key',
        hash: 'sha256',
        responses: [{ certificate: cert(good), status: 'good' }],
      },
      provider,
    );
    expect(opensslCheck(der, 'ours-delegated', [])).toContain('Response verify OK');
    const status = verifyOcspResponse(response, cert(good), cert(ca), provider);
    expect([status.status, status.signedBy]).toEqual(['good', 'delegated']);
    // Signed by a key that is not the responder's: the signature check fails.
    const { response: forged } = createOcspResponse(
      {
        issuer: cert(ca),
        signingKey: importPrivateKey(good.keyPem, provider),
        responderCertificate: cert(responder),
        responses: [{ certificate: cert(good), status: 'good' }],
      },
      provider,
    );
    expect(thrownCode(() => verifyOcspResponse(forged, cert(good), cert(ca), provider))).toBe(
      'ERR_X509_OCSP_SIGNATURE',
    );
  });
});
