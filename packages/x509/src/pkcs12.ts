// PKCS#12 / PFX files (RFC 7292): the PFX PDU (§4), the MAC (§5.1, keys from the KDF of
// Appendix B), the authenticated safe of data and encryptedData ContentInfos (§4.1, RFC 2315 §8
// and §13), safe bags (§4.2) with their friendlyName/localKeyId attributes, and the encryption
// schemes PKCS#12 files use: PBES2 (RFC 8018 §6.2, PBKDF2 + AES-CBC or 3DES-CBC) and the PKCS#12
// PBE schemes of Appendix C (SHA-1 with 3-key/2-key 3DES, 40-bit and 128-bit RC2). RC2 is the
// pure implementation of @tls/crypto (OpenSSL 3 has it only in its legacy provider). Creation
// writes what `openssl pkcs12 -export` writes by default (PBES2 AES-256-CBC, HMAC-SHA-256 MAC).
//
// OpenSSL, Java and Go write DER; Windows exports BER (indefinite lengths, constructed OCTET
// STRINGs), which der/ber.ts re-encodes as DER before each container is read. The MAC covers the
// authenticated safe's octets, which that re-encoding does not change. Certificates inside are
// still parsed as strict DER.

import { type CryptoProvider, type HashName, type PrivateKey, createRc2Cbc } from '@tls/crypto';
import { type Certificate, parseCertificate } from './certificate.js';
import { X509Error } from './errors.js';
import { berToDer } from './der/ber.js';
import { type DerElement, DerReader } from './der/reader.js';
import { Oid } from './der/oid.js';
import { DerTag, contextTag } from './der/tags.js';
import { encodeUtf8 } from './der/utf8.js';
import {
  concatBytes,
  encodeInteger,
  encodeNull,
  encodeObjectIdentifier,
  encodeOctetString,
  encodeSequence,
  encodeSetOf,
  encodeTlv,
} from './der/writer.js';
import { bytesEqual } from './name.js';
import { type AlgorithmIdentifier, parseAlgorithmIdentifier } from './public-key.js';

/** OIDs of PKCS#7 content types, PKCS#12 bags and attributes, and password-based encryption. */
const P12 = {
  Data: '1.2.840.113549.1.7.1',
  EncryptedData: '1.2.840.113549.1.7.6',
  KeyBag: '1.2.840.113549.1.12.10.1.1',
  ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  CertBag: '1.2.840.113549.1.12.10.1.3',
  SafeContentsBag: '1.2.840.113549.1.12.10.1.6',
  X509Certificate: '1.2.840.113549.1.9.22.1',
  FriendlyName: '1.2.840.113549.1.9.20',
  LocalKeyId: '1.2.840.113549.1.9.21',
  // RFC 7292 Appendix C
  ShaAnd128BitRc2: '1.2.840.113549.1.12.1.5',
  ShaAnd40BitRc2: '1.2.840.113549.1.12.1.6',
  ShaAnd3KeyTripleDes: '1.2.840.113549.1.12.1.3',
  ShaAnd2KeyTripleDes: '1.2.840.113549.1.12.1.4',
  // RFC 8018 Appendix A and B
  Pbes2: '1.2.840.113549.1.5.13',
  Pbkdf2: '1.2.840.113549.1.5.12',
  HmacWithSha1: '1.2.840.113549.2.7',
  HmacWithSha256: '1.2.840.113549.2.9',
  HmacWithSha384: '1.2.840.113549.2.10',
  HmacWithSha512: '1.2.840.113549.2.11',
  Aes128Cbc: '2.16.840.1.101.3.4.1.2',
  Aes256Cbc: '2.16.840.1.101.3.4.1.42',
  DesEde3Cbc: '1.2.840.113549.3.7',
} as const;

const digestByOid: Record<string, HashName> = {
  [Oid.Md5]: 'md5',
  [Oid.Sha1]: 'sha1',
  [Oid.Sha256]: 'sha256',
  [Oid.Sha384]: 'sha384',
  [Oid.Sha512]: 'sha512',
};

const hmacByOid: Record<string, HashName> = {
  [P12.HmacWithSha1]: 'sha1',
  [P12.HmacWithSha256]: 'sha256',
  [P12.HmacWithSha384]: 'sha384',
  [P12.HmacWithSha512]: 'sha512',
};

