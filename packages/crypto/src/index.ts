// @tls/crypto: the provider interface and TLS codepoints. This entry is pure (no node:*); the
// node:crypto implementation is `@tls/crypto/node`, the deterministic test provider
// `@tls/crypto/deterministic`.

export { NamedGroup, SignatureScheme, namedGroupName, signatureSchemeName } from './constants.js';
export { CryptoError, hasErrorCode } from './errors.js';
export { createRc2Cbc, rc2EncryptBlock } from './rc2.js';
export type { Rc2Cbc } from './rc2.js';
export type { CryptoErrorCode } from './errors.js';
export type {
  AcceptedKeyShare,
  Aead,
  AeadAlgorithm,
  BlockCipher,
  BlockCipherAlgorithm,
  CryptoProvider,
  EcCurve,
  HashContext,
  HashName,
  HmacContext,
  KeyPairSpec,
  KeyShare,
  KeyType,
  PrfAlgorithm,
  PrivateKey,
  PrivateKeyInput,
  PublicKey,
  PublicKeyInput,
  SignatureParams,
} from './provider.js';
