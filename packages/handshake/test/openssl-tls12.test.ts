// Our TLS 1.2 engine against the openssl CLI on 127.0.0.1, both directions: GCM, ChaCha20 and
// CBC suites with ECDHE, DHE (2048-bit dhparam) and static RSA, EMS, encrypt-then-MAC on and off,
// client certificates, exporters (s_client -keymatexport), and resumption by ticket and by
// session id (-sess_out / -sess_in on the client side).
import { execFileSync } from 'node:child_process';
import { getDiffieHellman } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NamedGroup } from '@tls/crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import {
  type ConnectionConfig,
  createClientConnection,
  createServerConnection,
  getCipherSuiteByOpensslName,
} from '@tls/handshake';
import { randomBytes } from 'node:crypto';
import { cleanupAfterEach, connectTo, opensslClient, opensslServer } from '@tls/test-kit';
import { describe, expect, it } from 'vitest';
import { type KeyKind, credential, credentialDirectory, ocspResponse } from './helpers/credentials';
import { ourClientAgainstOpenssl, peerClientAgainstOurs, pump } from './helpers/peers';

const provider = createNodeCryptoProvider();
const cleanups = cleanupAfterEach();

/** RFC 3526 group 14 (2048 bits) as an OpenSSL dhparam file, and as engine parameters. */
function dhparam2048(): { file: string; prime: Uint8Array; generator: Uint8Array } {
  const file = join(credentialDirectory, 'dh2048.pem');
  if (!existsSync(file)) {
    const der = execFileSync('openssl', [
      'genpkey',
      '-genparam',
      '-algorithm',
      'DH',
      '-pkeyopt',
      'dh_param:ffdhe2048',
      '-outform',
      'PEM',
    ]);
    writeFileSync(file, der);
  }
  const prime = new Uint8Array(getDiffieHellman('modp14').getPrime());
  return { file, prime, generator: Uint8Array.of(2) };
}

/** The DER subject Name of a certificate (RFC 5280 §4.1: the sixth field of TBSCertificate). */
function subjectName(certificate: Uint8Array): Uint8Array {
  const header = (at: number) => {
    const first = certificate[at + 1]!;
    if (first < 0x80) return { body: at + 2, end: at + 2 + first };
    const count = first & 0x7f;
    let length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + certificate[at + 2 + i]!;
    return { body: at + 2 + count, end: at + 2 + count + length };
  };
  const tbs = header(header(0).body);
  let at = tbs.body;
  if (certificate[at] === 0xa0) at = header(at).end; // version
  for (let field = 0; field < 4; field++) at = header(at).end; // serial, signature, issuer, validity
  return certificate.slice(at, header(at).end);
}

function ourClientAgainst(serverArgs: string[], config: ConnectionConfig, connections = 1) {
  return ourClientAgainstOpenssl(['-tls1_2', ...serverArgs], config, cleanups, connections);
}

const serverSuites: Array<[string, KeyKind]> = [
  ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ecdsa-p256'],
  ['ECDHE-ECDSA-AES256-GCM-SHA384', 'ecdsa-p256'],
  ['ECDHE-ECDSA-CHACHA20-POLY1305', 'ecdsa-p256'],
  ['ECDHE-RSA-AES128-GCM-SHA256', 'rsa'],
  ['ECDHE-RSA-CHACHA20-POLY1305', 'rsa'],
  ['ECDHE-RSA-AES128-SHA256', 'rsa'],
  ['ECDHE-RSA-AES256-SHA384', 'rsa'],
  ['ECDHE-ECDSA-AES256-SHA', 'ecdsa-p256'],
  ['ECDHE-RSA-AES128-SHA', 'rsa'],
  ['DHE-RSA-AES128-GCM-SHA256', 'rsa'],
  ['DHE-RSA-CHACHA20-POLY1305', 'rsa'],
  ['DHE-RSA-AES256-SHA256', 'rsa'],
  ['AES128-GCM-SHA256', 'rsa'],
  ['AES256-SHA', 'rsa'],
  ['ECDHE-RSA-AES256-GCM-SHA384', 'rsa'],
  ['ECDHE-ECDSA-AES128-SHA256', 'ecdsa-p256'],
  ['ECDHE-ECDSA-AES256-SHA384', 'ecdsa-p256'],
  ['ECDHE-ECDSA-AES128-SHA', 'ecdsa-p256'],
  ['ECDHE-RSA-AES256-SHA', 'rsa'],
  ['DHE-RSA-AES256-GCM-SHA384', 'rsa'],
  ['DHE-RSA-AES128-SHA256', 'rsa'],
  ['DHE-RSA-AES128-SHA', 'rsa'],
  ['DHE-RSA-AES256-SHA', 'rsa'],
  ['AES256-GCM-SHA384', 'rsa'],
  ['AES128-SHA256', 'rsa'],
  ['AES256-SHA256', 'rsa'],
  ['AES128-SHA', 'rsa'],
];