/** One certificate or key bag's attributes (RFC 7292 §4.2, PKCS#9). */
export interface Pkcs12BagAttributes {
  /** friendlyName (BMPString), e.g. the `-name` given to `openssl pkcs12 -export`. */
  readonly friendlyName: string | undefined;
  /** localKeyId: ties a certificate to its key. */
  readonly localKeyId: Uint8Array | undefined;
}

/** What a PKCS#12 file holds, as Node's `pfx` option uses it. */
export interface Pkcs12Contents {
  /** The first private key, imported through the provider; undefined when the file has none. */
  readonly privateKey: PrivateKey | undefined;
  /** That key's PKCS#8 DER (a secret: the caller owns it). */
  readonly privateKeyInfo: Uint8Array | undefined;
  /** The certificate of that key (same localKeyId, else the same public key). */
  readonly certificate: Certificate | undefined;
  /** Every other certificate, in file order (Node's extra CA certificates). */
  readonly ca: readonly Certificate[];
  /** Attributes of each certificate, in the order of `[certificate, ...ca]`. */
  readonly certificateAttributes: readonly Pkcs12BagAttributes[];
  /** The MAC's hash, or undefined for a file without a MAC (`openssl pkcs12 -nomac`). */
  readonly macHash: HashName | undefined;
}

export interface Pkcs12Options {
  /** The password. Absent or empty: both the empty password and no password are tried, as OpenSSL does. */
  passphrase?: string;
  /**
   * Largest MAC, KDF or PBKDF2 iteration count accepted (default 1,000,000; OpenSSL writes 2048),
   * so a hostile file cannot make parsing spin for hours.
   */
  maxIterations?: number;
}

function structureError(message: string): X509Error {
  return new X509Error('ERR_X509_PKCS12', `PKCS#12: ${message}`);
}

function unsupported(message: string): X509Error {
  return new X509Error('ERR_X509_UNSUPPORTED', `PKCS#12: ${message}`);
}

function badDecrypt(cause?: unknown): X509Error {
  // The code importPrivateKey (and node:crypto) give for a wrong passphrase.
  return new X509Error('ERR_OSSL_BAD_DECRYPT', 'bad decrypt', cause === undefined ? {} : { cause });
}

/** RFC 7292 Appendix B.1: the password as a BMPString with a two-byte NUL terminator. */
function bmpPassword(passphrase: string): Uint8Array {
  const out = new Uint8Array(passphrase.length * 2 + 2);
  for (let i = 0; i < passphrase.length; i++) {
    const unit = passphrase.charCodeAt(i);
    out[2 * i] = unit >> 8;
    out[2 * i + 1] = unit & 0xff;
  }
  return out;
}

const blockSizes: Record<HashName, number> = {
  md5: 64,
  sha1: 64,
  sha256: 64,
  sha384: 128,
  sha512: 128,
  'md5-sha1': 64,
};

/**
 * The PKCS#12 key derivation function (RFC 7292 Appendix B.2): `id` 1 derives encryption keys,
 * 2 IVs, 3 MAC keys. `password` is already in its BMPString form.
 * @example pkcs12Kdf(provider, 'sha1', bmp, salt, 2048, 1, 24)
 */
