import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { Transcript, encodeMessageHash } from '@tls/handshake';

const provider = createNodeCryptoProvider();
const sha = (algorithm: string, ...parts: Uint8Array[]) => {
  const h = createHash(algorithm);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const a = Uint8Array.of(1, 0, 0, 2, 0xaa, 0xbb);
const b = Uint8Array.of(2, 0, 0, 1, 0xcc);
const c = Uint8Array.of(8, 0, 0, 0);

describe('Transcript', () => {
  it('buffers messages until the hash is chosen, then hashes them in order', () => {
    const transcript = new Transcript(provider);
    transcript.add(a);
    transcript.add(b);
    expect(transcript.hash).toBeUndefined();
    expect(() => transcript.currentHash()).toThrow(/not chosen/);
    transcript.startHash('sha384');
    transcript.add(c);
    expect(transcript.currentHash()).toEqual(sha('sha384', a, b, c));
  });

  it('gives the hash with extra bytes without adding them (PSK binders)', () => {
    const transcript = new Transcript(provider, { hash: 'sha256' });
    transcript.add(a);
    expect(transcript.hashWith(b)).toEqual(sha('sha256', a, b));
    expect(transcript.currentHash()).toEqual(sha('sha256', a));
  });

  it('replaces ClientHello1 with message_hash after a HelloRetryRequest (RFC 8446 §4.4.1)', () => {
    const transcript = new Transcript(provider);
    transcript.add(a);
    transcript.startHash('sha256');
    transcript.replaceWithMessageHash();
    transcript.add(b);
    const synthetic = encodeMessageHash(sha('sha256', a));
    expect(Array.from(synthetic.subarray(0, 4))).toEqual([254, 0, 0, 32]);
    expect(transcript.currentHash()).toEqual(sha('sha256', synthetic, b));
  });

  it('copies added bytes and forks independent clones', () => {
    const transcript = new Transcript(provider, { hash: 'sha256' });
    const message = a.slice();
    transcript.add(message);
    message.fill(0);
    const fork = transcript.clone();
    fork.add(b);
    expect(transcript.currentHash()).toEqual(sha('sha256', a));
    expect(fork.currentHash()).toEqual(sha('sha256', a, b));
  });

  it('keeps the messages themselves when asked (TLS 1.2 CertificateVerify)', () => {
    const transcript = new Transcript(provider, { retainMessages: true });
    transcript.add(a);
    transcript.startHash('sha256');
    transcript.add(b);
    expect(transcript.messages()).toEqual(new Uint8Array([...a, ...b]));
    const plain = new Transcript(provider, { hash: 'sha256' });
    expect(() => plain.messages()).toThrow(/does not retain/);
  });
});
