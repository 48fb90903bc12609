// A small PKI for socket tests, made once per process with the openssl CLI: a root CA, a server
// certificate for localhost/127.0.0.1 signed by it, a client certificate, and a self-signed one.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const directory = mkdtempSync(join(tmpdir(), 'tls-socket-test-'));
process.on('exit', () => rmSync(directory, { recursive: true, force: true }));

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore', cwd: directory });
}

function issue(name: string, subject: string, extensions: string, signer?: string): void {
  openssl(
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    subject,
  );
  writeFileSync(join(directory, `${name}.ext`), extensions);
  if (signer === undefined) {
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-signkey',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    );
  } else {
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${signer}.crt`,
      '-CAkey',
      `${signer}.key`,
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    );
  }
}

issue('ca', '/CN=Test Root CA', 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
issue(
  'server',
  '/CN=localhost',
  'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  'ca',
);
issue('client', '/CN=test client', 'extendedKeyUsage=clientAuth\n', 'ca');
issue('self', '/CN=localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');

openssl(
  'pkcs12',
  '-export',
  '-in',
  'server.crt',
  '-inkey',
  'server.key',
  '-certfile',
  'ca.crt',
  '-out',
  'server.pfx',
  '-passout',
  'pass:sample',
);

const read = (file: string) => readFileSync(join(directory, file), 'utf8');

export const pki = {
  directory,
  ca: read('ca.crt'),
  server: {
    key: read('server.key'),
    cert: read('server.crt'),
    keyFile: join(directory, 'server.key'),
    certFile: join(directory, 'server.crt'),
  },
  client: {
    key: read('client.key'),
    cert: read('client.crt'),
    keyFile: join(directory, 'client.key'),
    certFile: join(directory, 'client.crt'),
  },
  self: { key: read('self.key'), cert: read('self.crt') },
  caFile: join(directory, 'ca.crt'),
  /** server.crt + server.key (+ the CA) in a PKCS#12 file made by `openssl pkcs12 -export`. */
  pfx: readFileSync(join(directory, 'server.pfx')),
  pfxPassphrase: 'sample',
};
