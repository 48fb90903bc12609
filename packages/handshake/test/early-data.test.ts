// Early data refused (RFC 8446 §4.2.10): a server without `maxEarlyData` does not accept 0-RTT,
// so when a ClientHello carries early_data it ignores the extension (EncryptedExtensions never
// echoes it) and skips the client's 0-RTT records (here garbage bodies under type
// application_data, which the server cannot tell from real 0-RTT data) up to a bound, then goes on
// with the handshake. After a HelloRetryRequest it skips application_data records until the
// second ClientHello. These client flights are built by hand with the codecs and the key schedule.
// Last, 0-RTT accepted with OpenSSL both ways: our client against s_server -early_data, and
// s_client -early_data against our server with `maxEarlyData` (in-memory cases: zero-rtt.test.ts).
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NamedGroup } from '@tls/crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import {
  type ClientHelloExtension,
  type Connection,
  type ConnectionConfig,
  HandshakeReassembler,
  createClientConnection,
  decodeClientSession,
  Tls13KeySchedule,
  Transcript,
  createServerConnection,
  decodeEncryptedExtensions,
  decodeServerHello,
  encodeClientHello,
  encodeFinished,
  getExtension,
} from '@tls/handshake';
import { ContentType, RecordReader, RecordWriter, concatBytes, createTls13Protection } from '@tls/record';
import { cleanupAfterEach, connectTo, opensslClient, opensslServer } from '@tls/test-kit';
import { describe, expect, it } from 'vitest';
import { credential, credentialDirectory } from './helpers/credentials';
import { peerClientAgainstOurs, pump } from './helpers/peers';

const provider = createNodeCryptoProvider();
const suite = { id: 0x1301, hash: 'sha256', aead: 'aes-128-gcm', keyLength: 16, ivLength: 12 } as const;

/** A record of type application_data with a random body: 0-RTT data the server has no key for. */
function earlyRecord(length: number): Uint8Array {
  return concatBytes([
    Uint8Array.of(ContentType.ApplicationData, 3, 3, length >>> 8, length & 0xff),
    randomBytes(length),
  ]);
}

function plaintextRecord(type: number, body: Uint8Array): Uint8Array {
  return concatBytes([Uint8Array.of(type, 3, 1, body.length >>> 8, body.length & 0xff), body]);
}

function clientHello(group: number, share: Uint8Array, options: { earlyData: boolean; groups?: number[] }) {
  const extensions: ClientHelloExtension[] = [
    { kind: 'supported_versions', versions: [0x0304] },
    { kind: 'supported_groups', namedGroupList: options.groups ?? [group] },
    { kind: 'key_share', clientShares: [{ group, keyExchange: share }] },
    { kind: 'signature_algorithms', supportedSignatureAlgorithms: [0x0403, 0x0804] },
  ];
  if (options.earlyData) extensions.push({ kind: 'early_data' });
  return encodeClientHello({
    legacyVersion: 0x0303,
    random: randomBytes(32),
    legacySessionId: randomBytes(32),
    cipherSuites: [suite.id],
    legacyCompressionMethods: Uint8Array.of(0),
    extensions,
  });
}

/** Everything the server has queued, as plaintext handshake messages once keys are known. */
class ServerFlight {
  readonly #reader = new RecordReader();
  readonly #reassembler = new HandshakeReassembler();
  constructor(readonly server: Connection) {}

  /** The next handshake message, read from what the server sent so far. */
  next(): { type: number; bytes: Uint8Array } {
    for (;;) {
      const frame = this.#reassembler.next();
      if (frame !== undefined) return frame;
      const output = this.server.takeOutput();
      if (output !== undefined) this.#reader.push(output);
      const record = this.#reader.read();
      if (record === undefined) throw new Error('server sent no further handshake message');
      if (record.kind === 'error') throw record.error;
      if (record.contentType === ContentType.Handshake) this.#reassembler.addRecord(record.fragment);
      else if (record.contentType !== ContentType.ChangeCipherSpec)
        throw new Error(`server sent a record of type ${record.contentType}`);
    }
  }

  setKey(secret: Uint8Array): void {
    this.#reader.setProtection(createTls13Protection(provider, suite, secret));
  }

