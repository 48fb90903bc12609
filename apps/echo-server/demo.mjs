// The main job until the echo server exists (it needs @tls/socket): a short tour of the layers
// that do. Two parties agree on a key with X25519, derive TLS 1.3 traffic keys with HKDF, and one
// record is protected and unprotected, bytes printed at each step. It runs on the built packages,
// exactly as a user who installed them would import them.
import { NamedGroup } from '@tls/crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { ContentType, RecordReader, RecordWriter, createTls13Protection } from '@tls/record';

const provider = createNodeCryptoProvider();
const hex = (bytes) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
    .toString('hex')
    .replace(/(.{64})/g, '$1\n    ')
    .trim();
const show = (label, bytes) => console.log(`${label} (${bytes.length} bytes):\n    ${hex(bytes)}`);

console.log(`@tls demo on ${provider.name}\n`);

// 1. Key exchange (RFC 8446 §4.2.8): the client offers a share, the server answers with its own.
const client = provider.generateKeyShare(NamedGroup.X25519);
const server = provider.acceptKeyShare(NamedGroup.X25519, client.publicKey);
const clientSecret = client.complete(server.publicKey);
show('client X25519 share', client.publicKey);
show('server X25519 share', server.publicKey);
console.log(`shared secrets agree: ${provider.timingSafeEqual(clientSecret, server.sharedSecret)}\n`);

// 2. A traffic secret from the shared secret (a cut-down RFC 8446 §7.1 schedule).
const handshakeSecret = provider.hkdfExtract('sha256', undefined, clientSecret);
const trafficSecret = provider.deriveSecret(
  'sha256',
  handshakeSecret,
  'c ap traffic',
  provider.hash('sha256', new Uint8Array(0)),
);
show('client application traffic secret', trafficSecret);

// 3. One record protected by the sender (TLS 1.3, AES-128-GCM) ...
const suite = { aead: 'aes-128-gcm', hash: 'sha256' };
const writer = new RecordWriter();
writer.setProtection(createTls13Protection(provider, suite, trafficSecret));
const message = new TextEncoder().encode('hello from @tls/record');
writer.write(ContentType.ApplicationData, message);
const wire = writer.takeOutputBuffer();
show('\nplaintext', message);
show('protected record on the wire', wire);

// 4. ... and unprotected by the receiver, fed one byte at a time to show reassembly.
const reader = new RecordReader();
reader.setProtection(createTls13Protection(provider, suite, trafficSecret));
let record;
for (const byte of wire) {
  reader.push(Uint8Array.of(byte));
  record ??= reader.read();
}
if (record?.kind !== 'record') throw new Error(`record did not open: ${record?.error?.message}`);
show('\nunprotected fragment', record.fragment);
console.log(`    = "${new TextDecoder().decode(record.fragment)}" (content type ${record.contentType})`);

// 5. One flipped bit and the record is refused with the alert RFC 8446 §5.2 assigns.
const tampered = Uint8Array.from(wire);
tampered[10] ^= 1;
const strict = new RecordReader();
strict.setProtection(createTls13Protection(provider, suite, trafficSecret));
strict.push(tampered);
const failure = strict.read();
console.log(`\ntampered record: ${failure.error.code} (alert ${failure.error.alert}: bad_record_mac)`);
