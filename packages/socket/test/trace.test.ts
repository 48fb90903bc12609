// enableTrace(): a line per record in each direction on stderr, whatever the chunking.
import { once } from 'node:events';
import tls from '@tls/socket';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Listener, cleanupAfterEach, listenOnLoopback, localhostPki } from '@tls/test-kit';
import { RecordTracer } from '../src/trace.js';

const pki = localhostPki();
const closers = cleanupAfterEach();
afterEach(() => vi.restoreAllMocks());

describe('enableTrace', () => {
  it('follows records across any split of the byte stream', () => {
    // A handshake record carrying a ClientHello (type 1), a ChangeCipherSpec, then an encrypted
    // handshake record whose first byte must not be read as a message type.
    const stream = Buffer.concat([
      Buffer.from([22, 3, 1, 0, 4, 1, 0, 0, 0]),
      Buffer.from([20, 3, 3, 0, 1, 1]),
      Buffer.from([22, 3, 3, 0, 3, 2, 9, 9]),
    ]);
    const expected = [
      'Sent Record: Handshake (22), TLS 1.0 (0x0301), length 4',
      '  ClientHello',
      'Sent Record: ChangeCipherSpec (20), TLS 1.2 (0x0303), length 1',
      'Sent Record: Handshake (22), TLS 1.2 (0x0303), length 3',
    ];
    for (let split = 0; split <= stream.length; split++) {
      for (let second = split; second <= stream.length; second++) {
        const lines: string[] = [];
        const tracer = new RecordTracer('Sent', (line) => lines.push(line));
        tracer.feed(stream.subarray(0, split));
        tracer.feed(stream.subarray(split, second));
        tracer.feed(stream.subarray(second));
        expect(lines).toEqual(expected);
      }
    }
  });

  it('traces a TLS 1.3 handshake both ways when a server is given enableTrace: true', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const server = tls.createServer({ key: pki.server.key, cert: pki.server.cert, enableTrace: true }, (s) =>
      s.end('x'),
    );
    const port = await listenOnLoopback(server as Listener, closers);
    const socket = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca });
    closers.push(() => socket.destroy());
    socket.resume();
    await once(socket, 'end');
    const text = lines.join('');
    expect(text).toMatch(
      /^Received Record: Handshake \(22\), TLS 1\.0 \(0x0301\), length \d+\n {2}ClientHello\n/,
    );
    expect(text).toMatch(/Sent Record: Handshake \(22\), TLS 1\.2 \(0x0303\), length \d+\n {2}ServerHello\n/);
    expect(text).toMatch(/Sent Record: ApplicationData \(23\), TLS 1\.2 \(0x0303\), length \d+\n/);
    expect(text).not.toMatch(/EncryptedExtensions/);
  });
});
