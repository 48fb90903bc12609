// @tls/legacy-securepair: Node's deprecated createSecurePair (DEP0064), SecurePair and
// CryptoStream, for code that imports the legacy API by name. The implementation lives in
// @tls/socket (a duplex pair plus a TLSSocket), which also exports it as Node's v6 module did.

export type { SecurePairOptions } from '@tls/socket';
export { CryptoStream, SecurePair, createSecurePair, cryptoStreamPair } from '@tls/socket';
