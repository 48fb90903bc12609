// Our TLS 1.3 engine against the openssl CLI on 127.0.0.1, both directions: groups (and a
// HelloRetryRequest forced with -groups), certificate kinds, ALPN, client certificates, KeyUpdate
// both ways, and the alert OpenSSL sends when it refuses us.
import { NamedGroup } from '@tls/crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { createClientConnection, createServerConnection } from '@tls/handshake';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { cleanupAfterEach, connectTo, opensslClient, opensslServer } from '@tls/test-kit';
import { describe, expect, it } from 'vitest';
import { credential, credentialDirectory, ocspResponse } from './helpers/credentials';
import { ourClientAgainstOpenssl, peerClientAgainstOurs, pump } from './helpers/peers';

const provider = createNodeCryptoProvider();
const cleanups = cleanupAfterEach();

function ourClientAgainst(serverArgs: string[], config: Parameters<typeof createClientConnection>[0]) {
  return ourClientAgainstOpenssl(['-tls1_3', ...serverArgs], config, cleanups);
}

describe('our client against openssl s_server -tls1_3', () => {
  const groups: Array<[string, number]> = [
    ['X25519', NamedGroup.X25519],
    ['P-256', NamedGroup.Secp256r1],
    ['P-384', NamedGroup.Secp384r1],
    ['P-521', NamedGroup.Secp521r1],
    ['X448', NamedGroup.X448],
    ['ffdhe2048', NamedGroup.Ffdhe2048],
    ['ffdhe3072', NamedGroup.Ffdhe3072],
  ];
  for (const [name, group] of groups) {
    it(`completes with group ${name} and exchanges data both ways`, async () => {
      const ecdsa = credential('ecdsa-p256');
      const { server, client, io } = await ourClientAgainst(
        ['-key', ecdsa.keyFile, '-cert', ecdsa.certFile, '-groups', name],
        {
          provider,
          groups: [group],
          serverName: 'localhost',
        },
      );
      const done = await io.waitFor('handshake-complete');
      expect(done.info.group).toBe(group);
      client.write(new TextEncoder().encode('hello from our client\n'));
      io.flush();
      await server.waitFor(/hello from our client/);
      server.process.stdin.write('hello from s_server\n');
      const data = await io.waitFor('application-data');
      expect(new TextDecoder().decode(data.data)).toBe('hello from s_server\n');
    });
  }

  it('answers a HelloRetryRequest forced by the server groups', async () => {
    const rsa = credential('rsa');
    const { io } = await ourClientAgainst(['-key', rsa.keyFile, '-cert', rsa.certFile, '-groups', 'P-384'], {
      provider,
      groups: [NamedGroup.X25519, NamedGroup.Secp384r1],
    });
    const done = await io.waitFor('handshake-complete');
    expect(done.info).toMatchObject({
      group: NamedGroup.Secp384r1,
      helloRetry: true,
      peerSignatureScheme: 0x0804,
    });
  });

  it('verifies Ed25519 and RSA-PSS server signatures', async () => {
    for (const kind of ['ed25519', 'rsa-pss'] as const) {
      const cred = credential(kind);
      const { io } = await ourClientAgainst(['-key', cred.keyFile, '-cert', cred.certFile], { provider });
      const done = await io.waitFor('handshake-complete');
      expect(done.info.peerSignatureScheme).toBe(kind === 'ed25519' ? 0x0807 : 0x0809);
      for (const cleanup of cleanups.splice(0)) cleanup();
    }
  });

  it('negotiates ALPN and sends a client certificate when asked', async () => {
    const ecdsa = credential('ecdsa-p256');
    const clientCredential = credential('ecdsa-p384');
    const { server, io } = await ourClientAgainst(
      [
        '-key',
        ecdsa.keyFile,
        '-cert',
        ecdsa.certFile,
        '-alpn',
        'h2,http/1.1',
        '-Verify',
        '1',
        '-CAfile',
        clientCredential.certFile,
      ],
      { provider, alpnProtocols: ['http/1.1'], certificates: [clientCredential.certified] },
    );
    const done = await io.waitFor('handshake-complete');
    expect(done.info.alpnProtocol).toBe('http/1.1');
    expect(done.info.localCertificates).toHaveLength(1);
    await server.waitFor(/Client certificate[\s\S]*BEGIN CERTIFICATE/);
  });

  it('follows KeyUpdates the server sends, with and without update_requested', async () => {
    const ecdsa = credential('ecdsa-p256');
    const { server, client, io } = await ourClientAgainst(['-key', ecdsa.keyFile, '-cert', ecdsa.certFile], {
      provider,
    });
    await io.waitFor('handshake-complete');
    // s_server reads a line "K" as its KeyUpdate command (update_requested) and prints nothing;
    // the rest of the same read is dropped, so the next line goes only after our update.
    server.process.stdin.write('K\n');
    await io.waitFor('key-update');
    server.process.stdin.write('after update\n');
    await io.waitFor('application-data');
    expect(
      io.events.filter((e) => e.type === 'key-update').map((e) => e.type === 'key-update' && e.direction),
    ).toEqual(['read', 'write']);
    client.write(new TextEncoder().encode('still talking\n'));
    io.flush();
    await server.waitFor(/still talking/);
  });

  it('answers the post-handshake CertificateRequest of s_server (command c, -verify 1)', async () => {
    const ecdsa = credential('ecdsa-p256');
    const clientCredential = credential('ecdsa-p384');
    const { server, client, io } = await ourClientAgainst(
      ['-key', ecdsa.keyFile, '-cert', ecdsa.certFile, '-verify', '1', '-CAfile', clientCredential.certFile],
      { provider, postHandshakeAuth: true, certificates: [clientCredential.certified] },
    );
    await io.waitFor('handshake-complete');
    await server.waitFor(/CIPHER is/);
    // s_server reads a line "c" as: request a client certificate after the handshake (TLS 1.3).
    server.process.stdin.write('c\n');
    await server.waitFor(/SSL_do_handshake -> 1/);
    client.write(new TextEncoder().encode('after post-handshake auth\n'));
    io.flush();
    await server.waitFor(/after post-handshake auth/);
    // Its verify callback prints our chain twice: in the handshake (-verify 1) and after it.
    await server.waitFor(/(depth=0 CN = localhost, O = ecdsa-p384[\s\S]*){2}/);
    expect(server.output().match(/depth=0 CN = localhost, O = ecdsa-p384/g)).toHaveLength(2);
    expect(client.error).toBeUndefined();
  });

  it('receives the OCSP response s_server staples (-status_file)', async () => {
    const ecdsa = credential('ecdsa-p256');
    const ocsp = ocspResponse('ecdsa-p256');
    const { io } = await ourClientAgainst(
      ['-key', ecdsa.keyFile, '-cert', ecdsa.certFile, '-status_file', ocsp.file],
      {
        provider,
        requestOcsp: true,
      },
    );
    const stapled = await io.waitFor('ocsp-response');
    expect(Buffer.from(stapled.response).equals(Buffer.from(ocsp.der))).toBe(true);
    await io.waitFor('handshake-complete');
  });

  it('resumes with a ticket from s_server', async () => {
    const ecdsa = credential('ecdsa-p256');
    const server = await opensslServer(['-tls1_3', '-key', ecdsa.keyFile, '-cert', ecdsa.certFile], 2);
    cleanups.push(() => server.stop());
    const first = pump(
      createClientConnection({ provider, serverName: 'localhost' }),
      await connectTo(server.port),
    );
    cleanups.push(() => first.socket.destroy());
    expect((await first.waitFor('handshake-complete')).info.resumed).toBe(false);
    const ticket = await first.waitFor('session-ticket');
    first.socket.destroy();
    const second = pump(
      createClientConnection({ provider, serverName: 'localhost', session: ticket.session }),
      await connectTo(server.port),
    );
    cleanups.push(() => second.socket.destroy());
    const done = await second.waitFor('handshake-complete');
    expect(done.info).toMatchObject({ resumed: true });
    expect(done.info.peerCertificates).toHaveLength(1);
  });

  it('reports the alert OpenSSL sends when it refuses our offer', async () => {
    const ecdsa = credential('ecdsa-p256');
    const { io } = await ourClientAgainst(
      ['-key', ecdsa.keyFile, '-cert', ecdsa.certFile, '-ciphersuites', 'TLS_AES_128_GCM_SHA256'],
      {
        provider,
        cipherSuites: [0x1302],
      },
    );
    await expect(io.waitFor('handshake-complete')).rejects.toMatchObject({
      code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
    });
  });
});

