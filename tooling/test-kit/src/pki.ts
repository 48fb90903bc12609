// Keys and certificates made with the openssl CLI into temporary directories: one self-signed
// certificate in one command (`openssl req -x509`), or a directory to issue whole chains in
// (`OpensslDir`: genpkey, req, x509 -req with any extensions). Made by the tool our peers use, so
// no certificate a test relies on comes from the code under test.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A new directory under the system's temporary directory, removed when the process exits.
 *
 * @example const directory = temporaryDirectory('tls-context-test-');
 */
export function temporaryDirectory(prefix: string): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  process.on('exit', () => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

/** The key algorithms tests sign with. */
export type KeyAlgorithm = 'rsa' | 'rsa-pss' | 'p256' | 'p384' | 'p521' | 'ed25519' | 'ed448';

/** `openssl req` arguments that make a new key of each algorithm (RSA keys are 2048 bits). */
const newKeyArguments: Record<KeyAlgorithm, readonly string[]> = {
  rsa: ['-newkey', 'rsa:2048'],
  'rsa-pss': ['-newkey', 'rsa-pss', '-pkeyopt', 'rsa_keygen_bits:2048'],
  p256: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  p521: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-521'],
  ed25519: ['-newkey', 'ed25519'],
  ed448: ['-newkey', 'ed448'],
};

/** A key and its certificate, as PEM text and as the files openssl and our bins read. */
export interface CertificateFiles {
  readonly keyPem: string;
  readonly certPem: string;
  readonly keyFile: string;
  readonly certFile: string;
}

export interface SelfSignedOptions {
  readonly key: KeyAlgorithm;
  /** openssl's `-subj` form: `/CN=localhost/O=rsa`. */
  readonly subject: string;
  readonly days: number;
  /** `subjectAltName` value, `DNS:localhost,IP:127.0.0.1`; none by default. */
  readonly altNames?: string;
  /** Signature digest (`sha384`, …); openssl's default otherwise. */
  readonly digest?: string;
}

/**
 * A new key (unencrypted PKCS#8) and a self-signed certificate for it, written to
 * `directory/name.key` and `directory/name.crt` by `openssl req -x509`.
 *
 * @example
 * const { keyFile, certFile } = selfSignedCertificate(directory, 'ecdsa', {
 *   key: 'p256', subject: '/CN=localhost', days: 2, altNames: 'DNS:localhost,IP:127.0.0.1',
 * });
 */
export function selfSignedCertificate(
  directory: string,
  name: string,
  options: SelfSignedOptions,
): CertificateFiles {
  const keyFile = join(directory, `${name}.key`);
  const certFile = join(directory, `${name}.crt`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      ...newKeyArguments[options.key],
      ...(options.digest === undefined ? [] : [`-${options.digest}`]),
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      String(options.days),
      '-subj',
      options.subject,
      ...(options.altNames === undefined ? [] : ['-addext', `subjectAltName=${options.altNames}`]),
    ],
    { stdio: 'ignore' },
  );
  return {
    keyPem: readFileSync(keyFile, 'utf8'),
    certPem: readFileSync(certFile, 'utf8'),
    keyFile,
    certFile,
  };
}

/** `openssl genpkey` arguments for each key algorithm. */
const genpkeyArguments: Record<KeyAlgorithm, readonly string[]> = {
  rsa: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  'rsa-pss': ['-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048'],
  p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  p521: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
  ed25519: ['-algorithm', 'ED25519'],
  ed448: ['-algorithm', 'ED448'],
};

/** A certificate issued in an {@link OpensslDir}, with its key. */
export interface Issued {
  keyPem: string;
  certPem: string;
  keyPath: string;
  certPath: string;
}

export interface IssueOptions {
  /** The subject's key file (from {@link OpensslDir.key}). */
  key: string;
  /** openssl's `-subj` form. */
  subject: string;
  /** openssl config lines of the certificate's extensions (`subjectAltName = DNS:a`). */
  extensions?: string[];
  /** The issuing certificate; without one the certificate is self-signed. */
  issuer?: Issued;
  /** 30 by default. */
  days?: number;
  /** `-set_serial` value; a distinct small one per certificate by default. */
  serial?: string;
  digest?: string;
  /** `-sigopt` values (`rsa_padding_mode:pss`, …). */
  sigopt?: string[];
}

/**
 * A temporary directory to make keys and certificates in with the openssl CLI, and to run openssl
 * against them; `dispose()` removes it.
 *
 * @example
 * const dir = new OpensslDir();
 * const root = dir.issue({ key: dir.key('p256'), subject: '/CN=Root', extensions: ['basicConstraints = critical,CA:TRUE'] });
 * const leaf = dir.issue({ key: dir.key('p256'), subject: '/CN=leaf', issuer: root });
 */
export class OpensslDir {
  readonly dir: string;
  private counter = 0;

  constructor(prefix = 'tls-test-') {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
  }

  /**
   * Runs openssl in the directory and returns its stdout.
   *
   * @throws Error when openssl exits non-zero.
   */
  run(args: string[], input?: string): string {
    return execFileSync('openssl', args, {
      cwd: this.dir,
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
    }).toString();
  }

