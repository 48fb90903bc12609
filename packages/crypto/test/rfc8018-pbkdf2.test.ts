// PBKDF2 (RFC 8018 §5.2). Known answers: RFC 6070 (PBKDF2-HMAC-SHA1) and the widely used
// PBKDF2-HMAC-SHA256 values for the same inputs.
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { describe, expect, it } from 'vitest';
import { ascii, thrownCode, toHex } from './helpers.js';

const provider = createNodeCryptoProvider();

describe('pbkdf2', () => {
  it('RFC 6070 vectors (HMAC-SHA1)', () => {
    expect(toHex(provider.pbkdf2('sha1', ascii('password'), ascii('salt'), 1, 20))).toBe(
      '0c60c80f961f0e71f3a9b524af6012062fe037a6',
    );
    expect(toHex(provider.pbkdf2('sha1', ascii('password'), ascii('salt'), 2, 20))).toBe(
      'ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957',
    );
    expect(toHex(provider.pbkdf2('sha1', ascii('password'), ascii('salt'), 4096, 20))).toBe(
      '4b007901b765489abead49d926f721d065a429c1',
    );
    expect(
      toHex(
        provider.pbkdf2(
          'sha1',
          ascii('passwordPASSWORDpassword'),
          ascii('saltSALTsaltSALTsaltSALTsaltSALTsalt'),
          4096,
          25,
        ),
      ),
    ).toBe('3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038');
    expect(toHex(provider.pbkdf2('sha1', ascii('pass\0word'), ascii('sa\0lt'), 4096, 16))).toBe(
      '56fa6aa75548099dcc37d7f03425e0c3',
    );
  });

  it('HMAC-SHA256', () => {
    expect(toHex(provider.pbkdf2('sha256', ascii('password'), ascii('salt'), 1, 32))).toBe(
      '120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b',
    );
    expect(toHex(provider.pbkdf2('sha256', ascii('password'), ascii('salt'), 4096, 32))).toBe(
      'c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a',
    );
  });

  it('returns plain Uint8Arrays of the asked length', () => {
    const key = provider.pbkdf2('sha512', ascii('p'), ascii('s'), 3, 100);
    expect(key.length).toBe(100);
    expect(Object.getPrototypeOf(key)).toBe(Uint8Array.prototype);
  });

  it('rejects bad iteration counts, lengths and hashes', () => {
    expect(() => provider.pbkdf2('sha256', ascii('p'), ascii('s'), 0, 16)).toThrow(RangeError);
    expect(() => provider.pbkdf2('sha256', ascii('p'), ascii('s'), 1.5, 16)).toThrow(RangeError);
    expect(() => provider.pbkdf2('sha256', ascii('p'), ascii('s'), 1, -1)).toThrow(RangeError);
    expect(thrownCode(() => provider.pbkdf2('md5-sha1', ascii('p'), ascii('s'), 1, 16))).toBe(
      'ERR_CRYPTO_UNSUPPORTED_ALGORITHM',
    );
    expect(thrownCode(() => provider.pbkdf2('sha3' as never, ascii('p'), ascii('s'), 1, 16))).toBe(
      'ERR_CRYPTO_UNSUPPORTED_ALGORITHM',
    );
  });
});
