// secureOptions and secureProtocol seen by openssl on 127.0.0.1: SSL_OP_NO_RENEGOTIATION against
// s_client's `R` and s_server's `r` (TLS 1.2); the versions every secureProtocol method and
// SSL_OP_NO_TLSv1* flag leaves, and a method for the other role; SSL_OP_NO_ENCRYPT_THEN_MAC,
// SSL_OP_NO_TICKET and SSL_OP_ALL (padding) in the hellos `-trace` prints; and
// SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS in the records `-msg` prints; side by side with node:tls.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { createClientConnection, createServerConnection } from '@tls/handshake';
import { describe, expect, it } from 'vitest';
import {
  type SecureContextOptions,
  SecureOptions,
  createSecureContext,
  secureProtocolMethods,
} from '../src/index.js';
import { credential, pki, pkiFiles } from './helpers/fixtures';
import {
  againstServer,
  connectEngine,
  errorCode,
  opensslServer,
  runOpenssl,
  sClientAgainstOurs,
  withServer,
} from './helpers/openssl';

const { leaf, intermediate } = pki();
const identity = { key: leaf.keyPem, cert: leaf.certPem + intermediate.certPem };

describe('SSL_OP_NO_RENEGOTIATION (TLS 1.2)', () => {
  /** s_client renegotiates (`R`) once its handshake is done; stdin closes when it has an answer. */
  function clientRenegotiates(options: SecureContextOptions) {
    const context = createSecureContext({ ...identity, ...options });
    return withServer(
      () => createServerConnection(context.engineConfig('server')),
      (port) =>
        runOpenssl(
          [
            's_client',
            '-connect',
            `127.0.0.1:${port}`,
            '-tls1_2',
            '-brief',
            '-msg',
            '-CAfile',
            pkiFiles().root,
            '-verify_return_error',
          ],
          8000,
          // stdin stays open (EOF would end s_client) until our server closes after the outcome.
          [{ after: /CONNECTION ESTABLISHED/, send: 'R\n' }, { after: /(?!)/ }],
        ),
      { until: (events) => events.some((e) => e.type === 'renegotiated') },
    );
  }

  it('lets s_client renegotiate by default', async () => {
    const { output, events } = await clientRenegotiates({});
    // peer-closed: s_client answers our close_notify once the renegotiation is done.
    expect(events.map((e) => e.type)).toEqual([
      'handshake-complete',
      'renegotiation',
      'renegotiated',
      'peer-closed',
    ]);
    expect(events).toContainEqual({ type: 'renegotiation', initiator: 'client' });
    expect(output).toMatch(/RENEGOTIATING/);
    // A full handshake, as node:tls does (with or without SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION):
    // the certificate is sent again.
    const renegotiated = events.find((e) => e.type === 'renegotiated');
    expect(renegotiated?.type === 'renegotiated' && renegotiated.info.resumed).toBe(false);
    expect(output.split(/<<< TLS 1\.2, Handshake \[length [0-9a-f]+\], Certificate\n/).length - 1).toBe(2);
    expect(output).not.toMatch(/no_renegotiation|fatal|error:/);
  });

  it('refuses it with a warning no_renegotiation, which s_client answers with handshake_failure', async () => {
    const { output, events } = await clientRenegotiates({
      secureOptions: SecureOptions.SSL_OP_NO_RENEGOTIATION,
    });
    expect(output).toMatch(/<<< TLS 1\.2, Alert \[length 0002\], warning no_renegotiation/);
    expect(output).toMatch(/error:0A000153:SSL routines:ssl3_read_bytes:no renegotiation/);
    expect(events.map((e) => e.type)).toEqual(['handshake-complete', 'error']);
    expect(errorCode(events)).toBe('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
  });

  /** s_server renegotiates (`r`) once our client is connected. */
  function serverRenegotiates(options: SecureContextOptions) {
    const context = createSecureContext({ ca: pki().root.certPem, ...options });
    const files = pkiFiles();
    return againstServer(
      ['-cert', files.leaf, '-cert_chain', files.intermediate, '-key', files.leafKey, '-tls1_2', '-msg'],
      () => createClientConnection(context.engineConfig('client', { serverName: 'localhost' })),
      {
        script: [{ after: /CIPHER is/, send: 'r\n' }],
        until: (events) =>
          events.some((e) => e.type === 'renegotiated' || e.type === 'renegotiation-refused'),
      },
    );
  }

  it('lets s_server renegotiate by default', async () => {
    const { output, events } = await serverRenegotiates({});
    expect(events.map((e) => e.type)).toEqual([
      'handshake-complete',
      'session-ticket',
      'renegotiation',
      'renegotiated',
      'session-ticket',
      'peer-closed',
    ]);
    expect(events).toContainEqual({ type: 'renegotiation', initiator: 'server' });
    expect(output).not.toMatch(/no_renegotiation|fatal|ERROR/);
  });

  it('refuses s_server with a warning no_renegotiation, which s_server answers with handshake_failure', async () => {
    const { output, events } = await serverRenegotiates({
      secureOptions: SecureOptions.SSL_OP_NO_RENEGOTIATION,
    });
    expect(output).toMatch(/<<< TLS 1\.2, Alert \[length 0002\], warning no_renegotiation/);
    expect(output).toMatch(/error:0A000153:SSL routines:ssl3_read_bytes:no renegotiation/);
    expect(events.map((e) => e.type)).toEqual(['handshake-complete', 'session-ticket', 'error']);
    expect(errorCode(events)).toBe('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
  });
});

describe('secureProtocol methods and SSL_OP_NO_TLSv1* flags: the versions s_client can use, ours against node:tls', () => {
  // One version each, then a client of TLS 1.0 to 1.2 (which a server's downgrade sentinel could stop).
  const versionFlags = ['-tls1', '-tls1_1', '-tls1_2', '-tls1_3', '-no_tls1_3'] as const;
  // TLS 1.0 and 1.1 need @SECLEVEL=0 on both sides (OpenSSL 3 signs them with SHA-1 / MD5-SHA1).
  const legacy = { ciphers: 'DEFAULT@SECLEVEL=0' };
  const clientArgs = (port: number, flag: string) => [
    's_client',
    '-connect',
    `127.0.0.1:${port}`,
    '-brief',
    flag,
    '-cipher',
    'DEFAULT@SECLEVEL=0',
  ];
  /** The protocol of each s_client version flag, or 'failed'. */
  const protocols = (outputs: readonly string[]) =>
    outputs.map((output) => /Protocol version: (\S+)/.exec(output)?.[1] ?? 'failed').join(' ');

  async function native(options: tls.TlsOptions): Promise<string> {
    const server = tls.createServer({ ...identity, ...legacy, ...options }, (socket) => socket.end());
    server.on('tlsClientError', () => {});
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const port = (server.address() as AddressInfo).port;
      return protocols(await Promise.all(versionFlags.map((flag) => runOpenssl(clientArgs(port, flag)))));
    } finally {
      server.close();
    }
  }

  async function ours(options: SecureContextOptions): Promise<string> {
    const context = createSecureContext({ ...identity, ...legacy, ...options });
    let outputs: string[] = [];
    await withServer(
      () => createServerConnection(context.engineConfig('server')),
      async (port) => {
        outputs = await Promise.all(versionFlags.map((flag) => runOpenssl(clientArgs(port, flag))));
        return '';
      },
    );
    return protocols(outputs);
  }

  const { SSL_OP_NO_TLSv1, SSL_OP_NO_TLSv1_1, SSL_OP_NO_TLSv1_2, SSL_OP_NO_TLSv1_3 } = SecureOptions;
  const cases: [string, SecureContextOptions][] = [
    ...secureProtocolMethods.map((method): [string, SecureContextOptions] => [
      method,
      { secureProtocol: method },
    ]),
    ['SSL_OP_NO_TLSv1 from TLSv1', { minVersion: 'TLSv1', secureOptions: SSL_OP_NO_TLSv1 }],
    [
      'SSL_OP_NO_TLSv1_1 from TLSv1 (a hole: TLS 1.0 only)',
      { minVersion: 'TLSv1', secureOptions: SSL_OP_NO_TLSv1_1 },
    ],
    ['SSL_OP_NO_TLSv1_2 from TLSv1', { minVersion: 'TLSv1', secureOptions: SSL_OP_NO_TLSv1_2 }],
    ['SSL_OP_NO_TLSv1_2', { secureOptions: SSL_OP_NO_TLSv1_2 }],
    ['SSL_OP_NO_TLSv1_3 from TLSv1', { minVersion: 'TLSv1', secureOptions: SSL_OP_NO_TLSv1_3 }],
    [
      'SSL_OP_NO_TLSv1 and SSL_OP_NO_TLSv1_3 with TLS_method',
      { secureProtocol: 'TLS_method', secureOptions: SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_3 },
    ],
    [
      'SSL_OP_NO_TLSv1_2 and SSL_OP_NO_TLSv1_3 (none left)',
      { secureOptions: SSL_OP_NO_TLSv1_2 | SSL_OP_NO_TLSv1_3 },
    ],
  ];
  for (const [what, options] of cases) {
    it(`agrees for ${what}`, async () => {
      expect(await ours(options)).toBe(await native(options as tls.TlsOptions));
    });
  }

  it('pins what node:tls gives for a hole and for a client method (TLS 1.0, 1.2, 1.3 around a disabled 1.1; nothing)', async () => {
    expect(await native({ minVersion: 'TLSv1', secureOptions: SSL_OP_NO_TLSv1_1 })).toBe(
      'TLSv1 failed TLSv1.2 TLSv1.3 TLSv1.2',
    );
    expect(await native({ minVersion: 'TLSv1', secureOptions: SSL_OP_NO_TLSv1_2 })).toBe(
      'TLSv1 TLSv1.1 failed TLSv1.3 TLSv1.1',
    );
    expect(await native({ secureProtocol: 'TLSv1_2_client_method' })).toBe(
      'failed failed failed failed failed',
    );
  });
});

describe('a secureProtocol method for the other role', () => {
  it('makes a server fail with ERR_SSL_CALLED_A_FUNCTION_YOU_SHOULD_NOT_CALL, sending nothing (TLSv1_2_client_method)', async () => {
    const context = createSecureContext({ ...identity, secureProtocol: 'TLSv1_2_client_method' });
    const { output, events } = await sClientAgainstOurs(
      () => context.engineConfig('server'),
      ['-tls1_2', '-msg'],
    );
    expect(errorCode(events)).toBe('ERR_SSL_CALLED_A_FUNCTION_YOU_SHOULD_NOT_CALL');
    expect(output).toMatch(/>>> TLS 1\.2, Handshake \[length [0-9a-f]+\], ClientHello/);
    expect(output).not.toMatch(/<<< /);
  });

  it('makes a client fail the same way before its ClientHello (TLSv1_2_server_method)', async () => {
    const context = createSecureContext({ ca: pki().root.certPem, secureProtocol: 'TLSv1_2_server_method' });
    const files = pkiFiles();
    const { output, events } = await againstServer(
      ['-cert', files.leaf, '-cert_chain', files.intermediate, '-key', files.leafKey, '-msg'],
      () => createClientConnection(context.engineConfig('client', { serverName: 'localhost' })),
    );
    expect(events.map((e) => e.type)).toEqual(['error']);
    expect(errorCode(events)).toBe('ERR_SSL_CALLED_A_FUNCTION_YOU_SHOULD_NOT_CALL');
    expect(output).not.toMatch(/ClientHello/);
    const works = createSecureContext({ ca: pki().root.certPem, secureProtocol: 'TLSv1_2_client_method' });
    const { events: fine } = await againstServer(
      ['-cert', files.leaf, '-cert_chain', files.intermediate, '-key', files.leafKey],
      () => createClientConnection(works.engineConfig('client', { serverName: 'localhost' })),
    );
    const done = fine.find((e) => e.type === 'handshake-complete');
    expect(done?.type === 'handshake-complete' && done.info.version).toBe(0x0303);
  });
});

describe('SSL_OP_NO_ENCRYPT_THEN_MAC with a CBC suite (TLS 1.2)', () => {
  /** The extension names `-trace` prints for the first `message` (ClientHello or ServerHello). */
  const extensionsOf = (trace: string, message: 'ClientHello' | 'ServerHello') => {
    const start = trace.indexOf(`${message}, Length=`);
    if (start < 0) return undefined;
    const end = trace.slice(start + 1).search(/\n\s{0,6}\S[^\n]*, Length=/);
    const body = trace.slice(start, end < 0 ? undefined : start + 1 + end);
    return [...body.matchAll(/extension_type=([a-z_]+)\(\d+\)/g)].map((m) => m[1]);
  };
  const cbc = 'ECDHE-ECDSA-AES128-SHA';

  async function nativeServerHello(options: tls.TlsOptions) {
    const server = tls.createServer({ ...identity, ...options }, (socket) => socket.end());
    server.on('tlsClientError', () => {});
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const port = (server.address() as AddressInfo).port;
      const trace = await runOpenssl([
        's_client',
        '-connect',
        `127.0.0.1:${port}`,
        '-tls1_2',
        '-cipher',
        cbc,
        '-trace',
      ]);
      return extensionsOf(trace, 'ServerHello')?.includes('encrypt_then_mac');
    } finally {
      server.close();
    }
  }

  for (const [what, secureOptions, expected] of [
    ['answers encrypt_then_mac by default', 0, true],
    [
      'does not answer it with the flag, and the MAC-then-encrypt records still work',
      SecureOptions.SSL_OP_NO_ENCRYPT_THEN_MAC,
      false,
    ],
  ] as const) {
    it(`a server ${what} (as node:tls)`, async () => {
      const context = createSecureContext({ ...identity, secureOptions });
      const { output, events } = await sClientAgainstOurs(
        () => context.engineConfig('server'),
        ['-tls1_2', '-cipher', cbc, '-trace', '-CAfile', pkiFiles().root, '-verify_return_error'],
      );
      expect(extensionsOf(output, 'ClientHello')).toContain('encrypt_then_mac');
      expect(extensionsOf(output, 'ServerHello')).toContain('extended_master_secret');
      expect(extensionsOf(output, 'ServerHello')?.includes('encrypt_then_mac')).toBe(expected);
      expect(await nativeServerHello({ secureOptions })).toBe(expected);
      const done = events.find((e) => e.type === 'handshake-complete');
      expect(done?.type === 'handshake-complete' && done.info.cipherSuite.opensslName).toBe(cbc);
      expect(done?.type === 'handshake-complete' && done.info.encryptThenMac).toBe(expected);
      expect(output).toMatch(/Verify return code: 0 \(ok\)/);
      expect(errorCode(events)).toBeUndefined();
    });

    it(`a client ${what.replace('answers', 'offers').replace('answer', 'offer')}`, async () => {
      const context = createSecureContext({ ca: pki().root.certPem, secureOptions });
      const files = pkiFiles();
      const { output, events } = await againstServer(
        [
          '-cert',
          files.leaf,
          '-cert_chain',
          files.intermediate,
          '-key',
          files.leafKey,
          '-tls1_2',
          '-cipher',
          cbc,
          '-trace',
        ],
        () => createClientConnection(context.engineConfig('client', { serverName: 'localhost' })),
      );
      expect(extensionsOf(output, 'ClientHello')).toContain('extended_master_secret');
      expect(extensionsOf(output, 'ClientHello')?.includes('encrypt_then_mac')).toBe(expected);
      expect(extensionsOf(output, 'ServerHello')?.includes('encrypt_then_mac')).toBe(expected);
      const done = events.find((e) => e.type === 'handshake-complete');
      expect(done?.type === 'handshake-complete' && done.info.cipherSuite.opensslName).toBe(cbc);
      expect(done?.type === 'handshake-complete' && done.info.encryptThenMac).toBe(expected);
      expect(errorCode(events)).toBeUndefined();
    });
  }
});