  /** Runs openssl and returns its exit status and combined output (for `openssl verify`). */
  tryRun(args: string[]): { status: number; output: string } {
    const result = spawnSync('openssl', args, { cwd: this.dir });
    return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  write(name: string, text: string): string {
    writeFileSync(this.path(name), text);
    return this.path(name);
  }

  /** A new key of `spec` (PKCS#8 PEM); returns its path. */
  key(spec: KeyAlgorithm): string {
    const name = `k${this.counter++}.pem`;
    this.run(['genpkey', ...genpkeyArguments[spec], '-out', name]);
    return this.path(name);
  }

  /** Issues a certificate (`openssl req` then `openssl x509 -req`). */
  issue(options: IssueOptions): Issued {
    const id = this.counter++;
    const config = this.write(
      `c${id}.cnf`,
      `[req]\ndistinguished_name=dn\nutf8=yes\nstring_mask=utf8only\n[dn]\n[ext]\n${(options.extensions ?? []).join('\n')}\n`,
    );
    const csr = this.path(`c${id}.csr`);
    const cert = this.path(`c${id}.crt`);
    const digest = options.digest === undefined ? [] : [`-${options.digest}`];
    const sigopt = (options.sigopt ?? []).flatMap((o) => ['-sigopt', o]);
    this.run([
      'req',
      '-new',
      '-key',
      options.key,
      '-subj',
      options.subject,
      '-utf8',
      '-config',
      config,
      '-out',
      csr,
    ]);
    const signer =
      options.issuer === undefined
        ? ['-signkey', options.key]
        : ['-CA', options.issuer.certPath, '-CAkey', options.issuer.keyPath];
    this.run([
      'x509',
      '-req',
      '-in',
      csr,
      ...signer,
      '-days',
      String(options.days ?? 30),
      '-set_serial',
      options.serial ?? `0x${(id + 0x1000).toString(16)}`,
      '-extfile',
      config,
      '-extensions',
      'ext',
      ...digest,
      ...sigopt,
      '-out',
      cert,
    ]);
    return {
      keyPem: readFileSync(options.key, 'utf8'),
      certPem: readFileSync(cert, 'utf8'),
      keyPath: options.key,
      certPath: cert,
    };
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A key and certificate of {@link localhostPki}, as PEM text and as files. */
export interface PkiEntity {
  readonly key: string;
  readonly cert: string;
  readonly keyFile: string;
  readonly certFile: string;
}

/** What {@link localhostPki} makes. */
export interface LocalhostPki {
  readonly directory: string;
  /** The root CA certificate (PEM) and its file. */
  readonly ca: string;
  readonly caFile: string;
  /** localhost and 127.0.0.1, serverAuth, signed by the CA. */
  readonly server: PkiEntity;
  /** CN=test client, clientAuth, signed by the CA. */
  readonly client: PkiEntity;
  /** localhost and 127.0.0.1, self-signed. */
  readonly self: PkiEntity;
  /** server.crt + server.key (+ the CA) in a PKCS#12 file made by `openssl pkcs12 -export`. */
  readonly pfx: Buffer;
  readonly pfxPassphrase: string;
}

let localhost: LocalhostPki | undefined;

/**
 * A small PKI for tests of servers on 127.0.0.1, made with the openssl CLI once per process (on
 * first call) in a directory removed at exit: a root CA, a server certificate for localhost and
 * 127.0.0.1 signed by it, a client certificate, and a self-signed one; P-256 keys.
 *
 * @example
 * const pki = localhostPki();
 * tls.createServer({ key: pki.server.key, cert: pki.server.cert });
 * tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca });
 */
export function localhostPki(): LocalhostPki {
  if (localhost !== undefined) return localhost;
  const openssl = new OpensslDir('tls-socket-test-');
  process.on('exit', () => openssl.dispose());
  const entity = (issued: Issued): PkiEntity => ({
    key: issued.keyPem,
    cert: issued.certPem,
    keyFile: issued.keyPath,
    certFile: issued.certPath,
  });
  const loopbackNames = 'subjectAltName = DNS:localhost,IP:127.0.0.1';
  const ca = openssl.issue({
    key: openssl.key('p256'),
    subject: '/CN=Test Root CA',
    extensions: ['basicConstraints = critical,CA:TRUE', 'keyUsage = critical,keyCertSign,cRLSign'],
    days: 2,
  });
  const server = openssl.issue({
    key: openssl.key('p256'),
    subject: '/CN=localhost',
    extensions: [loopbackNames, 'extendedKeyUsage = serverAuth'],
    issuer: ca,
    days: 2,
  });
  const client = openssl.issue({
    key: openssl.key('p256'),
    subject: '/CN=test client',
    extensions: ['extendedKeyUsage = clientAuth'],
    issuer: ca,
    days: 2,
  });
  const self = openssl.issue({
    key: openssl.key('p256'),
    subject: '/CN=localhost',
    extensions: [loopbackNames],
    days: 2,
  });
  const pfxPassphrase = 'sample';
  const pfxFile = openssl.path('server.pfx');
  openssl.run([
    'pkcs12',
    '-export',
    '-in',
    server.certPath,
    '-inkey',
    server.keyPath,
    '-certfile',
    ca.certPath,
    '-out',
    pfxFile,
    '-passout',
    `pass:${pfxPassphrase}`,
  ]);
  localhost = {
    directory: openssl.dir,
    ca: ca.certPem,
    caFile: ca.certPath,
    server: entity(server),
    client: entity(client),
    self: entity(self),
    pfx: readFileSync(pfxFile),
    pfxPassphrase,
  };
  return localhost;
}
