// RFC 8448 §3 (simple 1-RTT handshake): every protected record of the trace is opened and sealed
// again byte for byte, with keys derived from the printed traffic secrets (RFC 8446 §7.3).
import { createNodeCryptoProvider } from '@tls/crypto/node';
import {
  ContentType,
  RecordReader,
  RecordWriter,
  createTls13Protection,
  createTls13ProtectionFromKey,
} from '@tls/record';
import { describe, expect, it } from 'vitest';
import { hex, rfc8448Step } from './rfc8448';

const provider = createNodeCryptoProvider();
const suite = { aead: 'aes-128-gcm', hash: 'sha256' } as const;

/** The traffic secret ("PRK") and expected key/iv of a "derive ... traffic keys" step. */
function trafficKeys(heading: string) {
  const step = rfc8448Step(3, heading);
  return { secret: step.get('PRK'), key: step.get('key expanded'), iv: step.get('iv expanded') };
}

const serverHandshake = trafficKeys('{server}  derive write traffic keys for handshake data');
const clientHandshake = trafficKeys('{server}  derive read traffic keys for handshake data');
const serverApplication = trafficKeys('{server}  derive write traffic keys for application data');
const clientApplication = trafficKeys('{client}  derive write traffic keys for application data');

/** Each protected record of §3 in order, with the keys and sequence number that protect it. */
const records = [
  {
    name: 'server EncryptedExtensions..Finished',
    step: ['{server}  send handshake record', 1],
    keys: serverHandshake,
    sequence: 0,
    type: ContentType.Handshake,
  },
  {
    name: 'client Finished',
    step: ['{client}  send handshake record', 1],
    keys: clientHandshake,
    sequence: 0,
    type: ContentType.Handshake,
  },
  {
    name: 'server NewSessionTicket',
    step: ['{server}  send handshake record', 2],
    keys: serverApplication,
    sequence: 0,
    type: ContentType.Handshake,
  },
  {
    name: 'client application data',
    step: ['{client}  send application_data record', 0],
    keys: clientApplication,
    sequence: 0,
    type: ContentType.ApplicationData,
  },
  {
    name: 'server application data',
    step: ['{server}  send application_data record', 0],
    keys: serverApplication,
    sequence: 1,
    type: ContentType.ApplicationData,
  },
  {
    name: 'client close_notify',
    step: ['{client}  send alert record', 0],
    keys: clientApplication,
    sequence: 1,
    type: ContentType.Alert,
  },
  {
    name: 'server close_notify',
    step: ['{server}  send alert record', 0],
    keys: serverApplication,
    sequence: 2,
    type: ContentType.Alert,
  },
] as const;

describe('RFC 8448 §3 protected records', () => {
  it('derives each printed key and iv from its traffic secret', () => {
    for (const keys of [serverHandshake, clientHandshake, serverApplication, clientApplication]) {
      expect(hex(provider.hkdfExpandLabel('sha256', keys.secret, 'key', new Uint8Array(0), 16))).toBe(
        hex(keys.key),
      );
      expect(hex(provider.hkdfExpandLabel('sha256', keys.secret, 'iv', new Uint8Array(0), 12))).toBe(
        hex(keys.iv),
      );
    }
  });

  for (const record of records) {
    const step = rfc8448Step(3, record.step[0], record.step[1]);
    const payload = step.get('payload');
    const complete = step.get('complete record');

    it(`opens the ${record.name} record (${complete.length} bytes)`, () => {
      const reader = new RecordReader();
      reader.setProtection(createTls13Protection(provider, suite, record.keys.secret));
      reader.sequence.set(0, record.sequence);
      reader.push(complete);
      const event = reader.read();
      if (event?.kind !== 'record') throw new Error(`expected a record, got ${JSON.stringify(event)}`);
      expect([event.contentType, event.version, hex(event.fragment)]).toEqual([
        record.type,
        0x0303,
        hex(payload),
      ]);
      expect(reader.read()).toBeUndefined();
    });

    it(`seals the ${record.name} record byte for byte`, () => {
      const writer = new RecordWriter();
      writer.setProtection(
        createTls13ProtectionFromKey(provider, 'aes-128-gcm', record.keys.key, record.keys.iv),
      );
      writer.sequence.set(0, record.sequence);
      writer.write(record.type, payload);
      expect(hex(writer.takeOutputBuffer())).toBe(hex(complete));
    });
  }

  it('reads the whole server flight of application-key records one byte at a time', () => {
    const reader = new RecordReader();
    reader.setProtection(createTls13Protection(provider, suite, serverApplication.secret));
    const flight = [records[2], records[4], records[6]].map((record) =>
      rfc8448Step(3, record.step[0], record.step[1]),
    );
    const bytes = flight.flatMap((step) => Array.from(step.get('complete record')));
    const fragments: Uint8Array[] = [];
    for (const byte of bytes) {
      reader.push(Uint8Array.of(byte));
      for (let event = reader.read(); event !== undefined; event = reader.read()) {
        if (event.kind === 'error') throw event.error;
        fragments.push(event.fragment);
      }
    }
    expect(fragments.map(hex)).toEqual(flight.map((step) => hex(step.get('payload'))));
  });

  it('rejects the client application record under the server key with bad_record_mac', () => {
    const reader = new RecordReader();
    reader.setProtection(createTls13Protection(provider, suite, serverApplication.secret));
    reader.push(rfc8448Step(3, '{client}  send application_data record').get('complete record'));
    const event = reader.read();
    expect(event?.kind).toBe('error');
    expect(event?.kind === 'error' && event.error).toMatchObject({
      code: 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC',
      alert: 20,
    });
  });
});
