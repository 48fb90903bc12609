// The tls-x509 command, run as a child process from the built package (turbo builds it before
// this package's tests: see turbo.json). Its output is compared with Node's X509Certificate and
// with `openssl verify` / `openssl x509` on the same files.
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { createCrl, importPrivateKey, parseCertificates } from '@tls/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpensslDir } from '@tls/test-kit';

const bin = fileURLToPath(new URL('../bin/tls-x509.mjs', import.meta.url));
const provider = createNodeCryptoProvider();
const openssl = new OpensslDir();
afterAll(() => openssl.dispose());

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: openssl.dir, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const p = (name: string) => openssl.path(name);

beforeAll(() => {
  const steps = [
    [
      'create',
      '--subject',
      'CN=CLI Root,O=Example',
      '--ca',
      '--days',
      '30',
      '--out-cert',
      p('root.pem'),
      '--out-key',
      p('root.key'),
    ],
    [
      'create',
      '--subject',
      'CN=CLI Intermediate',
      '--ca',
      '--key',
      'p384',
      '--issuer-cert',
      p('root.pem'),
      '--issuer-key',
      p('root.key'),
      '--out-cert',
      p('inter.pem'),
      '--out-key',
      p('inter.key'),
    ],
    [
      'create',
      '--subject',
      'CN=cli.example',
      '--key',
      'rsa',
      '--san',
      'DNS:cli.example,IP:127.0.0.1',
      '--san',
      'EMAIL:admin@cli.example',
      '--purpose',
      'serverAuth',
      '--days',
      '7',
      '--issuer-cert',
      p('inter.pem'),
      '--issuer-key',
      p('inter.key'),
      '--out-cert',
      p('leaf.pem'),
      '--out-key',
      p('leaf.key'),
    ],
  ];
  for (const step of steps) {
    const result = run(...step);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  }
  writeFileSync(p('chain.pem'), readFileSync(p('leaf.pem'), 'utf8') + readFileSync(p('inter.pem'), 'utf8'));
  const der = new X509Certificate(readFileSync(p('leaf.pem'))).raw;
  writeFileSync(p('leaf.der'), der);
});

/** Node's legacy object with Buffers as base64, as `show` prints it. */
function nodeObject(pem: string): unknown {
  const legacy = new X509Certificate(pem).toLegacyObject() as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(legacy))
    out[key] = Buffer.isBuffer(value) ? value.toString('base64') : value;
  return JSON.parse(JSON.stringify(out));
}

describe('tls-x509 create', () => {
  it('makes keys and certificates openssl accepts, chained as asked', () => {
    expect(
      openssl.tryRun([
        'verify',
        '-x509_strict',
        '-CAfile',
        p('root.pem'),
        '-untrusted',
        p('inter.pem'),
        p('leaf.pem'),
      ]).output,
    ).toContain('leaf.pem: OK');
    const text = openssl.run(['x509', '-in', p('leaf.pem'), '-noout', '-text']);
    expect(text).toContain('Subject: CN = cli.example');
    expect(text).toContain('DNS:cli.example, IP Address:127.0.0.1, email:admin@cli.example');
    expect(text).toContain('TLS Web Server Authentication');
    expect(text).toContain('Public-Key: (2048 bit)');
    expect(openssl.run(['x509', '-in', p('inter.pem'), '-noout', '-text'])).toContain('CA:TRUE');
    // The key file is the certificate's key.
    const key = importPrivateKey(readFileSync(p('leaf.key'), 'utf8'), provider);
    expect(Buffer.from(key.publicKey.spki)).toEqual(
      Buffer.from(parseCertificates(readFileSync(p('leaf.pem'), 'utf8'))[0]!.subjectPublicKeyInfo.encoded),
    );
  });

  it('prints key and certificate PEM without --out-*, and refuses bad arguments with status 2', () => {
    const result = run('create', '--subject', '/CN=stdout.example', '--key', 'ed25519');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----BEGIN CERTIFICATE-----\n/);
    expect(
      openssl.run(
        ['x509', '-noout', '-subject'],
        result.stdout.slice(result.stdout.indexOf('-----BEGIN CERTIFICATE')),
      ),
    ).toBe('subject=CN = stdout.example\n');
    expect(run('create').status).toBe(2);
    expect(run('create', '--subject', 'CN=x', '--key', 'dsa').stderr).toContain(
      '--key is ec, p384, rsa or ed25519',
    );
    expect(run('nonsense').status).toBe(2);
  });
});