function opensslClientAgainstOurs(
  clientArgs: string[],
  config: Parameters<typeof createServerConnection>[0],
) {
  return peerClientAgainstOurs(
    (port) => opensslClient(port, ['-tls1_3', ...clientArgs]),
    () => createServerConnection(config),
    cleanups,
  );
}

describe('openssl s_client -tls1_3 against our server', () => {
  for (const kind of ['ecdsa-p256', 'rsa', 'ed25519'] as const) {
    it(`completes with a ${kind} certificate and echoes data`, async () => {
      const cred = credential(kind);
      const { client, server, io } = await opensslClientAgainstOurs(['-servername', 'localhost'], {
        provider,
        certificates: [cred.certified],
      });
      const done = await io.waitFor('handshake-complete');
      expect(done.info.serverName).toBe('localhost');
      client.process.stdin.write('ping from s_client\n');
      const data = await io.waitFor('application-data');
      expect(new TextDecoder().decode(data.data)).toBe('ping from s_client\n');
      server.write(data.data);
      io.flush();
      // s_client prints what it receives, not what it sends: this line is our echo.
      await client.waitFor(/ping from s_client/);
      await client.waitFor(/New, TLSv1\.3, Cipher is/);
    });
  }

  it('sends a HelloRetryRequest when s_client guessed a group we do not take', async () => {
    const { io } = await opensslClientAgainstOurs(['-groups', 'X25519:P-256'], {
      provider,
      certificates: [credential('ecdsa-p256').certified],
      groups: [NamedGroup.Secp256r1],
    });
    const done = await io.waitFor('handshake-complete');
    expect(done.info).toMatchObject({ group: NamedGroup.Secp256r1, helloRetry: true });
  });

  it("with strictGroupPreference and a cookie, retries for P-256 over s_client's X25519 share; s_client echoes the cookie", async () => {
    const { io } = await opensslClientAgainstOurs(['-groups', 'X25519:P-256'], {
      provider,
      certificates: [credential('ecdsa-p256').certified],
      groups: [NamedGroup.Secp256r1, NamedGroup.X25519],
      strictGroupPreference: true,
      helloRetryCookie: () => provider.random(40),
    });
    const done = await io.waitFor('handshake-complete');
    expect(done.info).toMatchObject({ group: NamedGroup.Secp256r1, helloRetry: true });
  });

  it('negotiates ALPN and receives a client certificate', async () => {
    const clientCredential = credential('rsa');
    const { io } = await opensslClientAgainstOurs(
      ['-alpn', 'http/1.1,h2', '-cert', clientCredential.certFile, '-key', clientCredential.keyFile],
      {
        provider,
        certificates: [credential('ecdsa-p256').certified],
        alpnProtocols: ['h2'],
        requestClientCertificate: true,
      },
    );
    const done = await io.waitFor('handshake-complete');
    expect(done.info.alpnProtocol).toBe('h2');
    expect(done.info.peerCertificates).toHaveLength(1);
  });

  it('answers a KeyUpdate with update_requested from s_client', async () => {
    const { client, server, io } = await opensslClientAgainstOurs([], {
      provider,
      certificates: [credential('ecdsa-p256').certified],
    });
    await io.waitFor('handshake-complete');
    client.process.stdin.write('K\n');
    await client.waitFor(/KEYUPDATE/);
    client.process.stdin.write('after\n');
    const data = await io.waitFor('application-data');
    expect(new TextDecoder().decode(data.data)).toBe('after\n');
    expect(io.events.filter((e) => e.type === 'key-update').length).toBe(2);
    server.write(new TextEncoder().encode('reply after update\n'));
    io.flush();
    await client.waitFor(/reply after update/);
  });

  it('staples our OCSP response for s_client -status', async () => {
    const ocsp = ocspResponse('rsa');
    const { client, io } = await opensslClientAgainstOurs(['-status'], {
      provider,
      certificates: [{ ...credential('rsa').certified, ocspResponse: ocsp.der }],
    });
    await io.waitFor('handshake-complete');
    await client.waitFor(/OCSP Response Status: successful/);
  });

  it('resumes s_client with our ticket (-sess_out, then -sess_in)', async () => {
    const sessionFile = join(credentialDirectory, `session-${process.pid}.pem`);
    const config = {
      provider,
      certificates: [credential('ecdsa-p256').certified],
      ticketKeys: randomBytes(48),
    };
    const first = await opensslClientAgainstOurs(['-sess_out', sessionFile], config);
    expect((await first.io.waitFor('handshake-complete')).info.resumed).toBe(false);
    first.client.process.stdin.write('done\n');
    await first.io.waitFor('application-data');
    first.client.process.stdin.end();
    await new Promise((resolve) => first.client.process.once('exit', resolve));
    for (const cleanup of cleanups.splice(0)) cleanup();
    const second = await opensslClientAgainstOurs(['-sess_in', sessionFile], config);
    expect((await second.io.waitFor('handshake-complete')).info.resumed).toBe(true);
    await second.client.waitFor(/Reused, TLSv1\.3/);
  });

  it('requests a certificate from s_client -enable_pha after the handshake', async () => {
    const clientCredential = credential('rsa');
    const verified: number[] = [];
    const { client, server, io } = await opensslClientAgainstOurs(
      ['-enable_pha', '-cert', clientCredential.certFile, '-key', clientCredential.keyFile],
      {
        provider,
        certificates: [credential('ecdsa-p256').certified],
        verifyPeer: (chain) => {
          verified.push(chain.length);
          return undefined;
        },
      },
    );
    const done = await io.waitFor('handshake-complete');
    expect(done.info.peerCertificates).toEqual([]);
    server.requestClientCertificate();
    io.flush();
    const reported = await io.waitFor('peer-certificate');
    expect(reported.peerCertificates).toEqual([clientCredential.certified.chain[0]]);
    expect(server.info!.peerCertificates).toEqual([clientCredential.certified.chain[0]]);
    expect(verified).toEqual([1]);
    client.process.stdin.write('after post-handshake auth\n');
    const data = await io.waitFor('application-data');
    expect(new TextDecoder().decode(data.data)).toBe('after post-handshake auth\n');
  });

  it('refuses a TLS 1.2-only client with protocol_version when TLS 1.3 is the minimum', async () => {
    const { client, io } = await peerClientAgainstOurs(
      (port) => opensslClient(port, ['-tls1_2']),
      () =>
        createServerConnection({
          provider,
          certificates: [credential('ecdsa-p256').certified],
          minVersion: 0x0304,
        }),
      cleanups,
    );
    await expect(io.waitFor('handshake-complete')).rejects.toMatchObject({
      code: 'ERR_SSL_UNSUPPORTED_PROTOCOL',
      alert: 70,
    });
    await client.waitFor(/alert protocol version/);
  });
});
