// The OpenSSL cipher-list language (ciphers(1)): names and aliases joined with `+`, the `!`, `-`
// and `+` operators, `@STRENGTH` and `@SECLEVEL=n`, over the suites of the @tls/handshake
// registry. The evaluation follows OpenSSL 3.0's ssl/ssl_ciph.c: the same preference order of
// all suites before the string is applied, the same rule semantics (a deleted suite moves to the
// front, a killed one is gone for good), the same security-level filter. TLS 1.3 suites are set
// apart (Node passes `TLS_*` names to SSL_CTX_set_ciphersuites) and come first.

import { cachedBounded } from './bounded-cache.js';
import { type CipherSuiteInfo, defaultCipherSuites, cipherSuites as registry } from '@tls/handshake';
import { type ContextError, invalidArgValue, opensslError } from './errors.js';

/**
 * Node's `DEFAULT_CIPHERS` (node:tls of Node 20).
 * @example createSecureContext({ ciphers: `${DEFAULT_CIPHERS}:!kRSA` })
 */
export const DEFAULT_CIPHERS =
  'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:DHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES256-SHA384:ECDHE-RSA-AES256-SHA256:DHE-RSA-AES256-SHA256:HIGH:!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:!PSK:!SRP:!CAMELLIA';

/** OpenSSL's default cipher list (OSSL_default_cipher_list), what a leading `DEFAULT` means. */
const opensslDefault = 'ALL:!COMPLEMENTOFDEFAULT:!eNULL';

// Algorithm bits (ssl_local.h SSL_k*, SSL_a*, encryption and MAC masks) for every suite OpenSSL
// 3.0 builds, so that a rule means here what it means there.
const kRSA = 0x1;
const kDHE = 0x2;
const kECDHE = 0x4;
const kPSK = 0x8;
const kRSAPSK = 0x10;
const kECDHEPSK = 0x20;
const kDHEPSK = 0x40;
const kSRP = 0x80;
const aRSA = 0x1;
const aECDSA = 0x2;
const aDSS = 0x4;
const aNULL = 0x8;
const aPSK = 0x10;
const aSRP = 0x20;
const eAES128 = 0x1;
const eAES256 = 0x2;
const eAES128GCM = 0x4;
const eAES256GCM = 0x8;
const eCHACHA20 = 0x10;
const eAES128CCM = 0x20;
const eAES256CCM = 0x40;
const eAES128CCM8 = 0x80;
const eAES256CCM8 = 0x100;
const eCAMELLIA128 = 0x200;
const eCAMELLIA256 = 0x400;
const eARIA128GCM = 0x800;
const eARIA256GCM = 0x1000;
const eNULL = 0x2000;
/** Ciphers OpenSSL 3.0 no longer builds (3DES, RC4, SEED, IDEA, GOST): their aliases select nothing. */
const eAbsent = 0x4000;
const everyEnc = 0x7fff;
const eAES =
  eAES128 | eAES256 | eAES128GCM | eAES256GCM | eAES128CCM | eAES256CCM | eAES128CCM8 | eAES256CCM8;
const mMD5 = 0x1;
const mSHA1 = 0x2;
const mSHA256 = 0x4;
const mSHA384 = 0x8;
const mAEAD = 0x10;
// algo_strength: SSL_STRONG_MASK bits, then SSL_DEFAULT_MASK.
const sNONE = 0x1;
const sLOW = 0x2;
const sMEDIUM = 0x4;
const sHIGH = 0x8;
const sFIPS = 0x10;
const strongMask = 0x1f;
const sNOT_DEFAULT = 0x20;

const SSL3 = 0x0300;
const TLS1 = 0x0301;
const TLS1_2 = 0x0303;

interface Pattern {
  mkey: number;
  auth: number;
  enc: number;
  mac: number;
  minTls: number;
  strength: number;
}

/** One suite of the list: ours (with its registry entry) or one OpenSSL has and we do not. */
interface SuiteEntry extends Pattern {
  readonly name: string;
  readonly suite: CipherSuiteInfo | undefined;
  readonly bits: number;
}

function describe(suite: CipherSuiteInfo): SuiteEntry {
  const mkey = suite.keyExchange === 'ecdhe' ? kECDHE : suite.keyExchange === 'dhe' ? kDHE : kRSA;
  const auth = suite.authentication === 'ecdsa' ? aECDSA : aRSA;
  let enc: number;
  let mac: number;
  if (suite.cipherType === 'aead') {
    enc =
      suite.aead === 'aes-128-gcm'
        ? eAES128GCM
        : suite.aead === 'aes-256-gcm'
          ? eAES256GCM
          : suite.aead === 'chacha20-poly1305'
            ? eCHACHA20
            : suite.aead === 'aes-128-ccm'
              ? eAES128CCM
              : eAES128CCM8;
    mac = mAEAD;
  } else {
    enc = suite.cipher === 'aes-128-cbc' ? eAES128 : suite.cipher === 'aes-256-cbc' ? eAES256 : eAbsent;
    mac = suite.mac === 'sha1' ? mSHA1 : suite.mac === 'sha256' ? mSHA256 : mSHA384;
  }
  // OpenSSL's min_tls: the SHA-1 CBC suites of RFC 5246 are SSLv3-era except the ECDHE ones
  // (RFC 4492, TLS 1.0); everything with SHA-256/384 or an AEAD is TLS 1.2.
  const minTls = mac === mSHA1 ? (mkey === kECDHE ? TLS1 : SSL3) : TLS1_2;
  const fips = enc === eCHACHA20 ? 0 : sFIPS;
  return {
    name: suite.opensslName,
    suite,
    bits: suite.bits,
    mkey,
    auth,
    enc,
    mac,
    minTls,
    strength: sHIGH | fips,
  };
}

