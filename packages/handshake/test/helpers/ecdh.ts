// Shared secrets for the RFC 8448 key pairs, computed with node:crypto directly (the traces print
// private keys, which the provider's key-share interface never takes from outside).
import { createECDH, createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto';

function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

export function x25519(
  privateKey: Uint8Array,
  ownPublicKey: Uint8Array,
  peerPublicKey: Uint8Array,
): Uint8Array {
  const key = createPrivateKey({
    key: { kty: 'OKP', crv: 'X25519', d: b64url(privateKey), x: b64url(ownPublicKey) },
    format: 'jwk',
  });
  const peer = createPublicKey({
    key: { kty: 'OKP', crv: 'X25519', x: b64url(peerPublicKey) },
    format: 'jwk',
  });
  return new Uint8Array(diffieHellman({ privateKey: key, publicKey: peer }));
}

export function p256(privateKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(privateKey);
  return new Uint8Array(ecdh.computeSecret(peerPublicKey));
}