  /** Application data from the server, after the handshake. */
  readApplicationData(): Uint8Array {
    const output = this.server.takeOutput();
    if (output !== undefined) this.#reader.push(output);
    for (let record = this.#reader.read(); record !== undefined; record = this.#reader.read()) {
      if (record.kind === 'error') throw record.error;
      if (record.contentType === ContentType.ApplicationData) return record.fragment;
    }
    throw new Error('server sent no application data');
  }
}

function events(server: Connection) {
  const all = [];
  for (let event = server.nextEvent(); event !== undefined; event = server.nextEvent()) all.push(event);
  return all;
}

/**
 * A hand-built TLS 1.3 client: sends `hello` (then `early` records, each its own receive()),
 * reads the server flight, answers with Finished and one application data record, and returns
 * what the server reported. `transcript` may already hold a HelloRetryRequest exchange.
 */
function completeHandshake(
  server: Connection,
  hello: Uint8Array,
  keyShare: ReturnType<typeof provider.generateKeyShare>,
  early: Uint8Array[],
  transcript = new Transcript(provider),
  flight = new ServerFlight(server),
) {
  server.receive(plaintextRecord(ContentType.Handshake, hello));
  // Compatibility mode (RFC 8446 §D.4): the client's change_cipher_spec comes before its 0-RTT data.
  server.receive(plaintextRecord(ContentType.ChangeCipherSpec, Uint8Array.of(1)));
  for (const record of early) server.receive(record);
  if (transcript.hash === undefined) transcript.startHash(suite.hash);
  transcript.add(hello);
  const serverHello = flight.next();
  const decoded = decodeServerHello(serverHello.bytes);
  transcript.add(serverHello.bytes);
  if (decoded.kind !== 'server-hello') throw new Error('expected a ServerHello');
  const serverShare = getExtension(decoded.extensions, 'key_share');
  if (serverShare === undefined || !('serverShare' in serverShare)) throw new Error('no server key share');
  const schedule = new Tls13KeySchedule(provider, suite.hash);
  const secrets = schedule.handshakeSecrets(
    schedule.earlySecret(),
    keyShare.complete(serverShare.serverShare.keyExchange),
    transcript.currentHash(),
  );
  flight.setKey(secrets.serverHandshakeTrafficSecret);
  const encryptedExtensions = flight.next();
  transcript.add(encryptedExtensions.bytes);
  for (let message = flight.next(); ; message = flight.next()) {
    transcript.add(message.bytes);
    if (message.type === 20) break; // Finished
  }
  const application = schedule.applicationSecrets(secrets.handshakeSecret, transcript.currentHash());
  const writer = new RecordWriter({ version: 0x0303 });
  writer.setProtection(createTls13Protection(provider, suite, secrets.clientHandshakeTrafficSecret));
  writer.write(
    ContentType.Handshake,
    encodeFinished({
      verifyData: schedule.finishedVerifyData(secrets.clientHandshakeTrafficSecret, transcript.currentHash()),
    }),
  );
  writer.setProtection(createTls13Protection(provider, suite, application.clientApplicationTrafficSecret));
  writer.write(ContentType.ApplicationData, new TextEncoder().encode('after the handshake'));
  server.receive(writer.takeOutputBuffer()!);
  flight.setKey(application.serverApplicationTrafficSecret);
  return {
    encryptedExtensions: decodeEncryptedExtensions(encryptedExtensions.bytes),
    events: events(server),
    flight,
  };
}

function newServer(config: { groups?: number[] } = {}) {
  return createServerConnection({ provider, certificates: [credential('ecdsa-p256').certified], ...config });
}