// The TLS 1.2-and-older suites of OpenSSL 3.0.19 that the registry lacks, as `openssl ciphers -V
// ALL:COMPLEMENTOFALL` describes them (name, Kx, Au, Enc, Mac, version) with their strength class
// (H: HIGH, F: FIPS, N: COMPLEMENTOFDEFAULT). They take part in every rule, so that a string
// selecting only them is accepted as OpenSSL accepts it, and never reach the result.
const opensslOnly: readonly string[] = [
  'DHE-DSS-AES256-GCM-SHA384 DH DSS AESGCM(256) AEAD TLSv1.2 HFN',
  'ECDHE-ECDSA-AES256-CCM8 ECDH ECDSA AESCCM8(256) AEAD TLSv1.2 HN',
  'ECDHE-ECDSA-AES256-CCM ECDH ECDSA AESCCM(256) AEAD TLSv1.2 HN',
  'DHE-RSA-AES256-CCM8 DH RSA AESCCM8(256) AEAD TLSv1.2 HN',
  'DHE-RSA-AES256-CCM DH RSA AESCCM(256) AEAD TLSv1.2 HN',
  'ECDHE-ECDSA-ARIA256-GCM-SHA384 ECDH ECDSA ARIAGCM(256) AEAD TLSv1.2 HN',
  'ECDHE-ARIA256-GCM-SHA384 ECDH RSA ARIAGCM(256) AEAD TLSv1.2 HN',
  'DHE-DSS-ARIA256-GCM-SHA384 DH DSS ARIAGCM(256) AEAD TLSv1.2 HN',
  'DHE-RSA-ARIA256-GCM-SHA384 DH RSA ARIAGCM(256) AEAD TLSv1.2 HN',
  'ADH-AES256-GCM-SHA384 DH None AESGCM(256) AEAD TLSv1.2 HFN',
  'DHE-DSS-AES128-GCM-SHA256 DH DSS AESGCM(128) AEAD TLSv1.2 HFN',
  'ECDHE-ECDSA-AES128-CCM8 ECDH ECDSA AESCCM8(128) AEAD TLSv1.2 HN',
  'ECDHE-ECDSA-AES128-CCM ECDH ECDSA AESCCM(128) AEAD TLSv1.2 HN',
  'DHE-RSA-AES128-CCM8 DH RSA AESCCM8(128) AEAD TLSv1.2 HN',
  'DHE-RSA-AES128-CCM DH RSA AESCCM(128) AEAD TLSv1.2 HN',
  'ECDHE-ECDSA-ARIA128-GCM-SHA256 ECDH ECDSA ARIAGCM(128) AEAD TLSv1.2 HN',
  'ECDHE-ARIA128-GCM-SHA256 ECDH RSA ARIAGCM(128) AEAD TLSv1.2 HN',
  'DHE-DSS-ARIA128-GCM-SHA256 DH DSS ARIAGCM(128) AEAD TLSv1.2 HN',
  'DHE-RSA-ARIA128-GCM-SHA256 DH RSA ARIAGCM(128) AEAD TLSv1.2 HN',
  'ADH-AES128-GCM-SHA256 DH None AESGCM(128) AEAD TLSv1.2 HFN',
  'DHE-DSS-AES256-SHA256 DH DSS AES(256) SHA256 TLSv1.2 HFN',
  'ECDHE-ECDSA-CAMELLIA256-SHA384 ECDH ECDSA Camellia(256) SHA384 TLSv1.2 HN',
  'ECDHE-RSA-CAMELLIA256-SHA384 ECDH RSA Camellia(256) SHA384 TLSv1.2 HN',
  'DHE-RSA-CAMELLIA256-SHA256 DH RSA Camellia(256) SHA256 TLSv1.2 HN',
  'DHE-DSS-CAMELLIA256-SHA256 DH DSS Camellia(256) SHA256 TLSv1.2 HN',
  'ADH-AES256-SHA256 DH None AES(256) SHA256 TLSv1.2 HFN',
  'ADH-CAMELLIA256-SHA256 DH None Camellia(256) SHA256 TLSv1.2 HN',
  'DHE-DSS-AES128-SHA256 DH DSS AES(128) SHA256 TLSv1.2 HFN',
  'ECDHE-ECDSA-CAMELLIA128-SHA256 ECDH ECDSA Camellia(128) SHA256 TLSv1.2 HN',
  'ECDHE-RSA-CAMELLIA128-SHA256 ECDH RSA Camellia(128) SHA256 TLSv1.2 HN',
  'DHE-RSA-CAMELLIA128-SHA256 DH RSA Camellia(128) SHA256 TLSv1.2 HN',
  'DHE-DSS-CAMELLIA128-SHA256 DH DSS Camellia(128) SHA256 TLSv1.2 HN',
  'ADH-AES128-SHA256 DH None AES(128) SHA256 TLSv1.2 HFN',
  'ADH-CAMELLIA128-SHA256 DH None Camellia(128) SHA256 TLSv1.2 HN',
  'DHE-DSS-AES256-SHA DH DSS AES(256) SHA1 SSLv3 HFN',
  'DHE-RSA-CAMELLIA256-SHA DH RSA Camellia(256) SHA1 SSLv3 HN',
  'DHE-DSS-CAMELLIA256-SHA DH DSS Camellia(256) SHA1 SSLv3 HN',
  'AECDH-AES256-SHA ECDH None AES(256) SHA1 TLSv1 HFN',
  'ADH-AES256-SHA DH None AES(256) SHA1 SSLv3 HFN',
  'ADH-CAMELLIA256-SHA DH None Camellia(256) SHA1 SSLv3 HN',
  'DHE-DSS-AES128-SHA DH DSS AES(128) SHA1 SSLv3 HFN',
  'DHE-RSA-CAMELLIA128-SHA DH RSA Camellia(128) SHA1 SSLv3 HN',
  'DHE-DSS-CAMELLIA128-SHA DH DSS Camellia(128) SHA1 SSLv3 HN',
  'AECDH-AES128-SHA ECDH None AES(128) SHA1 TLSv1 HFN',
  'ADH-AES128-SHA DH None AES(128) SHA1 SSLv3 HFN',
  'ADH-CAMELLIA128-SHA DH None Camellia(128) SHA1 SSLv3 HN',
  'RSA-PSK-AES256-GCM-SHA384 RSAPSK RSA AESGCM(256) AEAD TLSv1.2 HF',
  'DHE-PSK-AES256-GCM-SHA384 DHEPSK PSK AESGCM(256) AEAD TLSv1.2 HF',
  'RSA-PSK-CHACHA20-POLY1305 RSAPSK RSA CHACHA20/POLY1305(256) AEAD TLSv1.2 H',
  'DHE-PSK-CHACHA20-POLY1305 DHEPSK PSK CHACHA20/POLY1305(256) AEAD TLSv1.2 H',
  'ECDHE-PSK-CHACHA20-POLY1305 ECDHEPSK PSK CHACHA20/POLY1305(256) AEAD TLSv1.2 H',
  'DHE-PSK-AES256-CCM8 DHEPSK PSK AESCCM8(256) AEAD TLSv1.2 HN',
  'DHE-PSK-AES256-CCM DHEPSK PSK AESCCM(256) AEAD TLSv1.2 HN',
  'RSA-PSK-ARIA256-GCM-SHA384 RSAPSK RSA ARIAGCM(256) AEAD TLSv1.2 HN',
  'DHE-PSK-ARIA256-GCM-SHA384 DHEPSK PSK ARIAGCM(256) AEAD TLSv1.2 HN',
  'AES256-CCM8 RSA RSA AESCCM8(256) AEAD TLSv1.2 HN',
  'AES256-CCM RSA RSA AESCCM(256) AEAD TLSv1.2 HN',
  'ARIA256-GCM-SHA384 RSA RSA ARIAGCM(256) AEAD TLSv1.2 HN',
  'PSK-AES256-GCM-SHA384 PSK PSK AESGCM(256) AEAD TLSv1.2 HF',
  'PSK-CHACHA20-POLY1305 PSK PSK CHACHA20/POLY1305(256) AEAD TLSv1.2 H',
  'PSK-AES256-CCM8 PSK PSK AESCCM8(256) AEAD TLSv1.2 HN',
  'PSK-AES256-CCM PSK PSK AESCCM(256) AEAD TLSv1.2 HN',
  'PSK-ARIA256-GCM-SHA384 PSK PSK ARIAGCM(256) AEAD TLSv1.2 HN',
  'RSA-PSK-AES128-GCM-SHA256 RSAPSK RSA AESGCM(128) AEAD TLSv1.2 HF',
  'DHE-PSK-AES128-GCM-SHA256 DHEPSK PSK AESGCM(128) AEAD TLSv1.2 HF',
  'DHE-PSK-AES128-CCM8 DHEPSK PSK AESCCM8(128) AEAD TLSv1.2 HN',
  'DHE-PSK-AES128-CCM DHEPSK PSK AESCCM(128) AEAD TLSv1.2 HN',
  'RSA-PSK-ARIA128-GCM-SHA256 RSAPSK RSA ARIAGCM(128) AEAD TLSv1.2 HN',
  'DHE-PSK-ARIA128-GCM-SHA256 DHEPSK PSK ARIAGCM(128) AEAD TLSv1.2 HN',
  'AES128-CCM8 RSA RSA AESCCM8(128) AEAD TLSv1.2 HN',
  'AES128-CCM RSA RSA AESCCM(128) AEAD TLSv1.2 HN',
  'ARIA128-GCM-SHA256 RSA RSA ARIAGCM(128) AEAD TLSv1.2 HN',
  'PSK-AES128-GCM-SHA256 PSK PSK AESGCM(128) AEAD TLSv1.2 HF',
  'PSK-AES128-CCM8 PSK PSK AESCCM8(128) AEAD TLSv1.2 HN',
  'PSK-AES128-CCM PSK PSK AESCCM(128) AEAD TLSv1.2 HN',
  'PSK-ARIA128-GCM-SHA256 PSK PSK ARIAGCM(128) AEAD TLSv1.2 HN',
  'CAMELLIA256-SHA256 RSA RSA Camellia(256) SHA256 TLSv1.2 HN',
  'CAMELLIA128-SHA256 RSA RSA Camellia(128) SHA256 TLSv1.2 HN',
  'ECDHE-PSK-AES256-CBC-SHA384 ECDHEPSK PSK AES(256) SHA384 TLSv1 HF',
  'ECDHE-PSK-AES256-CBC-SHA ECDHEPSK PSK AES(256) SHA1 TLSv1 HF',
  'SRP-DSS-AES-256-CBC-SHA SRP DSS AES(256) SHA1 SSLv3 HN',
  'SRP-RSA-AES-256-CBC-SHA SRP RSA AES(256) SHA1 SSLv3 H',
  'SRP-AES-256-CBC-SHA SRP SRP AES(256) SHA1 SSLv3 H',
  'RSA-PSK-AES256-CBC-SHA384 RSAPSK RSA AES(256) SHA384 TLSv1 HF',
  'DHE-PSK-AES256-CBC-SHA384 DHEPSK PSK AES(256) SHA384 TLSv1 HF',
  'RSA-PSK-AES256-CBC-SHA RSAPSK RSA AES(256) SHA1 SSLv3 HF',
  'DHE-PSK-AES256-CBC-SHA DHEPSK PSK AES(256) SHA1 SSLv3 HF',
  'ECDHE-PSK-CAMELLIA256-SHA384 ECDHEPSK PSK Camellia(256) SHA384 TLSv1 HN',
  'RSA-PSK-CAMELLIA256-SHA384 RSAPSK RSA Camellia(256) SHA384 TLSv1 HN',
  'DHE-PSK-CAMELLIA256-SHA384 DHEPSK PSK Camellia(256) SHA384 TLSv1 HN',
  'CAMELLIA256-SHA RSA RSA Camellia(256) SHA1 SSLv3 HN',
  'PSK-AES256-CBC-SHA384 PSK PSK AES(256) SHA384 TLSv1 HF',
  'PSK-AES256-CBC-SHA PSK PSK AES(256) SHA1 SSLv3 HF',
  'PSK-CAMELLIA256-SHA384 PSK PSK Camellia(256) SHA384 TLSv1 HN',
  'ECDHE-PSK-AES128-CBC-SHA256 ECDHEPSK PSK AES(128) SHA256 TLSv1 HF',
  'ECDHE-PSK-AES128-CBC-SHA ECDHEPSK PSK AES(128) SHA1 TLSv1 HF',
  'SRP-DSS-AES-128-CBC-SHA SRP DSS AES(128) SHA1 SSLv3 HN',
  'SRP-RSA-AES-128-CBC-SHA SRP RSA AES(128) SHA1 SSLv3 H',
  'SRP-AES-128-CBC-SHA SRP SRP AES(128) SHA1 SSLv3 H',
  'RSA-PSK-AES128-CBC-SHA256 RSAPSK RSA AES(128) SHA256 TLSv1 HF',
  'DHE-PSK-AES128-CBC-SHA256 DHEPSK PSK AES(128) SHA256 TLSv1 HF',
  'RSA-PSK-AES128-CBC-SHA RSAPSK RSA AES(128) SHA1 SSLv3 HF',
  'DHE-PSK-AES128-CBC-SHA DHEPSK PSK AES(128) SHA1 SSLv3 HF',
  'ECDHE-PSK-CAMELLIA128-SHA256 ECDHEPSK PSK Camellia(128) SHA256 TLSv1 HN',
  'RSA-PSK-CAMELLIA128-SHA256 RSAPSK RSA Camellia(128) SHA256 TLSv1 HN',
  'DHE-PSK-CAMELLIA128-SHA256 DHEPSK PSK Camellia(128) SHA256 TLSv1 HN',
  'CAMELLIA128-SHA RSA RSA Camellia(128) SHA1 SSLv3 HN',
  'PSK-AES128-CBC-SHA256 PSK PSK AES(128) SHA256 TLSv1 HF',
  'PSK-AES128-CBC-SHA PSK PSK AES(128) SHA1 SSLv3 HF',
  'PSK-CAMELLIA128-SHA256 PSK PSK Camellia(128) SHA256 TLSv1 HN',
  'ECDHE-ECDSA-NULL-SHA ECDH ECDSA None SHA1 TLSv1 -',
  'ECDHE-RSA-NULL-SHA ECDH RSA None SHA1 TLSv1 -',
  'AECDH-NULL-SHA ECDH None None SHA1 TLSv1 -',
  'NULL-SHA256 RSA RSA None SHA256 TLSv1.2 -',
  'ECDHE-PSK-NULL-SHA384 ECDHEPSK PSK None SHA384 TLSv1 -',
  'ECDHE-PSK-NULL-SHA256 ECDHEPSK PSK None SHA256 TLSv1 -',
  'ECDHE-PSK-NULL-SHA ECDHEPSK PSK None SHA1 TLSv1 -',
  'RSA-PSK-NULL-SHA384 RSAPSK RSA None SHA384 TLSv1 -',
  'RSA-PSK-NULL-SHA256 RSAPSK RSA None SHA256 TLSv1 -',
  'DHE-PSK-NULL-SHA384 DHEPSK PSK None SHA384 TLSv1 -',
  'DHE-PSK-NULL-SHA256 DHEPSK PSK None SHA256 TLSv1 -',
  'RSA-PSK-NULL-SHA RSAPSK RSA None SHA1 SSLv3 -',
  'DHE-PSK-NULL-SHA DHEPSK PSK None SHA1 SSLv3 -',
  'NULL-SHA RSA RSA None SHA1 SSLv3 -',
  'NULL-MD5 RSA RSA None MD5 SSLv3 -',
  'PSK-NULL-SHA384 PSK PSK None SHA384 TLSv1 -',
  'PSK-NULL-SHA256 PSK PSK None SHA256 TLSv1 -',
  'PSK-NULL-SHA PSK PSK None SHA1 SSLv3 -',
];