describe('tls-x509 show', () => {
  it("prints Node's certificate object for one PEM certificate, one DER certificate, and an array for several", () => {
    const leafPem = readFileSync(p('leaf.pem'), 'utf8');
    const one = run('show', p('leaf.pem'));
    expect(one.status).toBe(0);
    expect(JSON.parse(one.stdout)).toEqual(nodeObject(leafPem));
    expect(JSON.parse(run('show', p('leaf.der')).stdout)).toEqual(nodeObject(leafPem));
    const many = JSON.parse(run('show', p('chain.pem')).stdout);
    expect(many).toEqual([nodeObject(leafPem), nodeObject(readFileSync(p('inter.pem'), 'utf8'))]);
  });

  it('reports unreadable input with the parse error code and status 2', () => {
    writeFileSync(p('junk.der'), Uint8Array.of(0x30, 0x80, 0, 0));
    const result = run('show', p('junk.der'));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('ERR_X509_DER');
  });
});

describe('tls-x509 verify', () => {
  const leaf = () => p('leaf.pem');
  const base = () => ['--ca', p('root.pem'), '--untrusted', p('inter.pem')];

  it('prints OK and exits 0 for a valid chain, with name, purpose and time checks', () => {
    for (const extra of [
      [],
      ['--host', 'cli.example'],
      ['--ip', '127.0.0.1'],
      ['--email', 'admin@cli.example'],
      ['--purpose', 'serverAuth'],
      ['--max-depth', '1'],
    ]) {
      const result = run('verify', leaf(), ...base(), ...extra);
      expect([result.status, result.stdout]).toEqual([0, 'OK\n']);
    }
    // Intermediates may also come after the leaf in its own file.
    expect(run('verify', p('chain.pem'), '--ca', p('root.pem')).stdout).toBe('OK\n');
  });

  it.each([
    [['--host', 'other.example'], 'HOSTNAME_MISMATCH', 'hostname mismatch'],
    [['--ip', '10.0.0.1'], 'IP_ADDRESS_MISMATCH', 'IP address mismatch'],
    [['--purpose', 'clientAuth'], 'INVALID_PURPOSE', 'unsuitable certificate purpose'],
    [['--time', '2099-01-01T00:00:00Z'], 'CERT_HAS_EXPIRED', 'certificate has expired'],
    [['--time', '2000-01-01T00:00:00Z'], 'CERT_NOT_YET_VALID', 'certificate is not yet valid'],
    [['--max-depth', '0'], 'CERT_CHAIN_TOO_LONG', 'certificate chain too long'],
  ])('%j fails with %s, as openssl verify says', (extra, code, message) => {
    const result = run('verify', leaf(), ...base(), ...extra);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^${code}: ${message} at depth \\d: .+\\n$`));
  });

  it('without the right trust: unable to get local issuer certificate, or the self-signed root', () => {
    const noRoot = run('verify', leaf(), '--untrusted', p('inter.pem'));
    expect(noRoot.status).toBe(1);
    expect(noRoot.stdout).toMatch(
      /^UNABLE_TO_GET_ISSUER_CERT_LOCALLY: unable to get local issuer certificate at depth 1/,
    );
    const openssl_ = openssl.tryRun(['verify', '-CAfile', p('inter.pem'), p('root.pem')]);
    expect(openssl_.output).toContain('self-signed certificate');
    const selfSigned = run('verify', p('root.pem'), '--ca', p('inter.pem'));
    expect(selfSigned.stdout).toMatch(/^DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate at depth 0/);
    // With the intermediate as the only anchor, --partial-chain accepts the path.
    expect(run('verify', leaf(), '--ca', p('inter.pem'), '--partial-chain').stdout).toBe('OK\n');
  });

  it('checks CRLs given with --crl', () => {
    const inter = parseCertificates(readFileSync(p('inter.pem'), 'utf8'))[0]!;
    const leafCertificate = parseCertificates(readFileSync(p('leaf.pem'), 'utf8'))[0]!;
    const root = parseCertificates(readFileSync(p('root.pem'), 'utf8'))[0]!;
    const interKey = importPrivateKey(readFileSync(p('inter.key'), 'utf8'), provider);
    const rootKey = importPrivateKey(readFileSync(p('root.key'), 'utf8'), provider);
    const revoked = createCrl(
      {
        issuer: inter,
        signingKey: interKey,
        revoked: [{ serialNumber: leafCertificate.serialNumber, revocationDate: Date.now() - 60_000 }],
      },
      provider,
    );
    const empty = createCrl({ issuer: root, signingKey: rootKey, revoked: [] }, provider);
    writeFileSync(p('inter.crl'), revoked.pem);
    writeFileSync(p('root.crl'), empty.der);
    writeFileSync(p('root.crl.pem'), empty.pem);
    const result = run('verify', leaf(), ...base(), '--crl', p('inter.crl'), '--crl', p('root.crl'));
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^CERT_REVOKED: certificate revoked at depth 0/);
    const openssl_ = openssl.tryRun([
      'verify',
      '-crl_check_all',
      '-CAfile',
      p('root.pem'),
      '-untrusted',
      p('inter.pem'),
      '-CRLfile',
      p('inter.crl'),
      '-CRLfile',
      p('root.crl.pem'),
      leaf(),
    ]);
    expect(openssl_.output).toContain('certificate revoked');
  });

  it('applies the validation profile given with --profile (and a Public Suffix List with webpki)', () => {
    // The intermediate CA as a leaf: OpenSSL and RFC 5280 accept it, the CABF BRs do not.
    const caAsLeaf = ['verify', p('inter.pem'), '--ca', p('root.pem')];
    expect(run(...caAsLeaf).stdout).toBe('OK\n');
    expect(run(...caAsLeaf, '--profile', 'rfc5280').stdout).toBe('OK\n');
    const webpki = run(...caAsLeaf, '--profile', 'webpki');
    expect(webpki.status).toBe(1);
    expect(webpki.stdout).toMatch(/^INVALID_EXTENSION: .* at depth 0: .*cA.*§7\.1\.2\.7\.8/);
    expect(run('verify', leaf(), ...base(), '--host', 'cli.example', '--profile', 'webpki').stdout).toBe(
      'OK\n',
    );
    // A wildcard over a name the given list calls a public suffix.
    const wildcard = run(
      'create',
      '--subject',
      'CN=*.cli.example',
      '--san',
      'DNS:*.cli.example',
      '--purpose',
      'serverAuth',
      '--issuer-cert',
      p('inter.pem'),
      '--issuer-key',
      p('inter.key'),
      '--out-cert',
      p('wildcard.pem'),
      '--out-key',
      p('wildcard.key'),
    );
    expect(wildcard.status).toBe(0);
    writeFileSync(p('psl.dat'), '// test list\ncli.example\n');
    const wildcardArgs = [
      'verify',
      p('wildcard.pem'),
      ...base(),
      '--host',
      'www.cli.example',
      '--profile',
      'webpki',
    ];
    expect(run(...wildcardArgs).stdout).toBe('OK\n');
    const refused = run(...wildcardArgs, '--public-suffix-list', p('psl.dat'));
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/^UNSUPPORTED_NAME_SYNTAX: .* spans the public suffix cli\.example/);
  });

  it('refuses bad arguments with status 2', () => {
    expect(run('verify').status).toBe(2);
    expect(run('verify', leaf(), '--profile', 'cabf').stderr).toContain(
      '--profile is openssl, rfc5280 or webpki',
    );
    expect(run('verify', leaf(), '--public-suffix-list', p('leaf.pem')).stderr).toContain('--profile webpki');
    expect(run('verify', leaf(), '--host', 'a', '--ip', '1.2.3.4').stderr).toContain('at most one of');
    expect(run('verify', leaf(), '--time', 'yesterday').stderr).toContain('--time');
    expect(run('verify', leaf(), '--purpose', 'codeSigning').status).toBe(2);
    expect(run('verify', leaf(), '--bogus').stderr).toContain('unknown option --bogus');
  });
});