describe('a TLS 1.3 server refuses early data', () => {
  it('ignores early_data, skips the 0-RTT records and completes the handshake', () => {
    const server = newServer();
    const share = provider.generateKeyShare(NamedGroup.X25519);
    const hello = clientHello(NamedGroup.X25519, share.publicKey, { earlyData: true });
    const result = completeHandshake(server, hello, share, [
      earlyRecord(100),
      earlyRecord(17),
      earlyRecord(4000),
    ]);
    expect(getExtension(result.encryptedExtensions.extensions, 'early_data')).toBeUndefined();
    expect(result.events.map((event) => event.type)).toEqual(['handshake-complete', 'application-data']);
    const data = result.events[1];
    expect(data?.type === 'application-data' && new TextDecoder().decode(data.data)).toBe(
      'after the handshake',
    );
    server.write(new TextEncoder().encode('reply'));
    expect(new TextDecoder().decode(result.flight.readApplicationData())).toBe('reply');
  });

  it('skips up to 2^14 bytes of early data (beyond the tag and type byte of each record), and fails with unexpected_message past that', () => {
    const within = newServer();
    const share = provider.generateKeyShare(NamedGroup.X25519);
    const hello = clientHello(NamedGroup.X25519, share.publicKey, { earlyData: true });
    // 16320 + 64 × 1 (a record with nothing beyond its tag and type byte still counts 1): exactly 2^14.
    const full = [earlyRecord(16384 + 17 - 64), ...Array.from({ length: 64 }, () => earlyRecord(17))];
    const result = completeHandshake(within, hello, share, full);
    expect(result.events[0]?.type).toBe('handshake-complete');

    const beyond = newServer();
    const share2 = provider.generateKeyShare(NamedGroup.X25519);
    beyond.receive(
      plaintextRecord(
        ContentType.Handshake,
        clientHello(NamedGroup.X25519, share2.publicKey, { earlyData: true }),
      ),
    );
    beyond.receive(earlyRecord(16384 + 17));
    expect(events(beyond).map((event) => event.type)).toEqual([]);
    beyond.receive(earlyRecord(18));
    const [failure] = events(beyond);
    expect(failure).toMatchObject({
      type: 'error',
      error: { code: 'ERR_SSL_TOO_MUCH_EARLY_DATA', alert: 10 },
    });
  });

  it('fails with bad_record_mac on an undecryptable record when the ClientHello had no early_data', () => {
    const server = newServer();
    const share = provider.generateKeyShare(NamedGroup.X25519);
    server.receive(
      plaintextRecord(
        ContentType.Handshake,
        clientHello(NamedGroup.X25519, share.publicKey, { earlyData: false }),
      ),
    );
    server.receive(earlyRecord(100));
    const failure = events(server).find((event) => event.type === 'error');
    expect(failure).toMatchObject({
      error: { code: 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC', alert: 20 },
    });
  });

  it('stops skipping once a record opens with the handshake key', () => {
    const server = newServer();
    const share = provider.generateKeyShare(NamedGroup.X25519);
    const hello = clientHello(NamedGroup.X25519, share.publicKey, { earlyData: true });
    const result = completeHandshake(server, hello, share, [earlyRecord(64)]);
    expect(result.events[0]?.type).toBe('handshake-complete');
    // The application key is in place and nothing is skipped any more.
    server.receive(earlyRecord(64));
    expect(events(server)).toMatchObject([
      { type: 'error', error: { code: 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC' } },
    ]);
  });

  it('after a HelloRetryRequest skips application_data records until the second ClientHello', () => {
    const server = newServer({ groups: [NamedGroup.Secp256r1] });
    const first = provider.generateKeyShare(NamedGroup.X25519);
    const groups = [NamedGroup.X25519, NamedGroup.Secp256r1];
    const hello1 = clientHello(NamedGroup.X25519, first.publicKey, { earlyData: true, groups });
    server.receive(plaintextRecord(ContentType.Handshake, hello1));
    server.receive(plaintextRecord(ContentType.ChangeCipherSpec, Uint8Array.of(1)));
    server.receive(earlyRecord(300));
    server.receive(earlyRecord(20));
    const flight = new ServerFlight(server);
    const retry = flight.next();
    expect(decodeServerHello(retry.bytes).kind).toBe('hello-retry-request');
    expect(events(server)).toEqual([]);
    const transcript = new Transcript(provider);
    transcript.startHash(suite.hash);
    transcript.add(hello1);
    transcript.replaceWithMessageHash();
    transcript.add(retry.bytes);
    const second = provider.generateKeyShare(NamedGroup.Secp256r1);
    const hello2 = clientHello(NamedGroup.Secp256r1, second.publicKey, { earlyData: false, groups });
    const result = completeHandshake(server, hello2, second, [], transcript, flight);
    expect(result.events[0]).toMatchObject({ type: 'handshake-complete', info: { helloRetry: true } });
  });

  it('refuses early_data in the ClientHello that answers a HelloRetryRequest (RFC 8446 §4.2.10)', () => {
    const server = newServer({ groups: [NamedGroup.Secp256r1] });
    const groups = [NamedGroup.X25519, NamedGroup.Secp256r1];
    const first = provider.generateKeyShare(NamedGroup.X25519);
    server.receive(
      plaintextRecord(
        ContentType.Handshake,
        clientHello(NamedGroup.X25519, first.publicKey, { earlyData: true, groups }),
      ),
    );
    const second = provider.generateKeyShare(NamedGroup.Secp256r1);
    server.receive(
      plaintextRecord(
        ContentType.Handshake,
        clientHello(NamedGroup.Secp256r1, second.publicKey, { earlyData: true, groups }),
      ),
    );
    expect(events(server)).toMatchObject([{ type: 'error', error: { alert: 47 } }]);
  });
});

describe('openssl s_client -early_data against our server', () => {
  const cleanups = cleanupAfterEach();
  const ecdsa = credential('ecdsa-p256');
  const earlyFile = join(credentialDirectory, `early-data-${process.pid}.txt`);
  writeFileSync(earlyFile, 'GET / sent as 0-RTT\n');

  /** s_client with `args` against a fresh server of ours; resolves once both sides are done. */
  async function sClientAgainstOurs(args: string[], config: Partial<ConnectionConfig> = {}) {
    const { client, io } = await peerClientAgainstOurs(
      (port) => opensslClient(port, ['-tls1_3', ...args]),
      () => createServerConnection({ provider, certificates: [ecdsa.certified], ...config }),
      cleanups,
    );
    return { client, io };
  }

  /** A session file from `s_server -early_data`, whose ticket allows 0-RTT. */
  async function earlyDataSession(): Promise<string> {
    const file = join(credentialDirectory, `early-session-${process.pid}.pem`);
    const server = await opensslServer([
      '-tls1_3',
      '-key',
      ecdsa.keyFile,
      '-cert',
      ecdsa.certFile,
      '-early_data',
    ]);
    cleanups.push(() => server.stop());
    const client = opensslClient(server.port, ['-tls1_3', '-sess_out', file]);
    cleanups.push(() => client.stop());
    client.process.stdin.write('first connection\n');
    await server.waitFor(/first connection/);
    client.process.stdin.end();
    await new Promise((resolve) => client.process.once('exit', resolve));
    // s_client prints the tickets it stored (OpenSSL's default max_early_data is 16384).
    expect(client.output()).toContain('Max Early Data: 16384');
    return file;
  }

  it('sends no early data with our tickets, which do not allow it', async () => {
    const sessionFile = join(credentialDirectory, `our-session-${process.pid}.pem`);
    const config = { ticketKeys: randomBytes(48) };
    const first = await sClientAgainstOurs(['-sess_out', sessionFile], config);
    await first.io.waitFor('handshake-complete');
    first.client.process.stdin.write('first connection\n');
    await first.io.waitFor('application-data');
    first.client.process.stdin.end();
    await new Promise((resolve) => first.client.process.once('exit', resolve));
    expect(first.client.output()).toContain('Max Early Data: 0');
    for (const cleanup of cleanups.splice(0)) cleanup();
    const second = await sClientAgainstOurs(['-sess_in', sessionFile, '-early_data', earlyFile], config);
    expect((await second.io.waitFor('handshake-complete')).info.resumed).toBe(true);
    await second.client.waitFor(/Reused, TLSv1\.3/);
    await second.client.waitFor(/Early data was not sent/);
    second.client.process.stdin.write('after the handshake\n');
    const data = await second.io.waitFor('application-data');
    expect(new TextDecoder().decode(data.data)).toBe('after the handshake\n');
  });

  it('skips the 0-RTT data s_client sends with a ticket that allows it, and completes a full handshake', async () => {
    const sessionFile = await earlyDataSession();
    for (const cleanup of cleanups.splice(0)) cleanup();
    const { client, io } = await sClientAgainstOurs(['-sess_in', sessionFile, '-early_data', earlyFile], {
      ticketKeys: randomBytes(48),
    });
    expect((await io.waitFor('handshake-complete')).info.resumed).toBe(false);
    await client.waitFor(/Early data was rejected/);
    client.process.stdin.write('after the handshake\n');
    const data = await io.waitFor('application-data');
    // The 0-RTT line never reaches the application: the first data is what came after.
    expect(new TextDecoder().decode(data.data)).toBe('after the handshake\n');
    expect(io.events.filter((event) => event.type === 'application-data')).toHaveLength(1);
  });
});

describe('0-RTT with OpenSSL (accepted)', () => {
  const cleanups = cleanupAfterEach();
  const ecdsa = credential('ecdsa-p256');

  it('our client sends early data that openssl s_server -early_data accepts and reads as early data', async () => {
    const server = await opensslServer(
      ['-tls1_3', '-key', ecdsa.keyFile, '-cert', ecdsa.certFile, '-early_data'],
      2,
    );
    cleanups.push(() => server.stop());
    const first = pump(
      createClientConnection({ provider, serverName: 'localhost' }),
      await connectTo(server.port),
    );
    cleanups.push(() => first.socket.destroy());
    const ticket = await first.waitFor('session-ticket');
    // OpenSSL's default max_early_data is 16384.
    expect(decodeClientSession(ticket.session)?.maxEarlyData).toBe(16384);
    first.socket.destroy();
    const early = new TextEncoder().encode('our 0-RTT line\n');
    const client = createClientConnection({
      provider,
      serverName: 'localhost',
      session: ticket.session,
      earlyData: early,
    });
    const second = pump(client, await connectTo(server.port));
    cleanups.push(() => second.socket.destroy());
    expect(await second.waitFor('early-data-accepted')).toMatchObject({ length: early.length });
    expect((await second.waitFor('handshake-complete')).info.resumed).toBe(true);
    // s_server prints the early bytes on stdout, its own lines on stderr: their order may differ.
    await server.waitFor(/Early data received:/);
    await server.waitFor(/our 0-RTT line/);
    await server.waitFor(/End of early data/);
    client.write(new TextEncoder().encode('after the handshake\n'));
    second.flush();
    await server.waitFor(/after the handshake/);
  });

  it('openssl s_client -early_data sends early data that our server (maxEarlyData) accepts as early-data', async () => {
    const earlyFile = join(credentialDirectory, `early-accepted-${process.pid}.txt`);
    writeFileSync(earlyFile, 'GET / sent as 0-RTT\n');
    const sessionFile = join(credentialDirectory, `early-accepted-session-${process.pid}.pem`);
    const config = {
      provider,
      certificates: [ecdsa.certified],
      ticketKeys: randomBytes(48),
      maxEarlyData: 4096,
    };
    async function sClient(args: string[]) {
      const { client, io } = await peerClientAgainstOurs(
        (port) => opensslClient(port, ['-tls1_3', ...args]),
        () => createServerConnection(config),
        cleanups,
      );
      return { client, io };
    }
    const first = await sClient(['-sess_out', sessionFile]);
    await first.io.waitFor('handshake-complete');
    first.client.process.stdin.write('first connection\n');
    await first.io.waitFor('application-data');
    first.client.process.stdin.end();
    await new Promise((resolve) => first.client.process.once('exit', resolve));
    expect(first.client.output()).toContain('Max Early Data: 4096');

    const second = await sClient(['-sess_in', sessionFile, '-early_data', earlyFile]);
    const data = await second.io.waitFor('early-data');
    expect(new TextDecoder().decode(data.data)).toBe('GET / sent as 0-RTT\n');
    expect((await second.io.waitFor('handshake-complete')).info.resumed).toBe(true);
    // Early data comes before the handshake completes, and never as application data.
    const types = second.io.events.map((event) => event.type);
    expect(types.indexOf('early-data')).toBeLessThan(types.indexOf('handshake-complete'));
    await second.client.waitFor(/Early data was accepted/);
    second.client.process.stdin.write('after the handshake\n');
    const after = await second.io.waitFor('application-data');
    expect(new TextDecoder().decode(after.data)).toBe('after the handshake\n');
  });
});