export function pkcs12Kdf(
  provider: CryptoProvider,
  hash: HashName,
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  id: 1 | 2 | 3,
  length: number,
): Uint8Array {
  const v = blockSizes[hash];
  const u = provider.hashLength(hash);
  // Step 1-4: D = id repeated v times; I = S || P, each repeated to a multiple of v bytes.
  const diversifier = new Uint8Array(v).fill(id);
  const fill = (source: Uint8Array) => {
    const out = new Uint8Array(v * Math.ceil(source.length / v));
    for (let i = 0; i < out.length; i++) out[i] = source[i % source.length]!;
    return out;
  };
  const input = concatBytes([fill(salt), fill(password)]);
  const output = new Uint8Array(length);
  const b = new Uint8Array(v);
  for (let offset = 0; offset < length; offset += u) {
    // Step 6a: A = H^r(D || I).
    let a = provider.hash(hash, [diversifier, input]);
    for (let r = 1; r < iterations; r++) a = provider.hash(hash, a);
    output.set(a.subarray(0, Math.min(u, length - offset)), offset);
    if (offset + u >= length) break;
    // Step 6b-c: B = A repeated to v bytes; every v-byte block I_j = (I_j + B + 1) mod 2^(8v).
    for (let i = 0; i < v; i++) b[i] = a[i % u]!;
    for (let block = 0; block < input.length; block += v) {
      let carry = 1;
      for (let i = v - 1; i >= 0; i--) {
        const sum = input[block + i]! + b[i]! + carry;
        input[block + i] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return output;
}

/** Removes PKCS#5 padding (RFC 8018 §6.1.1 step 4); a bad pad means a wrong password. */
function unpad(data: Uint8Array, blockSize: number): Uint8Array {
  const pad = data[data.length - 1];
  if (data.length === 0 || pad === undefined || pad < 1 || pad > blockSize) throw badDecrypt();
  for (let i = data.length - pad; i < data.length; i++) if (data[i] !== pad) throw badDecrypt();
  return data.subarray(0, data.length - pad);
}

interface Password {
  /** BMPString form for the PKCS#12 KDF. */
  readonly bmp: Uint8Array;
  /** UTF-8 form for PBKDF2. */
  readonly utf8: Uint8Array;
  readonly maxIterations: number;
}

function iterationCount(reader: DerReader, field: string, limit: number): number {
  const count = reader.smallInteger(field);
  if (count < 1) throw structureError(`${field} must be positive`);
  if (count > limit) throw unsupported(`${field} ${count} is above the limit of ${limit} (maxIterations)`);
  return count;
}

/** Decrypts `data` with a PBE AlgorithmIdentifier (RFC 7292 Appendix C or RFC 8018 PBES2). */
function decrypt(
  algorithm: AlgorithmIdentifier,
  data: Uint8Array,
  password: Password,
  provider: CryptoProvider,
): Uint8Array {
  const field = 'encryptionAlgorithm.parameters';
  if (algorithm.parameters === undefined || algorithm.parameters.tag !== DerTag.Sequence) {
    throw structureError(`${field} missing`);
  }
  const params = DerReader.of(algorithm.parameters);
  const pkcs12Schemes: Record<string, { key: number; cipher: 'des' | 'rc2' }> = {
    [P12.ShaAnd3KeyTripleDes]: { key: 24, cipher: 'des' },
    [P12.ShaAnd2KeyTripleDes]: { key: 16, cipher: 'des' },
    [P12.ShaAnd40BitRc2]: { key: 5, cipher: 'rc2' },
    [P12.ShaAnd128BitRc2]: { key: 16, cipher: 'rc2' },
  };
  const scheme = pkcs12Schemes[algorithm.oid];
  if (scheme !== undefined) {
    // RFC 7292 Appendix C: pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }
    const salt = params.octetString(`${field}.salt`);
    const iterations = iterationCount(params, `${field}.iterations`, password.maxIterations);
    params.end(field);
    const key = pkcs12Kdf(provider, 'sha1', password.bmp, salt, iterations, 1, scheme.key);
    const iv = pkcs12Kdf(provider, 'sha1', password.bmp, salt, iterations, 2, 8);
    if (data.length % 8 !== 0) throw badDecrypt();
    if (scheme.cipher === 'rc2') return unpad(createRc2Cbc(key, scheme.key * 8).decrypt(iv, data), 8);
    // Two-key 3DES is K1, K2, K1.
    const desKey = scheme.key === 24 ? key : concatBytes([key, key.subarray(0, 8)]);
    return unpad(provider.createBlockCipher('des-ede3-cbc', desKey).decrypt(iv, data), 8);
  }
  if (algorithm.oid !== P12.Pbes2) throw unsupported(`encryption algorithm ${algorithm.oid}`);
  // RFC 8018 Appendix A.4: PBES2-params ::= SEQUENCE { keyDerivationFunc, encryptionScheme }
  const kdf = parseAlgorithmIdentifier(
    params.read(`${field}.keyDerivationFunc`),
    `${field}.keyDerivationFunc`,
  );
  const encryption = parseAlgorithmIdentifier(
    params.read(`${field}.encryptionScheme`),
    `${field}.encryptionScheme`,
  );
  params.end(field);
  if (kdf.oid !== P12.Pbkdf2) throw unsupported(`key derivation function ${kdf.oid}`);
  if (kdf.parameters?.tag !== DerTag.Sequence) throw structureError('PBKDF2 parameters missing');
  // RFC 8018 Appendix A.2: PBKDF2-params
  const pbkdf2 = DerReader.of(kdf.parameters);
  const salt = pbkdf2.octetString('PBKDF2-params.salt');
  const iterations = iterationCount(pbkdf2, 'PBKDF2-params.iterationCount', password.maxIterations);
  const keyLength =
    pbkdf2.peekTag() === DerTag.Integer ? pbkdf2.smallInteger('PBKDF2-params.keyLength') : undefined;
  let prf: HashName = 'sha1';
  if (pbkdf2.hasMore()) {
    const prfAlgorithm = parseAlgorithmIdentifier(pbkdf2.read('PBKDF2-params.prf'), 'PBKDF2-params.prf');
    const hash = hmacByOid[prfAlgorithm.oid];
    if (hash === undefined) throw unsupported(`PBKDF2 PRF ${prfAlgorithm.oid}`);
    prf = hash;
  }
  pbkdf2.end('PBKDF2-params');
  const ciphers: Record<string, 'aes-128-cbc' | 'aes-256-cbc' | 'des-ede3-cbc'> = {
    [P12.Aes128Cbc]: 'aes-128-cbc',
    [P12.Aes256Cbc]: 'aes-256-cbc',
    [P12.DesEde3Cbc]: 'des-ede3-cbc',
  };
  const cipherName = ciphers[encryption.oid];
  if (cipherName === undefined) throw unsupported(`PBES2 encryption scheme ${encryption.oid}`);
  if (encryption.parameters?.tag !== DerTag.OctetString) throw structureError('PBES2 IV missing');
  const iv = encryption.parameters.contents;
  const size =
    cipherName === 'des-ede3-cbc'
      ? { key: 24, block: 8 }
      : { key: cipherName === 'aes-128-cbc' ? 16 : 32, block: 16 };
  if (keyLength !== undefined && keyLength !== size.key)
    throw structureError('PBKDF2 keyLength does not fit the cipher');
  if (iv.length !== size.block) throw structureError('PBES2 IV has the wrong length');
  if (data.length % size.block !== 0) throw badDecrypt();
  const key = provider.pbkdf2(prf, password.utf8, salt, iterations, size.key);
  return unpad(provider.createBlockCipher(cipherName, key).decrypt(iv, data), size.block);
}

/** Parses decrypted DER; garbage from a wrong password (no MAC to catch it) is a bad decrypt. */
function afterDecrypt<T>(parse: () => T, checked: boolean): T {
  if (checked) return parse();
  try {
    return parse();
  } catch (error) {
    throw badDecrypt(error);
  }
}

/** The single element inside a `[0] EXPLICIT` wrapper. */
function explicitContent(element: DerElement, field: string): DerElement {
  const reader = DerReader.of(element);
  const inner = reader.read(field);
  reader.end(field);
  return inner;
}

interface Bag {
  readonly type: 'key' | 'certificate';
  readonly der: Uint8Array;
  readonly attributes: Pkcs12BagAttributes;
}

function parseAttributes(reader: DerReader): Pkcs12BagAttributes {
  let friendlyName: string | undefined;
  let localKeyId: Uint8Array | undefined;
  if (reader.hasMore()) {
    const set = DerReader.of(reader.expect(DerTag.Set, 'SafeBag.bagAttributes'));
    while (set.hasMore()) {
      const attribute = set.sequence('PKCS12Attribute');
      const oid = attribute.oid('PKCS12Attribute.attrId');
      const values = DerReader.of(attribute.expect(DerTag.Set, 'PKCS12Attribute.attrValues'));
      attribute.end('PKCS12Attribute');
      if (oid === P12.FriendlyName && values.hasMore()) {
        friendlyName = values.string('friendlyName', [DerTag.BmpString]);
      } else if (oid === P12.LocalKeyId && values.hasMore()) {
        localKeyId = values.octetString('localKeyId');
      }
    }
  }
  return { friendlyName, localKeyId };
}

function parseSafeContents(
  der: Uint8Array,
  password: Password,
  provider: CryptoProvider,
  checked: boolean,
  bags: Bag[],
  depth = 0,
): void {
  const outer = new DerReader(der);
  const list = outer.sequence('SafeContents');
  outer.end('SafeContents');
  while (list.hasMore()) {
    const bag = list.sequence('SafeBag');
    const bagId = bag.oid('SafeBag.bagId');
    const value = explicitContent(bag.expect(contextTag(0, true), 'SafeBag.bagValue'), 'SafeBag.bagValue');
    const attributes = parseAttributes(bag);
    bag.end('SafeBag');
    if (bagId === P12.KeyBag) {
      bags.push({ type: 'key', der: value.encoded, attributes });
    } else if (bagId === P12.ShroudedKeyBag) {
      // RFC 5958 §3: EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData }
      const info = DerReader.of(value);
      const algorithm = parseAlgorithmIdentifier(info.read('encryptionAlgorithm'), 'encryptionAlgorithm');
      const encrypted = info.octetString('encryptedData');
      info.end('EncryptedPrivateKeyInfo');
      const decrypted = decrypt(algorithm, encrypted, password, provider);
      const plain = afterDecrypt(() => berToDer(decrypted), checked);
      afterDecrypt(() => new DerReader(plain).sequence('PrivateKeyInfo'), checked);
      bags.push({ type: 'key', der: plain, attributes });
    } else if (bagId === P12.CertBag) {
      const certBag = DerReader.of(value);
      const certId = certBag.oid('CertBag.certId');
      const certValue = explicitContent(
        certBag.expect(contextTag(0, true), 'CertBag.certValue'),
        'CertBag.certValue',
      );
      certBag.end('CertBag');
      // Other certificate types (SDSI) are skipped, as OpenSSL does.
      if (certId === P12.X509Certificate) {
        if (certValue.tag !== DerTag.OctetString)
          throw structureError('x509Certificate is not an OCTET STRING');
        bags.push({ type: 'certificate', der: certValue.contents, attributes });
      }
    } else if (bagId === P12.SafeContentsBag) {
      if (depth > 4) throw structureError('safeContentsBag nested too deeply');
      parseSafeContents(value.encoded, password, provider, checked, bags, depth + 1);
    }
    // CRL and secret bags carry nothing Node's pfx option uses.
  }
}

function macPasswords(passphrase: string | undefined): Uint8Array[] {
  // OpenSSL's PKCS12_parse: with no or an empty password, try "" (a lone terminator) and NULL.
  if (passphrase === undefined || passphrase === '') return [bmpPassword(''), new Uint8Array(0)];
  return [bmpPassword(passphrase)];
}

/**
 * Parses a PKCS#12 (PFX) file, checks its MAC in constant time, decrypts its key and certificate
 * bags and imports the key through the provider. A file without a MAC (`-nomac`) is read too; a
 * wrong password then shows as a bad decrypt.
 * @throws X509Error `ERR_X509_PKCS12_MAC` with message `'mac verify failure'` (Node's) for a wrong
 *   or missing password; `ERR_OSSL_BAD_DECRYPT` (`'bad decrypt'`) when a file without a MAC does
 *   not decrypt; `ERR_X509_PKCS12` for a structure that is not a PFX (version, content types);
 *   `ERR_X509_DER` for malformed or BER input; `ERR_X509_UNSUPPORTED` for an unknown MAC or
 *   encryption algorithm; from the provider, key import errors (`ERR_CRYPTO_INVALID_KEY`,
 *   `ERR_CRYPTO_UNSUPPORTED_ALGORITHM`).
 * @example
 * const { privateKey, certificate, ca } = parsePkcs12(fs.readFileSync('server.p12'), provider, {
 *   passphrase: 'secret',
 * });
 */
export function parsePkcs12(
  der: Uint8Array,
  provider: CryptoProvider,
  options: Pkcs12Options = {},
): Pkcs12Contents {
  const maxIterations = options.maxIterations ?? 1_000_000;
  const outer = new DerReader(berToDer(der));
  const pfx = outer.sequence('PFX');
  outer.end('PFX');
  // RFC 7292 §4: version INTEGER {v3(3)}
  const version = pfx.smallInteger('PFX.version');
  if (version !== 3) throw structureError(`unsupported PFX version ${version}`);
  const authSafe = pfx.sequence('PFX.authSafe');
  const contentType = authSafe.oid('authSafe.contentType');
  // Public-key integrity mode (signedData) is not used by any tool Node users meet.
  if (contentType !== P12.Data)
    throw unsupported(`authSafe content type ${contentType} (only password integrity)`);
  const authSafeContent = explicitContent(
    authSafe.expect(contextTag(0, true), 'authSafe.content'),
    'authSafe.content',
  );
  authSafe.end('PFX.authSafe');
  if (authSafeContent.tag !== DerTag.OctetString)
    throw structureError('authSafe content is not an OCTET STRING');
  const authenticated = authSafeContent.contents;

  let macHash: HashName | undefined;
  let macPassword: Uint8Array | undefined;
  if (pfx.hasMore()) {
    // RFC 7292 §4: MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
    const macData = pfx.sequence('PFX.macData');
    const digestInfo = macData.sequence('macData.mac');
    const algorithm = parseAlgorithmIdentifier(digestInfo.read('mac.digestAlgorithm'), 'mac.digestAlgorithm');
    const digest = digestInfo.octetString('mac.digest');
    digestInfo.end('macData.mac');
    const salt = macData.octetString('macData.macSalt');
    const iterations = macData.hasMore() ? iterationCount(macData, 'macData.iterations', maxIterations) : 1;
    macData.end('PFX.macData');
    const hash = digestByOid[algorithm.oid];
    if (hash === undefined) throw unsupported(`MAC algorithm ${algorithm.oid}`);
    macHash = hash;
    // RFC 7292 §5.1 and Appendix B.4: HMAC keyed by the KDF with ID 3, as long as the hash output.
    for (const candidate of macPasswords(options.passphrase)) {
      const key = pkcs12Kdf(provider, hash, candidate, salt, iterations, 3, provider.hashLength(hash));
      const expected = provider.hmac(hash, key, authenticated);
      if (provider.timingSafeEqual(expected, digest)) {
        macPassword = candidate;
        break;
      }
    }
    if (macPassword === undefined) throw new X509Error('ERR_X509_PKCS12_MAC', 'mac verify failure');
  }
  pfx.end('PFX');

  const passphrase = options.passphrase ?? '';
  const password: Password = {
    bmp: macPassword ?? bmpPassword(passphrase),
    utf8: encodeUtf8(passphrase),
    maxIterations,
  };
  const checked = macPassword !== undefined;
  const bags: Bag[] = [];
  // RFC 7292 §4.1: AuthenticatedSafe ::= SEQUENCE OF ContentInfo (data or encryptedData).
  const safes = new DerReader(berToDer(authenticated)).sequence('AuthenticatedSafe');
  while (safes.hasMore()) {
    const info = safes.sequence('AuthenticatedSafe.ContentInfo');
    const type = info.oid('ContentInfo.contentType');
    const content = explicitContent(
      info.expect(contextTag(0, true), 'ContentInfo.content'),
      'ContentInfo.content',
    );
    info.end('AuthenticatedSafe.ContentInfo');
    if (type === P12.Data) {
      if (content.tag !== DerTag.OctetString) throw structureError('data content is not an OCTET STRING');
      parseSafeContents(berToDer(content.contents), password, provider, true, bags);
    } else if (type === P12.EncryptedData) {
      // RFC 2315 §13: EncryptedData ::= SEQUENCE { version, encryptedContentInfo }
      const encryptedData = DerReader.of(content);
      encryptedData.smallInteger('EncryptedData.version');
      const contentInfo = encryptedData.sequence('EncryptedData.encryptedContentInfo');
      encryptedData.end('EncryptedData');
      const innerType = contentInfo.oid('encryptedContentInfo.contentType');
      if (innerType !== P12.Data) throw structureError(`encrypted content type ${innerType}`);
      const algorithm = parseAlgorithmIdentifier(
        contentInfo.read('encryptedContentInfo.contentEncryptionAlgorithm'),
        'contentEncryptionAlgorithm',
      );
      // encryptedContent [0] IMPLICIT OCTET STRING: primitive in DER, constructed (segments) in BER.
      let encrypted = contentInfo.optional(
        contextTag(0, false),
        'encryptedContentInfo.encryptedContent',
      )?.contents;
      const segmented = contentInfo.optional(contextTag(0, true), 'encryptedContentInfo.encryptedContent');
      if (segmented !== undefined) {
        const segments = DerReader.of(segmented);
        const parts: Uint8Array[] = [];
        while (segments.hasMore()) parts.push(segments.octetString('encryptedContent.segment'));
        encrypted = concatBytes(parts);
      }
      contentInfo.end('encryptedContentInfo');
      if (encrypted === undefined) continue;
      const plain = decrypt(algorithm, encrypted, password, provider);
      afterDecrypt(() => parseSafeContents(berToDer(plain), password, provider, checked, bags), checked);
    } else {
      throw unsupported(`authenticated safe content type ${type}`);
    }
  }

  const keyBag = bags.find((bag) => bag.type === 'key');
  const privateKey =
    keyBag === undefined
      ? undefined
      : provider.importPrivateKey({ key: keyBag.der, format: 'der', type: 'pkcs8' });
  const certificateBags = bags.filter((bag) => bag.type === 'certificate');
  const certificates = certificateBags.map((bag) => parseCertificate(bag.der));
  let index = -1;
  const keyId = keyBag?.attributes.localKeyId;
  if (keyId !== undefined) {
    index = certificateBags.findIndex(
      (bag) => bag.attributes.localKeyId !== undefined && bytesEqual(bag.attributes.localKeyId, keyId),
    );
  }
  if (index < 0 && privateKey !== undefined) {
    index = certificates.findIndex((certificate) =>
      bytesEqual(certificate.subjectPublicKeyInfo.encoded, privateKey.publicKey.spki),
    );
  }
  const order =
    index < 0
      ? certificateBags.map((_, i) => i)
      : [index, ...certificateBags.keys()].filter((i, n) => n === 0 || i !== index);
  return {
    privateKey,
    privateKeyInfo: keyBag?.der,
    certificate: index < 0 ? undefined : certificates[index],
    ca: certificates.filter((_, i) => i !== index),
    certificateAttributes: order.map((i) => certificateBags[i]!.attributes),
    macHash,
  };
}

export interface Pkcs12Template {
  readonly privateKey: PrivateKey;
  readonly certificate: Certificate;
  /** Extra certificates (the chain), written after the certificate. */
  readonly ca?: readonly Certificate[];
  readonly passphrase: string;
  /** friendlyName of the key and its certificate. */
  readonly friendlyName?: string;
  /** PBKDF2 and MAC iterations; default 2048, as OpenSSL. */
  readonly iterations?: number;
  /** `aes-256-cbc` (PBES2, default) or `none` (bags unencrypted, still MAC-protected). */
  readonly encryption?: 'aes-256-cbc' | 'none';
}

function encodeBmpString(text: string): Uint8Array {
  return encodeTlv(DerTag.BmpString, bmpPassword(text).subarray(0, text.length * 2));
}

function pbes2Encrypt(
  plain: Uint8Array,
  passphrase: string,
  iterations: number,
  provider: CryptoProvider,
): { algorithm: Uint8Array; encrypted: Uint8Array } {
  const salt = provider.random(8);
  const iv = provider.random(16);
  const key = provider.pbkdf2('sha256', encodeUtf8(passphrase), salt, iterations, 32);
  // RFC 8018 §6.1.1 step 4: PKCS#5 padding, always at least one byte.
  const pad = 16 - (plain.length % 16);
  const padded = concatBytes([plain, new Uint8Array(pad).fill(pad)]);
  const algorithm = encodeSequence([
    encodeObjectIdentifier(P12.Pbes2),
    encodeSequence([
      encodeSequence([
        encodeObjectIdentifier(P12.Pbkdf2),
        encodeSequence([
          encodeOctetString(salt),
          encodeInteger(iterations),
          encodeSequence([encodeObjectIdentifier(P12.HmacWithSha256), encodeNull()]),
        ]),
      ]),
      encodeSequence([encodeObjectIdentifier(P12.Aes256Cbc), encodeOctetString(iv)]),
    ]),
  ]);
  return { algorithm, encrypted: provider.createBlockCipher('aes-256-cbc', key).encrypt(iv, padded) };
}

function safeBag(bagId: string, value: Uint8Array, attributes: Pkcs12BagAttributes): Uint8Array {
  const encoded: Uint8Array[] = [];
  if (attributes.friendlyName !== undefined) {
    encoded.push(
      encodeSequence([
        encodeObjectIdentifier(P12.FriendlyName),
        encodeSetOf([encodeBmpString(attributes.friendlyName)]),
      ]),
    );
  }
  if (attributes.localKeyId !== undefined) {
    encoded.push(
      encodeSequence([
        encodeObjectIdentifier(P12.LocalKeyId),
        encodeSetOf([encodeOctetString(attributes.localKeyId)]),
      ]),
    );
  }
  return encodeSequence([
    encodeObjectIdentifier(bagId),
    encodeTlv(contextTag(0, true), value),
    ...(encoded.length > 0 ? [encodeSetOf(encoded)] : []),
  ]);
}

function dataContentInfo(content: Uint8Array): Uint8Array {
  return encodeSequence([
    encodeObjectIdentifier(P12.Data),
    encodeTlv(contextTag(0, true), encodeOctetString(content)),
  ]);
}

/**
 * Makes a PKCS#12 file of a key, its certificate and extra CA certificates, laid out as
 * `openssl pkcs12 -export` does: certificates in an encryptedData safe, the key in a
 * pkcs8ShroudedKeyBag, both PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC), a shared localKeyId (SHA-1
 * of the certificate), and an HMAC-SHA-256 MAC. Node's `pfx` option and OpenSSL read it.
 * @throws CryptoError from the provider when the key cannot be exported.
 * @example
 * const pfx = createPkcs12({ privateKey, certificate, ca: [intermediate], passphrase: 'secret' }, provider);
 */
export function createPkcs12(template: Pkcs12Template, provider: CryptoProvider): Uint8Array {
  const iterations = template.iterations ?? 2048;
  const encrypt = template.encryption !== 'none';
  const localKeyId = provider.hash('sha1', template.certificate.der);
  const certificateBags = [template.certificate, ...(template.ca ?? [])].map((certificate, index) =>
    safeBag(
      P12.CertBag,
      encodeSequence([
        encodeObjectIdentifier(P12.X509Certificate),
        encodeTlv(contextTag(0, true), encodeOctetString(certificate.der)),
      ]),
      index === 0
        ? { friendlyName: template.friendlyName, localKeyId }
        : { friendlyName: undefined, localKeyId: undefined },
    ),
  );
  const certificates = encodeSequence(certificateBags);
  let certificateSafe: Uint8Array;
  if (encrypt) {
    const { algorithm, encrypted } = pbes2Encrypt(certificates, template.passphrase, iterations, provider);
    // RFC 2315 §13: EncryptedData, version 0.
    certificateSafe = encodeSequence([
      encodeObjectIdentifier(P12.EncryptedData),
      encodeTlv(
        contextTag(0, true),
        encodeSequence([
          encodeInteger(0),
          encodeSequence([
            encodeObjectIdentifier(P12.Data),
            algorithm,
            encodeTlv(contextTag(0, false), encrypted),
          ]),
        ]),
      ),
    ]);
  } else {
    certificateSafe = dataContentInfo(certificates);
  }
  const keyInfo = provider.exportPrivateKey(template.privateKey);
  const attributes = { friendlyName: template.friendlyName, localKeyId };
  let keyBag: Uint8Array;
  if (encrypt) {
    const { algorithm, encrypted } = pbes2Encrypt(keyInfo, template.passphrase, iterations, provider);
    keyBag = safeBag(
      P12.ShroudedKeyBag,
      encodeSequence([algorithm, encodeOctetString(encrypted)]),
      attributes,
    );
  } else {
    keyBag = safeBag(P12.KeyBag, keyInfo, attributes);
  }
  const authenticatedSafe = encodeSequence([certificateSafe, dataContentInfo(encodeSequence([keyBag]))]);
  const salt = provider.random(8);
  const macKey = pkcs12Kdf(provider, 'sha256', bmpPassword(template.passphrase), salt, iterations, 3, 32);
  const mac = provider.hmac('sha256', macKey, authenticatedSafe);
  return encodeSequence([
    encodeInteger(3),
    dataContentInfo(authenticatedSafe),
    encodeSequence([
      encodeSequence([
        encodeSequence([encodeObjectIdentifier(Oid.Sha256), encodeNull()]),
        encodeOctetString(mac),
      ]),
      encodeOctetString(salt),
      encodeInteger(iterations),
    ]),
  ]);
}
