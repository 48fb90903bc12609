import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HandshakeReassembler, HandshakeType, encodeFinished, encodeKeyUpdate } from '@tls/handshake';

function frame(type: number, bodyLength: number, fill = 0xab): Uint8Array {
  const out = new Uint8Array(4 + bodyLength).fill(fill);
  out[0] = type;
  out[1] = bodyLength >> 16;
  out[2] = (bodyLength >> 8) & 0xff;
  out[3] = bodyLength & 0xff;
  return out;
}

function drain(reassembler: HandshakeReassembler): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let f = reassembler.next(); f !== undefined; f = reassembler.next()) out.push(f.bytes);
  return out;
}

describe('HandshakeReassembler', () => {
  it('returns several messages that share one record, in order, with their original bytes', () => {
    const a = encodeFinished({ verifyData: new Uint8Array(32).fill(7) });
    const b = encodeKeyUpdate({ requestUpdate: 1 });
    const reassembler = new HandshakeReassembler();
    const record = new Uint8Array([...a, ...b]);
    reassembler.addRecord(record);
    const first = reassembler.next()!;
    expect(first.type).toBe(HandshakeType.Finished);
    expect(first.bytes).toEqual(a);
    expect(first.body).toEqual(a.subarray(4));
    expect(reassembler.next()!.bytes).toEqual(b);
    expect(reassembler.next()).toBeUndefined();
    expect(reassembler.hasBufferedData).toBe(false);
  });

  it('joins a message split across records at every possible point, header included', () => {
    const message = frame(HandshakeType.Certificate, 300);
    for (let cut = 1; cut < message.length; cut++) {
      const reassembler = new HandshakeReassembler();
      reassembler.addRecord(message.subarray(0, cut));
      expect(reassembler.next()).toBeUndefined();
      expect(reassembler.hasBufferedData).toBe(true);
      reassembler.addRecord(message.subarray(cut));
      expect(drain(reassembler)).toEqual([message]);
    }
  });

  it("does not keep or change the caller's record buffer", () => {
    const message = frame(HandshakeType.Finished, 4, 1);
    const reassembler = new HandshakeReassembler();
    reassembler.addRecord(message);
    message.fill(9);
    expect(Array.from(reassembler.next()!.body)).toEqual([1, 1, 1, 1]);
  });

  it('rejects an empty handshake record with unexpected_message', () => {
    expect(() => new HandshakeReassembler().addRecord(new Uint8Array(0))).toThrow(
      expect.objectContaining({ code: 'ERR_SSL_UNEXPECTED_MESSAGE', alert: 10 }),
    );
  });

  it('rejects a message that spans a key change with unexpected_message', () => {
    const reassembler = new HandshakeReassembler();
    reassembler.addRecord(frame(HandshakeType.Finished, 32).subarray(0, 10));
    expect(() => reassembler.requireRecordBoundary()).toThrow(
      expect.objectContaining({ code: 'ERR_SSL_NOT_ON_RECORD_BOUNDARY', alert: 10 }),
    );
  });

  it('rejects a complete but unread message left over at a key change', () => {
    const reassembler = new HandshakeReassembler();
    reassembler.addRecord(
      new Uint8Array([
        ...frame(HandshakeType.ServerHello, 40),
        ...frame(HandshakeType.EncryptedExtensions, 2),
      ]),
    );
    reassembler.next();
    expect(() => reassembler.requireRecordBoundary()).toThrow(expect.objectContaining({ alert: 10 }));
    reassembler.next();
    expect(() => reassembler.requireRecordBoundary()).not.toThrow();
  });

  it('refuses an oversized message as soon as its header arrives', () => {
    const reassembler = new HandshakeReassembler();
    // Only the 4-byte header of a 2^16+1 byte ClientHello: no body is buffered before refusing.
    expect(() => reassembler.addRecord(frame(HandshakeType.ClientHello, 0x10001).subarray(0, 4))).toThrow(
      expect.objectContaining({ code: 'ERR_SSL_EXCESSIVE_MESSAGE_SIZE', alert: 47 }),
    );
    const exact = new HandshakeReassembler();
    exact.addRecord(frame(HandshakeType.ClientHello, 0x10000));
    expect(exact.next()?.body.length).toBe(0x10000);
  });

  it('allows larger Certificate messages, up to their own configurable limit', () => {
    const certificate = frame(HandshakeType.Certificate, 90_000);
    const reassembler = new HandshakeReassembler();
    reassembler.addRecord(certificate);
    expect(reassembler.next()?.bytes.length).toBe(90_004);
    const strict = new HandshakeReassembler({ maxCertificateLength: 50_000, maxMessageLength: 100 });
    expect(() => strict.addRecord(certificate.subarray(0, 4))).toThrow(
      expect.objectContaining({ alert: 47 }),
    );
    expect(() => strict.addRecord(frame(HandshakeType.Finished, 101).subarray(0, 4))).toThrow(
      /Finished of 101 bytes, above the limit of 100/,
    );
  });
});

describe('HandshakeReassembler properties', () => {
  it('returns the same messages however the stream is cut into records', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ type: fc.integer({ min: 0, max: 255 }), body: fc.uint8Array({ maxLength: 300 }) }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 20 }),
        (messages, cuts) => {
          const frames = messages.map(({ type, body }) => {
            const out = new Uint8Array(4 + body.length);
            out.set([type, 0, body.length >> 8, body.length & 0xff]);
            out.set(body, 4);
            return out;
          });
          const stream = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
          let offset = 0;
          for (const f of frames) {
            stream.set(f, offset);
            offset += f.length;
          }
          const reassembler = new HandshakeReassembler();
          const received: Uint8Array[] = [];
          let at = 0;
          for (let i = 0; at < stream.length; i++) {
            const next = Math.min(stream.length, at + cuts[i % cuts.length]!);
            reassembler.addRecord(stream.subarray(at, next));
            received.push(...drain(reassembler));
            at = next;
          }
          expect(received).toEqual(frames);
          expect(reassembler.hasBufferedData).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});
