// serverSuiteSearch: which list a server walks when it picks a suite (OpenSSL's ssl3_choose_cipher,
// SSL_OP_CIPHER_SERVER_PREFERENCE and SSL_OP_PRIORITIZE_CHACHA). The openssl side-by-side checks
// are in @tls/context's openssl.test.ts.
import { describe, expect, it } from 'vitest';
import { serverSuiteSearch } from '@tls/handshake';

const aes128 = 0x1301;
const aes256 = 0x1302;
const chacha = 0x1303;
const ecdheChacha = 0xcca8;
const ecdheAes = 0xc02f;
const grease = 0x0a0a;

describe('serverSuiteSearch', () => {
  const ours = [aes256, aes128, chacha, ecdheAes, ecdheChacha];

  it('walks our list by default and the client list without honorCipherOrder', () => {
    expect(serverSuiteSearch(ours, [chacha, aes128], {})).toEqual([ours, [chacha, aes128]]);
    expect(
      serverSuiteSearch(ours, [chacha, aes128], { honorCipherOrder: false, prioritizeChaCha: true }),
    ).toEqual([[chacha, aes128], ours]);
  });

  it('moves our ChaCha20 suites first when the first suite the client lists that we know is ChaCha20', () => {
    expect(serverSuiteSearch(ours, [grease, chacha, aes128], { prioritizeChaCha: true })[0]).toEqual([
      chacha,
      ecdheChacha,
      aes256,
      aes128,
      ecdheAes,
    ]);
    expect(serverSuiteSearch(ours, [aes128, chacha], { prioritizeChaCha: true })[0]).toEqual(ours);
    expect(serverSuiteSearch(ours, [grease], { prioritizeChaCha: true })[0]).toEqual(ours);
  });
});
