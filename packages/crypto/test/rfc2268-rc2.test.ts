// RC2 (RFC 2268): the known answers of §5, CBC chaining checked against the block function, and
// the argument checks. The pure implementation lives in src/rc2.ts because OpenSSL 3 (and so
// node:crypto) no longer offers RC2 outside its legacy provider.
import { spawnSync } from 'node:child_process';
import { createRc2Cbc, rc2EncryptBlock } from '@tls/crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, thrownCode, toHex } from './helpers.js';

// RFC 2268 §5: key, effective key bits, plaintext, ciphertext.
const vectors: [string, number, string, string][] = [
  ['0000000000000000', 63, '0000000000000000', 'ebb773f993278eff'],
  ['ffffffffffffffff', 64, 'ffffffffffffffff', '278b27e42e2f0d49'],
  ['3000000000000000', 64, '1000000000000001', '30649edf9be7d2c2'],
  ['88', 64, '0000000000000000', '61a8a244adacccf0'],
  ['88bca90e90875a', 64, '0000000000000000', '6ccf4308974c267f'],
  ['88bca90e90875a7f0f79c384627bafb2', 64, '0000000000000000', '1a807d272bbe5db1'],
  ['88bca90e90875a7f0f79c384627bafb2', 128, '0000000000000000', '2269552ab0f85ca6'],
  [
    '88bca90e90875a7f0f79c384627bafb216f80a6f85920584c42fceb0be255daf1e',
    129,
    '0000000000000000',
    '5b78d3a43dfff1f1',
  ],
];

describe('RC2 (RFC 2268)', () => {
  it.each(vectors)('§5 vector: key %s, %i effective bits', (key, bits, plaintext, ciphertext) => {
    expect(toHex(rc2EncryptBlock(fromHex(key), bits, fromHex(plaintext)))).toBe(ciphertext);
    // One block with a zero IV is ECB, so decryption inverts the vector too.
    const cipher = createRc2Cbc(fromHex(key), bits);
    expect(toHex(cipher.decrypt(new Uint8Array(8), fromHex(ciphertext)))).toBe(plaintext);
  });

  it('CBC chains each block through the previous ciphertext, and decrypts what it encrypts', () => {
    const key = fromHex('0102030405');
    const iv = fromHex('0011223344556677');
    const data = Uint8Array.from({ length: 40 }, (_, i) => (i * 37 + 11) & 0xff);
    const cipher = createRc2Cbc(key, 40);
    const encrypted = cipher.encrypt(iv, data);
    expect(encrypted.length).toBe(40);
    // Block 2 by hand: E(P2 xor C1).
    const block = data.slice(8, 16);
    for (let i = 0; i < 8; i++) block[i]! ^= encrypted[i]!;
    expect(toHex(rc2EncryptBlock(key, 40, block))).toBe(toHex(encrypted.subarray(8, 16)));
    expect(toHex(cipher.decrypt(iv, encrypted))).toBe(toHex(data));
    // The input and IV are not changed.
    expect(toHex(iv)).toBe('0011223344556677');
  });

  it.each([
    ['rc2-40-cbc', 5, 40],
    ['rc2-64-cbc', 8, 64],
    ['rc2-cbc', 16, 128],
  ])(
    "matches OpenSSL's legacy provider: %s on random keys and multi-block data",
    (cipher, keyLength, bits) => {
      for (let round = 0; round < 4; round++) {
        const key = Uint8Array.from({ length: keyLength }, (_, i) => (i * 29 + round * 71 + 3) & 0xff);
        const iv = Uint8Array.from({ length: 8 }, (_, i) => (i * 13 + round * 5) & 0xff);
        const data = Uint8Array.from({ length: 8 * (round + 2) }, (_, i) => (i * 7 + round) & 0xff);
        const result = spawnSync(
          'openssl',
          [
            'enc',
            `-${cipher}`,
            '-provider',
            'legacy',
            '-provider',
            'default',
            '-K',
            toHex(key),
            '-iv',
            toHex(iv),
            '-nopad',
          ],
          { input: data },
        );
        expect(result.status).toBe(0);
        expect(toHex(createRc2Cbc(key, bits).encrypt(iv, data))).toBe(toHex(new Uint8Array(result.stdout)));
      }
    },
  );

  it('the effective key length changes the key schedule', () => {
    const key = fromHex('0102030405');
    const block = new Uint8Array(8);
    expect(toHex(rc2EncryptBlock(key, 40, block))).not.toBe(toHex(rc2EncryptBlock(key, 64, block)));
  });

  it('rejects bad key lengths, effective lengths, IVs and partial blocks', () => {
    expect(thrownCode(() => createRc2Cbc(new Uint8Array(0)))).toBe('ERR_CRYPTO_INVALID_LENGTH');
    expect(thrownCode(() => createRc2Cbc(new Uint8Array(129)))).toBe('ERR_CRYPTO_INVALID_LENGTH');
    expect(thrownCode(() => createRc2Cbc(new Uint8Array(5), 0))).toBe('ERR_CRYPTO_INVALID_LENGTH');
    expect(thrownCode(() => createRc2Cbc(new Uint8Array(5), 1025))).toBe('ERR_CRYPTO_INVALID_LENGTH');
    const cipher = createRc2Cbc(new Uint8Array(5), 40);
    expect(thrownCode(() => cipher.decrypt(new Uint8Array(8), new Uint8Array(12)))).toBe(
      'ERR_CRYPTO_INVALID_LENGTH',
    );
    expect(thrownCode(() => cipher.encrypt(new Uint8Array(7), new Uint8Array(8)))).toBe(
      'ERR_CRYPTO_INVALID_LENGTH',
    );
  });
});
