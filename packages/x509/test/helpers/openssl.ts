// Test helper: makes keys and certificates with the openssl CLI in a temporary directory.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type KeySpec = 'rsa' | 'rsa-pss' | 'p256' | 'p384' | 'p521' | 'ed25519' | 'ed448';

export interface Issued {
  keyPem: string;
  certPem: string;
  keyPath: string;
  certPath: string;
}

export class OpensslDir {
  readonly dir = mkdtempSync(join(tmpdir(), 'x509-test-'));
  private counter = 0;

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

  key(spec: KeySpec): string {
    const name = `k${this.counter++}.pem`;
    const args: Record<KeySpec, string[]> = {
      rsa: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
      'rsa-pss': ['-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048'],
      p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
      p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
      p521: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
      ed25519: ['-algorithm', 'ED25519'],
      ed448: ['-algorithm', 'ED448'],
    };
    this.run(['genpkey', ...args[spec], '-out', name]);
    return this.path(name);
  }

  /**
   * Issues a certificate. `extensions` are openssl config lines (`subjectAltName = DNS:a`);
   * without `issuer` it is self-signed.
   */
  issue(options: {
    key: string;
    subject: string;
    extensions?: string[];
    issuer?: Issued;
    days?: number;
    serial?: string;
    digest?: string;
    sigopt?: string[];
  }): Issued {
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