describe('a client ClientHello under SSL_OP_NO_TICKET and SSL_OP_ALL, seen by s_server -trace: ours against node:tls', () => {
  const rsa = credential('rsa');
  /** Whether the ClientHello s_server traced asks for tickets, and its padded length if padded. */
  const helloOf = (trace: string) => {
    const hello = trace.slice(trace.indexOf('ClientHello, Length='), trace.indexOf('ServerHello, Length='));
    const names = [...hello.matchAll(/extension_type=([a-z_]+)\(\d+\)/g)].map((m) => m[1]);
    return {
      sessionTicket: names.includes('session_ticket'),
      padded: names.includes('padding') ? Number(/ClientHello, Length=(\d+)/.exec(hello)?.[1]) : false,
    };
  };

  for (const [what, secureOptions] of [
    ['no options', 0],
    ['SSL_OP_NO_TICKET (no session_ticket extension)', SecureOptions.SSL_OP_NO_TICKET],
    ['SSL_OP_ALL (its SSL_OP_TLSEXT_PADDING pads the hello to 512 bytes)', SecureOptions.SSL_OP_ALL],
  ] as const) {
    it(`agrees for ${what}`, async () => {
      const server = await opensslServer(
        ['-cert', rsa.certFile, '-key', rsa.keyFile, '-tls1_2', '-trace'],
        2,
      );
      try {
        const socket = tls.connect({
          port: server.port,
          host: '127.0.0.1',
          rejectUnauthorized: false,
          secureOptions,
        });
        await Promise.race([once(socket, 'secureConnect'), once(socket, 'error')]);
        socket.destroy();
        const native = helloOf(server.output());
        const mark = server.output().length;
        const context = createSecureContext({ secureOptions });
        const events = await connectEngine(server.port, () =>
          createClientConnection(context.engineConfig('client', { verifyPeer: () => undefined })),
        );
        expect(errorCode(events)).toBeUndefined();
        expect(helloOf(server.output().slice(mark))).toEqual(native);
        expect(native).toEqual({
          sessionTicket: secureOptions !== SecureOptions.SSL_OP_NO_TICKET,
          padded: secureOptions === SecureOptions.SSL_OP_ALL ? 508 : false,
        });
      } finally {
        server.stop();
      }
    });
  }
});

