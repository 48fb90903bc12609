// The ticket protection of RFC 5077 §4 with a 48-byte key (Node's getTicketKeys layout): sealed
// tickets open with the same key only, a tampered ticket opens to nothing, and the key made once
// per key array follows changes made to that array in place.
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { describe, expect, it } from 'vitest';
import { TicketKey } from '../src/resumption/ticket-keys.js';

const provider = createNodeCryptoProvider();
const state = new TextEncoder().encode('session state: version, suite, secret, times');

describe('ticket keys', () => {
  it('opens what it sealed, and nothing tampered with or sealed under another key', () => {
    const keys = provider.random(48);
    const ticket = TicketKey.for(provider, keys).seal(state);
    expect(TicketKey.for(provider, keys).open(ticket)).toEqual(state);
    for (const at of [0, 16, 40, ticket.length - 1]) {
      const tampered = ticket.slice();
      tampered[at]! ^= 1;
      expect(TicketKey.for(provider, keys).open(tampered)).toBeUndefined();
    }
    expect(TicketKey.for(provider, provider.random(48)).open(ticket)).toBeUndefined();
  });

  it('is made once per key array and provider, and again when the array changes in place', () => {
    const keys = provider.random(48);
    const key = TicketKey.for(provider, keys);
    expect(TicketKey.for(provider, keys)).toBe(key);
    expect(TicketKey.for(createNodeCryptoProvider(), keys)).not.toBe(key);
    const ticket = TicketKey.for(provider, keys).seal(state);
    keys.set(provider.random(48));
    expect(TicketKey.for(provider, keys)).not.toBe(key);
    expect(TicketKey.for(provider, keys).open(ticket)).toBeUndefined();
  });
});
