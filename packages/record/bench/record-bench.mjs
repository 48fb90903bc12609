// Record layer throughput next to raw node:crypto, in one interleaved run (PERF-NOTES.md: these
// machines are noisy, so only ratios inside one run mean anything).
//
//   seal: RecordWriter.write + takeOutput (fragment, nonce, header, AEAD, output list)
//         vs createCipheriv + setAAD + update + final + getAuthTag on the same bytes
//   open: RecordReader.push + read (deframe, header checks, AEAD open, inner type scan)
//         vs createDecipheriv + setAAD + setAuthTag + update + final
//
// Prints MB/s per implementation (median of the rounds) and ours/raw. Usage: pnpm bench
// [--rounds N] [--megabytes M].
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { ContentType, RecordReader, RecordWriter, createTls13Protection } from '@tls/record';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const rounds = option('rounds', 5);
const megabytes = option('megabytes', 48);

const provider = createNodeCryptoProvider();
const suites = [
  { name: 'AES-128-GCM', aead: 'aes-128-gcm', cipher: 'aes-128-gcm', keyLength: 16, hash: 'sha256' },
  {
    name: 'CHACHA20-POLY1305',
    aead: 'chacha20-poly1305',
    cipher: 'chacha20-poly1305',
    keyLength: 32,
    hash: 'sha256',
  },
];
const sizes = [16384, 1024];

function time(fn) {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function rawSeal(suite, key, count, data) {
  const nonce = randomBytes(12);
  const aad = Buffer.from([23, 3, 3, 0, 0]);
  const out = [];
  for (let i = 0; i < count; i++) {
    nonce.writeUInt32BE(i, 8);
    const cipher = createCipheriv(suite.cipher, key, nonce, { authTagLength: 16 });
    cipher.setAAD(aad);
    out.push(cipher.update(data));
    cipher.final();
    out.push(cipher.getAuthTag());
    if (out.length >= 64) out.length = 0;
  }
}

function rawSealed(suite, key, count, data) {
  const records = [];
  const aad = Buffer.from([23, 3, 3, 0, 0]);
  for (let i = 0; i < count; i++) {
    const nonce = randomBytes(12);
    const cipher = createCipheriv(suite.cipher, key, nonce, { authTagLength: 16 });
    cipher.setAAD(aad);
    const ciphertext = cipher.update(data);
    cipher.final();
    records.push({ nonce, ciphertext, tag: cipher.getAuthTag() });
  }
  return records;
}

function rawOpen(suite, key, records) {
  const aad = Buffer.from([23, 3, 3, 0, 0]);
  for (const record of records) {
    const decipher = createDecipheriv(suite.cipher, key, record.nonce, { authTagLength: 16 });
    decipher.setAAD(aad);
    decipher.setAuthTag(record.tag);
    decipher.update(record.ciphertext);
    decipher.final();
  }
}

function oursSeal(suite, secret, count, data) {
  const writer = new RecordWriter();
  writer.setProtection(createTls13Protection(provider, suite, secret));
  for (let i = 0; i < count; i++) {
    writer.write(ContentType.ApplicationData, data);
    if (i % 16 === 15) writer.takeOutput();
  }
  writer.takeOutput();
}

function oursSealed(suite, secret, count, data) {
  const writer = new RecordWriter();
  writer.setProtection(createTls13Protection(provider, suite, secret));
  for (let i = 0; i < count; i++) writer.write(ContentType.ApplicationData, data);
  // Chunks as a socket would deliver them: 64 KiB each, records split across chunk boundaries.
  const bytes = writer.takeOutputBuffer();
  const chunks = [];
  for (let offset = 0; offset < bytes.length; offset += 65536)
    chunks.push(bytes.subarray(offset, offset + 65536));
  return chunks;
}

function oursOpen(suite, secret, chunks, expected) {
  const reader = new RecordReader();
  reader.setProtection(createTls13Protection(provider, suite, secret));
  let received = 0;
  for (const chunk of chunks) {
    reader.push(chunk);
    for (let event = reader.read(); event !== undefined; event = reader.read()) {
      if (event.kind === 'error') throw event.error;
      received += event.fragment.length;
    }
  }
  if (received !== expected) throw new Error(`read ${received} of ${expected} bytes`);
}

const results = [];
console.log(
  `record layer vs raw node:crypto — ${rounds} interleaved rounds of ${megabytes} MB, ${process.version}\n`,
);
for (const suite of suites) {
  for (const size of sizes) {
    const count = Math.ceil((megabytes * 1e6) / size);
    const data = randomBytes(size);
    const secret = randomBytes(32);
    const key = createSecretKey(randomBytes(suite.keyLength));
    const samples = { rawSeal: [], oursSeal: [], rawOpen: [], oursOpen: [] };
    const rawRecords = rawSealed(suite, key, count, data);
    const ourChunks = oursSealed(suite, secret, count, data);
    const bytes = count * size;
    for (let round = 0; round < rounds; round++) {
      samples.rawSeal.push(bytes / time(() => rawSeal(suite, key, count, data)) / 1e6);
      samples.oursSeal.push(bytes / time(() => oursSeal(suite, secret, count, data)) / 1e6);
      samples.rawOpen.push(bytes / time(() => rawOpen(suite, key, rawRecords)) / 1e6);
      samples.oursOpen.push(bytes / time(() => oursOpen(suite, secret, ourChunks, bytes)) / 1e6);
    }
    const row = {
      suite: suite.name,
      record: `${size / 1024} KiB`,
      'raw seal MB/s': Math.round(median(samples.rawSeal)),
      'ours seal MB/s': Math.round(median(samples.oursSeal)),
      'seal ours/raw': (median(samples.oursSeal) / median(samples.rawSeal)).toFixed(2),
      'raw open MB/s': Math.round(median(samples.rawOpen)),
      'ours open MB/s': Math.round(median(samples.oursOpen)),
      'open ours/raw': (median(samples.oursOpen) / median(samples.rawOpen)).toFixed(2),
    };
    results.push(row);
  }
}
console.table(results);