describe('our client against openssl s_server -tls1_2', () => {
  for (const [name, kind] of serverSuites) {
    it(`completes ${name} and exchanges data both ways`, async () => {
      const cred = credential(kind);
      const dh = name.startsWith('DHE') ? ['-dhparam', dhparam2048().file] : [];
      const { server, client, io } = await ourClientAgainst(
        ['-key', cred.keyFile, '-cert', cred.certFile, '-cipher', name, ...dh],
        { provider, serverName: 'localhost' },
      );
      const done = await io.waitFor('handshake-complete');
      const suite = getCipherSuiteByOpensslName(name)!;
      expect(done.info).toMatchObject({ version: 0x0303, extendedMasterSecret: true });
      expect(done.info.cipherSuite.id).toBe(suite.id);
      // OpenSSL turns encrypt-then-MAC on by default; it applies to CBC suites only.
      expect(done.info.encryptThenMac).toBe(suite.cipherType === 'cbc');
      client.write(new TextEncoder().encode('hello from our client\n'));
      io.flush();
      await server.waitFor(/hello from our client/);
      server.process.stdin.write('hello from s_server\n');
      const data = await io.waitFor('application-data');
      expect(new TextDecoder().decode(data.data)).toBe('hello from s_server\n');
    });
  }

  it('uses MAC-then-encrypt with a server that refuses encrypt_then_mac (-no_etm)', async () => {
    const cred = credential('rsa');
    const { server, client, io } = await ourClientAgainst(
      ['-key', cred.keyFile, '-cert', cred.certFile, '-cipher', 'ECDHE-RSA-AES256-SHA', '-no_etm'],
      { provider },
    );
    expect((await io.waitFor('handshake-complete')).info.encryptThenMac).toBe(false);
    client.write(new TextEncoder().encode('mac then encrypt\n'));
    io.flush();
    await server.waitFor(/mac then encrypt/);
  });

  it('works without the extended master secret (-no_ems is not in 3.0: we turn it off)', async () => {
    const cred = credential('ecdsa-p256');
    const { server, client, io } = await ourClientAgainst(['-key', cred.keyFile, '-cert', cred.certFile], {
      provider,
      extendedMasterSecret: false,
    });
    expect((await io.waitFor('handshake-complete')).info.extendedMasterSecret).toBe(false);
    client.write(new TextEncoder().encode('no ems\n'));
    io.flush();
    await server.waitFor(/no ems/);
  });

  it('negotiates NPN with s_server -nextprotoneg', async () => {
    const cred = credential('ecdsa-p256');
    const { server, io } = await ourClientAgainst(
      ['-key', cred.keyFile, '-cert', cred.certFile, '-nextprotoneg', 'spdy/2,http/1.1'],
      { provider, npnProtocols: ['http/1.1'] },
    );
    expect((await io.waitFor('handshake-complete')).info.npnProtocol).toBe('http/1.1');
    await server.waitFor(/NEXTPROTO is http\/1\.1/);
  });

  it('keeps to max_fragment_length 1024 with s_server (TLS 1.2 ServerHello and TLS 1.3 EncryptedExtensions)', async () => {
    const cred = credential('ecdsa-p256');
    for (const version of ['-tls1_2', '-tls1_3']) {
      const server = await opensslServer([version, '-key', cred.keyFile, '-cert', cred.certFile], 1);
      cleanups.push(() => server.stop());
      const client = createClientConnection({ provider, maxFragmentLength: 1024 });
      const io = pump(client, await connectTo(server.port));
      cleanups.push(() => io.socket.destroy());
      await io.waitFor('handshake-complete');
      client.write(new TextEncoder().encode(`${'x'.repeat(5000)}\n`));
      io.flush();
      await server.waitFor(/x{5000}/);
      server.process.stdin.write(`${'y'.repeat(3000)}\n`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(io.events.filter((e) => e.type === 'error')).toEqual([]);
      for (const cleanup of cleanups.splice(0)) cleanup();
    }
  });

  it('receives the OCSP response s_server staples in CertificateStatus (-status_file)', async () => {
    const cred = credential('rsa');
    const ocsp = ocspResponse('rsa');
    const { io } = await ourClientAgainst(
      ['-key', cred.keyFile, '-cert', cred.certFile, '-status_file', ocsp.file],
      {
        provider,
        requestOcsp: true,
      },
    );
    const stapled = await io.waitFor('ocsp-response');
    expect(Buffer.from(stapled.response).equals(Buffer.from(ocsp.der))).toBe(true);
    expect((await io.waitFor('handshake-complete')).info.version).toBe(0x0303);
  });

  it('verifies Ed25519 and RSA-PSS server keys in TLS 1.2', async () => {
    for (const [kind, scheme] of [
      ['ed25519', 0x0807],
      ['rsa-pss', 0x0809],
    ] as const) {
      const cred = credential(kind);
      const { io } = await ourClientAgainst(['-key', cred.keyFile, '-cert', cred.certFile], { provider });
      const done = await io.waitFor('handshake-complete');
      expect(done.info).toMatchObject({ version: 0x0303, peerSignatureScheme: scheme });
      for (const cleanup of cleanups.splice(0)) cleanup();
    }
  });

  it('uses P-384 when the server only takes it', async () => {
    const cred = credential('ecdsa-p256');
    const { io } = await ourClientAgainst(
      ['-key', cred.keyFile, '-cert', cred.certFile, '-groups', 'P-384'],
      {
        provider,
      },
    );
    expect((await io.waitFor('handshake-complete')).info.group).toBe(NamedGroup.Secp384r1);
  });

  it('sends a client certificate when asked', async () => {
    const cred = credential('rsa');
    const clientCredential = credential('ecdsa-p384');
    const { server, io } = await ourClientAgainst(
      ['-key', cred.keyFile, '-cert', cred.certFile, '-Verify', '1', '-CAfile', clientCredential.certFile],
      { provider, certificates: [clientCredential.certified] },
    );
    const done = await io.waitFor('handshake-complete');
    expect(done.info.localCertificates).toHaveLength(1);
    await server.waitFor(/Client certificate[\s\S]*BEGIN CERTIFICATE/);
  });

  it('speaks TLS 1.1 with s_server -tls1_1 when the range includes it', async () => {
    const cred = credential('rsa');
    const server = await opensslServer(
      ['-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0', '-key', cred.keyFile, '-cert', cred.certFile],
      1,
    );
    cleanups.push(() => server.stop());
    const client = createClientConnection({ provider, minVersion: 0x0301, maxVersion: 0x0302 });
    const io = pump(client, await connectTo(server.port));
    cleanups.push(() => io.socket.destroy());
    const done = await io.waitFor('handshake-complete');
    expect(done.info.version).toBe(0x0302);
    client.write(new TextEncoder().encode('tls 1.1\n'));
    io.flush();
    await server.waitFor(/tls 1\.1/);
  });

  it('renegotiates when s_server sends a HelloRequest, data flowing after it', async () => {
    const cred = credential('ecdsa-p256');
    const { server, client, io } = await ourClientAgainst(['-key', cred.keyFile, '-cert', cred.certFile], {
      provider,
    });
    const first = (await io.waitFor('handshake-complete')).info;
    // s_server: "r" on a line of its own sends a HelloRequest (RFC 5246 §7.4.1.1).
    server.process.stdin.write('r\n');
    const renegotiated = (await io.waitFor('renegotiated')).info;
    expect(io.events.find((e) => e.type === 'renegotiation')).toEqual({
      type: 'renegotiation',
      initiator: 'server',
    });
    expect(Buffer.from(renegotiated.clientFinished).equals(Buffer.from(first.clientFinished))).toBe(false);
    client.write(new TextEncoder().encode('after renegotiation\n'));
    io.flush();
    await server.waitFor(/after renegotiation/);
    server.process.stdin.write('from s_server\n');
    await io.waitFor('application-data');
  });

  it('answers a HelloRequest with no_renegotiation when renegotiation is off, which OpenSSL takes as fatal', async () => {
    const cred = credential('ecdsa-p256');
    const { server, io } = await ourClientAgainst(['-key', cred.keyFile, '-cert', cred.certFile], {
      provider,
      maxVersion: 0x0303,
      renegotiation: false,
    });
    await io.waitFor('handshake-complete');
    // s_server: "r" on a line of its own sends a HelloRequest (RFC 5246 §7.4.1.1). Renegotiation is
    // not supported: the warning no_renegotiation (RFC 5746 §4.2) makes OpenSSL abort.
    server.process.stdin.write('r\n');
    await server.waitFor(/ssl3_read_bytes:no renegotiation/);
    await expect(io.waitFor('peer-closed')).rejects.toMatchObject({
      code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
    });
  });

  for (const mode of ['ticket', 'session id'] as const) {
    it(`resumes with a ${mode} from s_server`, async () => {
      const cred = credential('ecdsa-p256');
      const server = await opensslServer(
        [
          '-tls1_2',
          '-key',
          cred.keyFile,
          '-cert',
          cred.certFile,
          ...(mode === 'ticket' ? [] : ['-no_ticket']),
        ],
        2,
      );
      cleanups.push(() => server.stop());
      const client = createClientConnection({ provider, serverName: 'localhost' });
      const first = Object.assign(pump(client, await connectTo(server.port)), { client });
      cleanups.push(() => first.socket.destroy());
      expect((await first.waitFor('handshake-complete')).info.resumed).toBe(false);
      const session = await first.waitFor('session-ticket');
      // OpenSSL drops a cached session whose connection ends without close_notify.
      first.client.close();
      first.flush();
      await first.waitFor('peer-closed');
      first.socket.destroy();
      const second = pump(
        createClientConnection({ provider, serverName: 'localhost', session: session.session }),
        await connectTo(server.port),
      );
      cleanups.push(() => second.socket.destroy());
      const done = await second.waitFor('handshake-complete');
      expect(done.info).toMatchObject({ resumed: true, version: 0x0303 });
      expect(done.info.peerCertificates).toHaveLength(1);
    });
  }
});

function opensslClientAgainstOurs(clientArgs: string[], config: ConnectionConfig) {
  return peerClientAgainstOurs(
    (port) => opensslClient(port, ['-tls1_2', ...clientArgs]),
    () => createServerConnection(config),
    cleanups,
  );
}

describe('openssl s_client -tls1_2 against our server', () => {
  for (const [name, kind] of serverSuites) {
    it(`completes ${name} and echoes data`, async () => {
      const { client, server, io } = await opensslClientAgainstOurs(
        ['-cipher', name, '-servername', 'localhost'],
        {
          provider,
          certificates: [credential(kind).certified],
          dhParams: dhparam2048(),
          staticRsaKeyExchange: true,
        },
      );
      const done = await io.waitFor('handshake-complete');
      expect(done.info).toMatchObject({
        version: 0x0303,
        serverName: 'localhost',
        extendedMasterSecret: true,
      });
      expect(done.info.cipherSuite.opensslName).toBe(name);
      client.process.stdin.write('ping from s_client\n');
      const data = await io.waitFor('application-data');
      expect(new TextDecoder().decode(data.data)).toBe('ping from s_client\n');
      server.write(data.data);
      io.flush();
      await client.waitFor(/ping from s_client/);
      // s_client names the suite's first version on this line (SSLv3, TLSv1.0 or TLSv1.2);
      // the session block below has the negotiated one.
      await client.waitFor(new RegExp(`New, [A-Za-z0-9.]+, Cipher is ${name}\\n`));
      await client.waitFor(/Protocol {2}: TLSv1\.2/);
      await client.waitFor(/Extended master secret: yes/);
    });
  }

  it('sends CA names in CertificateRequest and answers s_client renegotiation (R) with no_renegotiation when off', async () => {
    const caName = subjectName(credential('rsa').certified.chain[0]!);
    const { client, io } = await opensslClientAgainstOurs([], {
      provider,
      certificates: [credential('ecdsa-p256').certified],
      requestClientCertificate: true,
      certificateAuthorities: [caName],
      renegotiation: false,
    });
    await io.waitFor('handshake-complete');
    await client.waitFor(/Acceptable client certificate CA names\nCN = localhost, O = rsa\n/);
    // s_client: "R" on a line of its own starts a renegotiation (a ClientHello under the keys).
    client.process.stdin.write('R\n');
    await client.waitFor(/RENEGOTIATING/);
    await client.waitFor(/no renegotiation/);
  });

  it('renegotiates when s_client asks (R), and data flows both ways after it', async () => {
    const { client, server, io } = await opensslClientAgainstOurs([], {
      provider,
      certificates: [credential('ecdsa-p256').certified],
    });
    await io.waitFor('handshake-complete');
    client.process.stdin.write('R\n');
    await io.waitFor('renegotiated');
    expect(io.events.find((e) => e.type === 'renegotiation')).toEqual({
      type: 'renegotiation',
      initiator: 'client',
    });
    client.process.stdin.write('after R\n');
    const data = await io.waitFor('application-data');
    server.write(data.data);
    io.flush();
    await client.waitFor(/^after R$/m);
  });

  it('asks s_client for a certificate by renegotiating (Node renegotiate({ requestCert }))', async () => {
    const clientCredential = credential('rsa');
    const { io, server } = await opensslClientAgainstOurs(
      ['-cert', clientCredential.certFile, '-key', clientCredential.keyFile],
      { provider, certificates: [credential('ecdsa-p256').certified] },
    );
    expect((await io.waitFor('handshake-complete')).info.peerCertificates).toHaveLength(0);
    server.renegotiate({ requestClientCertificate: true });
    io.flush();
    const renegotiated = await io.waitFor('renegotiated');
    expect(renegotiated.info.peerCertificates).toHaveLength(1);
  });

  it('advertises NPN to s_client -nextprotoneg and learns its choice', async () => {
    const { client, io } = await opensslClientAgainstOurs(['-nextprotoneg', 'http/1.1'], {
      provider,
      certificates: [credential('ecdsa-p256').certified],
      npnProtocols: ['spdy/2', 'http/1.1'],
    });
    expect((await io.waitFor('handshake-complete')).info.npnProtocol).toBe('http/1.1');
    await client.waitFor(/Next protocol: \(1\) http\/1\.1/);
  });

  it('answers s_client -maxfraglen 512 and keeps to it', async () => {
    const { client, server, io } = await opensslClientAgainstOurs(['-maxfraglen', '512'], {
      provider,
      certificates: [credential('rsa').certified],
    });
    await io.waitFor('handshake-complete');
    // s_client refuses records over 512 bytes of plaintext (record_overflow): this echo must fit.
    client.process.stdin.write(`${'p'.repeat(2000)}\n`);
    await io.waitFor('application-data');
    server.write(new TextEncoder().encode(`${'q'.repeat(3000)}\n`));
    io.flush();
    await client.waitFor(/q{3000}/);
  });

  it('staples our OCSP response for s_client -status', async () => {
    const ocsp = ocspResponse('ecdsa-p256');
    const { client, io } = await opensslClientAgainstOurs(['-status'], {
      provider,
      certificates: [{ ...credential('ecdsa-p256').certified, ocspResponse: ocsp.der }],
    });
    await io.waitFor('handshake-complete');
    await client.waitFor(/OCSP Response Status: successful/);
  });

  it('agrees on exporter output with s_client -keymatexport', async () => {
    const { client, server, io } = await opensslClientAgainstOurs(
      ['-keymatexport', 'EXPERIMENTAL-test', '-keymatexportlen', '20'],
      { provider, certificates: [credential('ecdsa-p256').certified] },
    );
    await io.waitFor('handshake-complete');
    const match = await client.waitFor(/Keying material: ([0-9A-F]+)/);
    const ours = Buffer.from(server.exportKeyingMaterial(20, 'EXPERIMENTAL-test'))
      .toString('hex')
      .toUpperCase();
    expect(match[1]).toBe(ours);
  });

  it('negotiates encrypt_then_mac with s_client and MAC-then-encrypt with -no_etm', async () => {
    for (const extra of [[], ['-no_etm']]) {
      const { client, server, io } = await opensslClientAgainstOurs(
        ['-cipher', 'ECDHE-ECDSA-AES128-SHA', ...extra],
        {
          provider,
          certificates: [credential('ecdsa-p256').certified],
        },
      );
      expect((await io.waitFor('handshake-complete')).info.encryptThenMac).toBe(extra.length === 0);
      client.process.stdin.write('cbc\n');
      const data = await io.waitFor('application-data');
      server.write(data.data);
      io.flush();
      await client.waitFor(/^cbc$/m);
      for (const cleanup of cleanups.splice(0)) cleanup();
    }
  });

  it('serves Ed25519 and RSA-PSS certificates to s_client', async () => {
    for (const kind of ['ed25519', 'rsa-pss'] as const) {
      const { client, io } = await opensslClientAgainstOurs([], {
        provider,
        certificates: [credential(kind).certified],
      });
      expect((await io.waitFor('handshake-complete')).info.version).toBe(0x0303);
      await client.waitFor(/Protocol {2}: TLSv1\.2/);
      for (const cleanup of cleanups.splice(0)) cleanup();
    }
  });

  it('receives a client certificate', async () => {
    const clientCredential = credential('rsa');
    const { io } = await opensslClientAgainstOurs(
      ['-cert', clientCredential.certFile, '-key', clientCredential.keyFile],
      {
        provider,
        certificates: [credential('ecdsa-p256').certified],
        requestClientCertificate: true,
      },
    );
    const done = await io.waitFor('handshake-complete');
    expect(done.info.peerCertificates).toHaveLength(1);
    expect(done.info.peerSignatureScheme).toBeDefined();
  });

  for (const mode of ['ticket', 'session id'] as const) {
    it(`resumes s_client with our ${mode} (-sess_out, then -sess_in)`, async () => {
      const sessionFile = join(
        credentialDirectory,
        `tls12-${mode.replace(' ', '-')}-${randomBytes(4).toString('hex')}.pem`,
      );
      const cache = new Map<string, Uint8Array>();
      const config: ConnectionConfig = {
        provider,
        certificates: [credential('ecdsa-p256').certified],
        ...(mode === 'ticket'
          ? { ticketKeys: new Uint8Array(randomBytes(48)) }
          : {
              sessionStore: {
                save: (id, state) => cache.set(Buffer.from(id).toString('hex'), state),
                load: (id) => cache.get(Buffer.from(id).toString('hex')),
              },
            }),
      };
      const first = await opensslClientAgainstOurs(['-sess_out', sessionFile], config);
      expect((await first.io.waitFor('handshake-complete')).info.resumed).toBe(false);
      await first.client.waitFor(/New, TLSv1\.2/);
      first.client.process.stdin.end();
      await new Promise((resolve) => first.client.process.once('exit', resolve));
      for (const cleanup of cleanups.splice(0)) cleanup();
      const second = await opensslClientAgainstOurs(['-sess_in', sessionFile], config);
      expect((await second.io.waitFor('handshake-complete')).info.resumed).toBe(true);
      await second.client.waitFor(/Reused, TLSv1\.2/);
    });
  }

  it('speaks TLS 1.0 with s_client -tls1 when minVersion allows it', async () => {
    const { client, server, io } = await peerClientAgainstOurs(
      (port) => opensslClient(port, ['-tls1', '-cipher', 'DEFAULT@SECLEVEL=0']),
      () =>
        createServerConnection({
          provider,
          certificates: [credential('ecdsa-p256').certified],
          minVersion: 0x0301,
        }),
      cleanups,
    );
    expect((await io.waitFor('handshake-complete')).info.version).toBe(0x0301);
    client.process.stdin.write('tls 1.0\n');
    const data = await io.waitFor('application-data');
    server.write(data.data);
    io.flush();
    await client.waitFor(/Protocol {2}: TLSv1\n/);
  });

  it('refuses s_client -tls1_1 with protocol_version by default', async () => {
    const { client, io } = await peerClientAgainstOurs(
      (port) => opensslClient(port, ['-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0']),
      () => createServerConnection({ provider, certificates: [credential('rsa').certified] }),
      cleanups,
    );
    await expect(io.waitFor('handshake-complete')).rejects.toMatchObject({
      code: 'ERR_SSL_UNSUPPORTED_PROTOCOL',
      alert: 70,
    });
    await client.waitFor(/alert protocol version/);
  });
});