describe('SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS: the records of one write, TLS 1.0 CBC, seen by s_client -msg', () => {
  const legacy = { ...identity, ciphers: 'DEFAULT@SECLEVEL=0', minVersion: 'TLSv1' } as const;
  const args = (port: number, version: string) => [
    's_client',
    '-connect',
    `127.0.0.1:${port}`,
    version,
    '-cipher',
    'ECDHE-ECDSA-AES128-SHA@SECLEVEL=0',
    '-msg',
    '-ign_eof',
  ];
  /** How many application_data records s_client received. */
  const dataRecords = (output: string) =>
    output.match(/<<< TLS 1\.\d, RecordHeader \[length 0005\]\n\s+17 03 0[123]/g)?.length ?? 0;

  async function native(version: string, secureOptions: number): Promise<number> {
    const server = tls.createServer({ ...legacy, secureOptions }, (socket) => socket.end('hello world'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      return dataRecords(await runOpenssl(args((server.address() as AddressInfo).port, version)));
    } finally {
      server.close();
    }
  }

  async function ours(version: string, secureOptions: number): Promise<number> {
    const context = createSecureContext({ ...legacy, secureOptions });
    const { output } = await withServer(
      () => createServerConnection(context.engineConfig('server')),
      (port) => runOpenssl(args(port, version)),
      { onHandshake: (connection) => connection.write(new TextEncoder().encode('hello world')) },
    );
    expect(output).toMatch(/hello world/);
    return dataRecords(output);
  }

  for (const [version, secureOptions, expected] of [
    ['-tls1', 0, 2],
    ['-tls1', SecureOptions.SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS, 1],
    ['-tls1_1', 0, 1],
    ['-tls1_2', 0, 1],
  ] as const) {
    it(`sends ${expected} record(s) for ${version}${secureOptions ? ' with the flag' : ''}, as node:tls`, async () => {
      expect(await native(version, secureOptions)).toBe(expected);
      expect(await ours(version, secureOptions)).toBe(expected);
    });
  }
});