const kxBits: Readonly<Record<string, number>> = {
  RSA: kRSA,
  DH: kDHE,
  ECDH: kECDHE,
  PSK: kPSK,
  RSAPSK: kRSAPSK,
  ECDHEPSK: kECDHEPSK,
  DHEPSK: kDHEPSK,
  SRP: kSRP,
};
const auBits: Readonly<Record<string, number>> = {
  RSA: aRSA,
  ECDSA: aECDSA,
  DSS: aDSS,
  None: aNULL,
  PSK: aPSK,
  SRP: aSRP,
};
const encBits: Readonly<Record<string, number>> = {
  AES: 0,
  AESGCM: 0,
  AESCCM: 0,
  AESCCM8: 0,
  Camellia: 0,
  ARIAGCM: 0,
  'CHACHA20/POLY1305': eCHACHA20,
  None: eNULL,
};
const macBits: Readonly<Record<string, number>> = {
  MD5: mMD5,
  SHA1: mSHA1,
  SHA256: mSHA256,
  SHA384: mSHA384,
  AEAD: mAEAD,
};
const versions: Readonly<Record<string, number>> = { SSLv3: SSL3, TLSv1: TLS1, 'TLSv1.2': TLS1_2 };

function encryption(text: string): { enc: number; bits: number } {
  const match = /^([^(]+)(?:\((\d+)\))?$/.exec(text);
  const family = match?.[1] ?? text;
  const bits = Number(match?.[2] ?? 0);
  const wide = bits === 256;
  const byFamily: Record<string, number> = {
    AES: wide ? eAES256 : eAES128,
    AESGCM: wide ? eAES256GCM : eAES128GCM,
    AESCCM: wide ? eAES256CCM : eAES128CCM,
    AESCCM8: wide ? eAES256CCM8 : eAES128CCM8,
    Camellia: wide ? eCAMELLIA256 : eCAMELLIA128,
    ARIAGCM: wide ? eARIA256GCM : eARIA128GCM,
  };
  return { enc: byFamily[family] ?? encBits[family] ?? eAbsent, bits };
}

function opensslEntry(row: string): SuiteEntry {
  const [name = '', kx = '', au = '', enc = '', mac = '', version = '', flags = ''] = row.split(' ');
  const cipher = encryption(enc);
  let strength = flags.includes('H') ? sHIGH : sNONE;
  if (flags.includes('F')) strength |= sFIPS;
  if (flags.includes('N')) strength |= sNOT_DEFAULT;
  return {
    name,
    suite: undefined,
    bits: cipher.bits,
    mkey: kxBits[kx] ?? 0,
    auth: auBits[au] ?? 0,
    enc: cipher.enc,
    mac: macBits[mac] ?? 0,
    minTls: versions[version] ?? 0,
    strength,
  };
}

const all = ~0;
const alias = (pattern: Partial<Pattern>): Pattern => ({
  mkey: 0,
  auth: 0,
  enc: 0,
  mac: 0,
  minTls: 0,
  strength: 0,
  ...pattern,
});

// ssl_ciph.c cipher_aliases of OpenSSL 3.0 (the GOST ones select nothing in its default build).
const aliases: ReadonlyMap<string, Pattern> = /* @__PURE__ */ new Map([
  ['ALL', alias({ enc: everyEnc & ~eNULL })],
  ['COMPLEMENTOFALL', alias({ enc: eNULL })],
  ['COMPLEMENTOFDEFAULT', alias({ strength: sNOT_DEFAULT })],
  ['kRSA', alias({ mkey: kRSA })],
  ['kEDH', alias({ mkey: kDHE })],
  ['kDHE', alias({ mkey: kDHE })],
  ['DH', alias({ mkey: kDHE })],
  ['kEECDH', alias({ mkey: kECDHE })],
  ['kECDHE', alias({ mkey: kECDHE })],
  ['ECDH', alias({ mkey: kECDHE })],
  ['kPSK', alias({ mkey: kPSK })],
  ['kRSAPSK', alias({ mkey: kRSAPSK })],
  ['kECDHEPSK', alias({ mkey: kECDHEPSK })],
  ['kDHEPSK', alias({ mkey: kDHEPSK })],
  ['kSRP', alias({ mkey: kSRP })],
  ['aRSA', alias({ auth: aRSA })],
  ['aDSS', alias({ auth: aDSS })],
  ['DSS', alias({ auth: aDSS })],
  ['aNULL', alias({ auth: aNULL })],
  ['aECDSA', alias({ auth: aECDSA })],
  ['ECDSA', alias({ auth: aECDSA })],
  ['aPSK', alias({ auth: aPSK })],
  ['aSRP', alias({ auth: aSRP })],
  ['EDH', alias({ mkey: kDHE, auth: all & ~aNULL })],
  ['DHE', alias({ mkey: kDHE, auth: all & ~aNULL })],
  ['EECDH', alias({ mkey: kECDHE, auth: all & ~aNULL })],
  ['ECDHE', alias({ mkey: kECDHE, auth: all & ~aNULL })],
  ['NULL', alias({ enc: eNULL })],
  ['eNULL', alias({ enc: eNULL })],
  ['RSA', alias({ mkey: kRSA, auth: aRSA })],
  ['ADH', alias({ mkey: kDHE, auth: aNULL })],
  ['AECDH', alias({ mkey: kECDHE, auth: aNULL })],
  ['PSK', alias({ mkey: kPSK | kRSAPSK | kECDHEPSK | kDHEPSK })],
  ['SRP', alias({ mkey: kSRP })],
  ['3DES', alias({ enc: eAbsent })],
  ['RC4', alias({ enc: eAbsent })],
  ['RC2', alias({ enc: eAbsent })],
  ['IDEA', alias({ enc: eAbsent })],
  ['SEED', alias({ enc: eAbsent })],
  ['GOST89', alias({ enc: eAbsent })],
  ['AES128', alias({ enc: eAES128 | eAES128GCM | eAES128CCM | eAES128CCM8 })],
  ['AES256', alias({ enc: eAES256 | eAES256GCM | eAES256CCM | eAES256CCM8 })],
  ['AES', alias({ enc: eAES })],
  ['AESGCM', alias({ enc: eAES128GCM | eAES256GCM })],
  ['AESCCM', alias({ enc: eAES128CCM | eAES256CCM | eAES128CCM8 | eAES256CCM8 })],
  ['AESCCM8', alias({ enc: eAES128CCM8 | eAES256CCM8 })],
  ['CAMELLIA128', alias({ enc: eCAMELLIA128 })],
  ['CAMELLIA256', alias({ enc: eCAMELLIA256 })],
  ['CAMELLIA', alias({ enc: eCAMELLIA128 | eCAMELLIA256 })],
  ['CHACHA20', alias({ enc: eCHACHA20 })],
  ['ARIA', alias({ enc: eARIA128GCM | eARIA256GCM })],
  ['ARIAGCM', alias({ enc: eARIA128GCM | eARIA256GCM })],
  ['ARIA128', alias({ enc: eARIA128GCM })],
  ['ARIA256', alias({ enc: eARIA256GCM })],
  ['CBC', alias({ enc: eAES128 | eAES256 | eCAMELLIA128 | eCAMELLIA256 | eAbsent })],
  ['MD5', alias({ mac: mMD5 })],
  ['SHA1', alias({ mac: mSHA1 })],
  ['SHA', alias({ mac: mSHA1 })],
  ['SHA256', alias({ mac: mSHA256 })],
  ['SHA384', alias({ mac: mSHA384 })],
  ['SSLv3', alias({ minTls: SSL3 })],
  ['TLSv1', alias({ minTls: TLS1 })],
  ['TLSv1.0', alias({ minTls: TLS1 })],
  ['TLSv1.2', alias({ minTls: TLS1_2 })],
  ['LOW', alias({ strength: sLOW })],
  ['MEDIUM', alias({ strength: sMEDIUM })],
  ['HIGH', alias({ strength: sHIGH })],
  ['FIPS', alias({ strength: sFIPS })],
]);

const tls13Entries: readonly CipherSuiteInfo[] = registry.filter((suite) => suite.minVersion === 0x0304);
const implemented: readonly SuiteEntry[] = registry
  .filter((suite) => suite.maxVersion < 0x0304)
  .map(describe)
  // ssl_cipher_collect_ciphers walks OpenSSL's table from the end: highest codepoint first.
  .sort((a, b) => (b.suite?.id ?? 0) - (a.suite?.id ?? 0));
const implementedNames = new Set(implemented.map((entry) => entry.name));
const tls12Entries: readonly SuiteEntry[] = [
  ...implemented,
  ...opensslOnly.map(opensslEntry).filter((entry) => !implementedNames.has(entry.name)),
];
const byName: ReadonlyMap<string, SuiteEntry> = new Map(tls12Entries.map((entry) => [entry.name, entry]));
// OpenSSL's default TLS 1.3 suites: the CCM ones are used only when `ciphersuites` names them.
const defaultTls13Entries: readonly CipherSuiteInfo[] = tls13Entries.filter((suite) =>
  defaultCipherSuites.includes(suite.id),
);

type Operation = 'add' | 'delete' | 'kill' | 'order' | 'bump';

/** One rule application over the ordered list (ssl_cipher_apply_rule). */
class CipherList {
  order: SuiteEntry[];
  readonly active = new Set<SuiteEntry>();

  constructor(entries: readonly SuiteEntry[]) {
    this.order = [...entries];
  }

  apply(operation: Operation, matches: (entry: SuiteEntry) => boolean): void {
    // Deletions and bumps walk the list backwards so the moved suites keep their relative order.
    const walk = operation === 'delete' || operation === 'bump' ? [...this.order].reverse() : [...this.order];
    for (const entry of walk) {
      if (!matches(entry)) continue;
      const isActive = this.active.has(entry);
      switch (operation) {
        case 'add':
          if (!isActive) {
            this.moveToEnd(entry);
            this.active.add(entry);
          }
          break;
        case 'order':
          if (isActive) this.moveToEnd(entry);
          break;
        case 'delete':
          // A deleted suite goes to the front: the best place for a later re-add.
          if (isActive) {
            this.moveToFront(entry);
            this.active.delete(entry);
          }
          break;
        case 'bump':
          if (isActive) this.moveToFront(entry);
          break;
        case 'kill':
          this.order = this.order.filter((other) => other !== entry);
          this.active.delete(entry);
          break;
      }
    }
  }

  /** ssl_cipher_strength_sort: active suites grouped by strength, strongest first, stable. */
  sortByStrength(): void {
    const strengths = [...new Set(this.order.map((entry) => entry.bits))].sort((a, b) => b - a);
    for (const bits of strengths) this.apply('order', (entry) => entry.bits === bits);
  }

  private moveToEnd(entry: SuiteEntry): void {
    this.order = [...this.order.filter((other) => other !== entry), entry];
  }

  private moveToFront(entry: SuiteEntry): void {
    this.order = [entry, ...this.order.filter((other) => other !== entry)];
  }
}

function matcher(pattern: Pattern, target: SuiteEntry | undefined): (entry: SuiteEntry) => boolean {
  return (entry) => {
    // An explicit suite still has to meet the masks of the other words of its rule (A+B).
    if (target !== undefined && entry !== target) return false;
    if (pattern.mkey !== 0 && (pattern.mkey & entry.mkey) === 0) return false;
    if (pattern.auth !== 0 && (pattern.auth & entry.auth) === 0) return false;
    if (pattern.enc !== 0 && (pattern.enc & entry.enc) === 0) return false;
    if (pattern.mac !== 0 && (pattern.mac & entry.mac) === 0) return false;
    if (pattern.minTls !== 0 && pattern.minTls !== entry.minTls) return false;
    const strong = pattern.strength & strongMask;
    if (strong !== 0 && (strong & entry.strength) === 0) return false;
    const notDefault = pattern.strength & sNOT_DEFAULT;
    if (notDefault !== 0 && (notDefault & entry.strength) === 0) return false;
    return true;
  };
}

let initialOrder: readonly SuiteEntry[] | undefined;

/** The list before any string is applied: OpenSSL's built-in preference order, all inactive. */
function initialList(): CipherList {
  // The built-in order never changes: compute it once per process.
  initialOrder ??= buildInitialList().order;
  return new CipherList(initialOrder);
}

function buildInitialList(): CipherList {
  const list = new CipherList(tls12Entries);
  const any = alias({});
  const add = (pattern: Partial<Pattern>) => list.apply('add', matcher(alias(pattern), undefined));
  const order = (pattern: Partial<Pattern>) => list.apply('order', matcher(alias(pattern), undefined));
  const bump = (pattern: Partial<Pattern>) => list.apply('bump', matcher(alias(pattern), undefined));
  // ECDHE first, ECDSA before RSA; then AES-GCM, ChaCha20, other AES; then the rest.
  add({ mkey: kECDHE, auth: aECDSA });
  add({ mkey: kECDHE });
  list.apply('delete', matcher(alias({ mkey: kECDHE }), undefined));
  add({ enc: eAES128GCM | eAES256GCM });
  add({ enc: eCHACHA20 });
  add({ enc: eAES & ~(eAES128GCM | eAES256GCM) });
  list.apply('add', matcher(any, undefined));
  order({ mac: mMD5 });
  order({ auth: aNULL });
  order({ mkey: kRSA });
  order({ mkey: kPSK });
  order({ enc: eAbsent }); // RC4 to the end
  list.sortByStrength();
  // Prefer TLS 1.2 suites, then (EC)DHE + AEAD > (EC)DHE > AEAD > rest (bumped in reverse).
  bump({ minTls: TLS1_2 });
  bump({ mac: mAEAD });
  bump({ mkey: kDHE | kECDHE });
  bump({ mkey: kDHE | kECDHE, mac: mAEAD });
  list.apply('delete', matcher(any, undefined));
  return list;
}

function noCipherMatch(): ContextError {
  return opensslError('ERR_SSL_NO_CIPHER_MATCH', '0A0000B9', 'SSL routines', 'no cipher match');
}

function invalidCommand(): ContextError {
  return opensslError('ERR_SSL_INVALID_COMMAND', '0A000118', 'SSL routines', 'invalid command');
}

const isSeparator = (ch: string) => ch === ':' || ch === ' ' || ch === ',' || ch === ';';
const isWordChar = (ch: string) => /[A-Za-z0-9.=-]/.test(ch);

/** ssl_cipher_process_rulestr over `text`; returns the last @SECLEVEL seen, if any. */
function processRules(list: CipherList, text: string): number | undefined {
  let level: number | undefined;
  let at = 0;
  while (at < text.length) {
    const first = text[at]!;
    let operation: Operation | 'special' = 'add';
    if (first === '-') operation = 'delete';
    else if (first === '+') operation = 'order';
    else if (first === '!') operation = 'kill';
    else if (first === '@') operation = 'special';
    if (operation !== 'add') at++;
    else if (isSeparator(first)) {
      at++;
      continue;
    }
    const pattern = alias({});
    let target: SuiteEntry | undefined;
    let found = true;
    for (;;) {
      const start = at;
      while (at < text.length && isWordChar(text[at]!)) at++;
      const word = text.slice(start, at);
      if (word.length === 0) throw invalidCommand();
      if (operation === 'special') {
        if (word === 'STRENGTH') list.sortByStrength();
        else if (/^SECLEVEL=[0-5]$/.test(word)) level = Number(word.slice(9));
        else throw invalidCommand();
        found = false;
        break;
      }
      const cipher = byName.get(word);
      const part = cipher ?? aliases.get(word);
      if (part === undefined) {
        found = false;
        break;
      }
      if (cipher !== undefined) target = cipher;
      // An explicit suite's protocol version is not part of the pattern (ssl_ciph.c).
      if (!combine(pattern, cipher === undefined ? part : { ...part, minTls: 0 })) {
        found = false;
        break;
      }
      if (text[at] === '+') {
        at++;
        continue;
      }
      break;
    }
    // A rule that applied continues right after its last word (`ALL@SECLEVEL=5` is two rules);
    // a special or an unmatched rule throws the rest of its item away.
    if (found && operation !== 'special') list.apply(operation, matcher(pattern, target));
    else while (at < text.length && !isSeparator(text[at]!)) at++;
  }
  return level;
}

/** Narrows `pattern` by another alias, as `A+B` does; false when nothing can match both. */
function combine(pattern: Pattern, part: Pattern): boolean {
  for (const field of ['mkey', 'auth', 'enc', 'mac'] as const) {
    if (part[field] === 0) continue;
    if (pattern[field] === 0) pattern[field] = part[field];
    else {
      pattern[field] &= part[field];
      if (pattern[field] === 0) return false;
    }
  }
  const strong = part.strength & strongMask;
  if (strong !== 0) {
    if ((pattern.strength & strongMask) !== 0) {
      pattern.strength &= strong | ~strongMask;
      if ((pattern.strength & strongMask) === 0) return false;
    } else pattern.strength = strong; // an assignment in ssl_ciph.c: it drops a COMPLEMENTOFDEFAULT seen before
  }
  if ((part.strength & sNOT_DEFAULT) !== 0) pattern.strength |= sNOT_DEFAULT;
  if (part.minTls !== 0) {
    if (pattern.minTls !== 0 && pattern.minTls !== part.minTls) return false;
    pattern.minTls = part.minTls;
  }
  return true;
}

/** ssl_security_default_callback for ciphers: minimum bits per level, no SHA-1 MAC above 160 bits, forward secrecy from level 3. */
function allowedAtLevel(suite: CipherSuiteInfo, level: number): boolean {
  const minBits = [0, 80, 112, 128, 192, 256][level] ?? 0;
  if (suite.bits < minBits) return false;
  if (minBits > 160 && suite.cipherType === 'cbc' && suite.mac === 'sha1') return false;
  if (level >= 3 && suite.minVersion < 0x0304 && suite.keyExchange === 'rsa') return false;
  return true;
}

/** The result of a cipher string. */
export interface CipherSelection {
  /** Suite codepoints in preference order: TLS 1.3 first, then TLS 1.2 and below. */
  readonly suites: readonly number[];
  /** The `@SECLEVEL` in force (OpenSSL's default 1 when the string sets none). */
  readonly securityLevel: number;
}

/**
 * Evaluates an OpenSSL cipher list for the TLS 1.2 suites (`openssl ciphers` semantics).
 * @throws Error `ERR_SSL_INVALID_COMMAND` (a character or `@` command OpenSSL rejects).
 * @example evaluateCipherList('ECDHE+AESGCM:!ECDSA').suites.map(getCipherSuite)
 */
export function evaluateCipherList(text: string): {
  suites: CipherSuiteInfo[];
  securityLevel: number | undefined;
  /** Whether any OpenSSL suite is selected, implemented here or not (OpenSSL's own emptiness test). */
  selectsAny: boolean;
} {
  const list = initialList();
  let rest = text;
  let level: number | undefined;
  if (rest.startsWith('DEFAULT')) {
    level = processRules(list, opensslDefault);
    rest = rest.slice(7);
    if (rest.startsWith(':')) rest = rest.slice(1);
  }
  level = processRules(list, rest) ?? level;
  const active = list.order.filter((entry) => list.active.has(entry));
  return {
    suites: active.flatMap((entry) => (entry.suite === undefined ? [] : [entry.suite])),
    securityLevel: level,
    selectsAny: active.length > 0,
  };
}

/**
 * Evaluates Node's `ciphers` option the way Node hands it to OpenSSL: `TLS_*` entries (and
 * `!TLS_*`) form the TLS 1.3 list (SSL_CTX_set_ciphersuites), the rest the TLS 1.2 list
 * (SSL_CTX_set_cipher_list); without TLS 1.3 entries OpenSSL's TLS 1.3 default stays. Suites
 * the security level forbids are left out, as OpenSSL does when it builds a ClientHello.
 * @throws TypeError `ERR_INVALID_ARG_VALUE` when both lists are empty (Node); Error
 *   `ERR_SSL_NO_CIPHER_MATCH` when a non-empty list matches nothing, or nothing this stack
 *   implements; `ERR_SSL_INVALID_COMMAND` for syntax OpenSSL rejects.
 * @example selectCiphers('TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256').suites // [0x1301, 0xc02f]
 */
export function selectCiphers(ciphers: string, optionName = 'options.ciphers'): CipherSelection {
  // Contexts made per connect() mostly share one string: evaluate it once.
  return cachedBounded(selections, ciphers, 64, () => evaluateSelection(ciphers, optionName));
}

const selections = new Map<string, CipherSelection>();

function evaluateSelection(ciphers: string, optionName: string): CipherSelection {
  const parts = ciphers.split(':');
  const isTls13 = (part: string) => part.startsWith('TLS_') || part.startsWith('!TLS_');
  const tls13Parts = parts.filter((part) => part.length > 0 && isTls13(part));
  const tls12Parts = parts.filter((part) => part.length > 0 && !isTls13(part));
  if (tls13Parts.length === 0 && tls12Parts.length === 0) throw invalidArgValue(optionName, parts);

  let tls13: CipherSuiteInfo[] = [...defaultTls13Entries];
  if (tls13Parts.length > 0) {
    // SSL_CTX_set_ciphersuites: exact names; unknown ones are skipped; none at all is an error.
    const named = tls13Parts.filter((name) => tls13Entries.some((s) => s.opensslName === name));
    if (named.length === 0) throw noCipherMatch();
    tls13 = [];
    for (const name of named) {
      const suite = tls13Entries.find((s) => s.opensslName === name);
      if (suite !== undefined && !tls13.includes(suite)) tls13.push(suite);
    }
  }
  let tls12: CipherSuiteInfo[] = [];
  let level: number | undefined;
  if (tls12Parts.length > 0) {
    const evaluated = evaluateCipherList(tls12Parts.join(':'));
    // SSL_CTX_set_cipher_list fails only when no suite at all is left; one that selects only
    // suites OpenSSL has and this stack lacks (PSK, CAMELLIA, ...) leaves TLS 1.3 alone in use.
    if (!evaluated.selectsAny) throw noCipherMatch();
    tls12 = evaluated.suites;
    level = evaluated.securityLevel;
  }
  const securityLevel = level ?? 1;
  const suites = [...tls13, ...tls12]
    .filter((suite) => allowedAtLevel(suite, securityLevel))
    .map((s) => s.id);
  if (suites.length === 0) {
    throw Object.assign(noCipherMatch(), {
      message: `no cipher suite this TLS stack implements matches ciphers "${ciphers}"`,
    });
  }
  return Object.freeze({ suites: Object.freeze(suites), securityLevel });
}

/**
 * Every suite name in Node's `tls.getCiphers()` form: the OpenSSL names, lower case, sorted.
 * @example getCiphers().includes('ecdhe-rsa-aes128-gcm-sha256') // true
 */
export function getCiphers(): string[] {
  return [...new Set(registry.map((suite) => suite.opensslName.toLowerCase()))].sort();
}
