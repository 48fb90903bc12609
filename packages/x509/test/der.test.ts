import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DerReader,
  DerTag,
  type X509Error,
  decodeBase64,
  decodeOid,
  decodePem,
  encodeBase64,
  encodeInteger,
  encodeOid,
  encodePem,
  encodeSequence,
  encodeString,
  encodeTime,
  encodeTlv,
} from '@tls/x509';

function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s/g, ''), 'hex'));
}

function derError(fn: () => unknown): X509Error {
  try {
    fn();
  } catch (error) {
    return error as X509Error;
  }
  throw new Error('expected an error');
}

describe('DER reader', () => {
  it('returns views into the input, never copies', () => {
    const input = hex('30 06 02 01 05 04 01 aa');
    const reader = new DerReader(input);
    const sequence = reader.sequence('outer');
    reader.end('outer');
    const integer = sequence.integer('n');
    const octets = sequence.octetString('o');
    sequence.end('outer');
    expect(integer.buffer).toBe(input.buffer);
    expect(integer.byteOffset).toBe(4);
    expect([...octets]).toEqual([0xaa]);
    expect(octets.byteOffset).toBe(7);
  });

  it.each([
    ['indefinite length', '30 80 02 01 05 00 00', 'indefinite length', 1],
    ['long form for a short length', '04 81 01 aa', 'non-minimal length (long form', 1],
    ['leading zero length byte', `04 82 00 81${'aa'.repeat(0x81)}`, 'non-minimal length (leading zero)', 1],
    ['truncated contents', '04 05 aa', 'truncated element', 0],
  ])('rejects %s', (_name, bytes, message, offset) => {
    const error = derError(() => new DerReader(hex(bytes)).read('field.x'));
    expect(error.code).toBe('ERR_X509_DER');
    expect(error.message).toContain(message);
    expect(error.field).toBe('field.x');
    expect(error.offset).toBe(offset);
  });

  it('reports absolute offsets inside nested values', () => {
    // SEQUENCE { INTEGER 00 05 } — non-minimal integer at offset 4
    const error = derError(() => new DerReader(hex('30 04 02 02 00 05')).sequence('s').integer('s.version'));
    expect(error.code).toBe('ERR_X509_DER');
    expect(error.field).toBe('s.version');
    expect(error.offset).toBe(4);
    expect(error.message).toBe('s.version: non-minimal INTEGER encoding at byte offset 4');
  });

  it('rejects non-minimal negative integers and empty integers', () => {
    expect(derError(() => new DerReader(hex('02 02 ff 80')).integer('i')).message).toContain('non-minimal');
    expect(derError(() => new DerReader(hex('02 00')).integer('i')).message).toContain('empty INTEGER');
    expect([...new DerReader(hex('02 02 00 80')).integer('i')]).toEqual([0, 0x80]);
    expect([...new DerReader(hex('02 02 ff 7f')).integer('i')]).toEqual([0xff, 0x7f]);
  });

  it('rejects trailing bytes', () => {
    const reader = new DerReader(hex('05 00 00'));
    reader.null('n');
    const error = derError(() => reader.end('certificate'));
    expect(error.message).toBe('certificate: trailing bytes at byte offset 2');
  });

  it('rejects BOOLEAN other than 00/FF and bad BIT STRING padding', () => {
    expect(derError(() => new DerReader(hex('01 01 01')).boolean('b')).message).toContain('0x00 or 0xFF');
    expect(derError(() => new DerReader(hex('03 02 01 01')).bitString('b')).message).toContain('unused bits');
    expect(derError(() => new DerReader(hex('03 01 01')).bitString('b')).message).toContain('unused-bits');
    expect(new DerReader(hex('03 02 07 80')).bitString('b')).toMatchObject({ unusedBits: 7 });
  });

  it('checks string alphabets per type', () => {
    expect(
      new DerReader(encodeString('*.a&b', DerTag.PrintableString)).string('x', [DerTag.PrintableString]),
    ).toBe('*.a&b');
    const printable = encodeString('a@b', DerTag.PrintableString);
    const error = derError(() => new DerReader(printable).string('subject.CN', [DerTag.PrintableString]));
    expect(error.message).toBe('subject.CN: character not allowed in PrintableString at byte offset 3');
    expect(derError(() => new DerReader(hex('16 01 c3')).string('x', [DerTag.Ia5String])).message).toContain(
      'non-ASCII',
    );
    expect(derError(() => new DerReader(hex('0c 01 c3')).string('x', [DerTag.Utf8String])).message).toContain(
      'invalid UTF-8',
    );
    expect(derError(() => new DerReader(hex('02 01 00')).string('x', [DerTag.Utf8String])).message).toContain(
      'string type 0x02 not allowed',
    );
    expect(new DerReader(hex('1e 04 00 e9 00 41')).string('x', [DerTag.BmpString])).toBe('éA');
    expect(new DerReader(hex('0c 03 e2 82 ac')).string('x', [DerTag.Utf8String])).toBe('€');
  });

  it('decodes RFC 5280 times and rejects other forms', () => {
    const time = (text: string, tag: number = DerTag.UtcTime) =>
      new DerReader(encodeString(text, tag)).time('validity.notBefore');
    expect(time('091111095222Z')).toBe(Date.UTC(2009, 10, 11, 9, 52, 22));
    expect(time('500101000000Z')).toBe(Date.UTC(1950, 0, 1));
    expect(time('491231235959Z')).toBe(Date.UTC(2049, 11, 31, 23, 59, 59));
    expect(time('99991231235959Z', DerTag.GeneralizedTime)).toBe(Date.UTC(9999, 11, 31, 23, 59, 59));
    for (const bad of [
      '0911110952Z',
      '091111095222+0100',
      '091311095222Z',
      '090230095222Z',
      '09111109522aZ',
      '091111245222Z',
    ]) {
      const error = derError(() => time(bad));
      expect(error.code).toBe('ERR_X509_DER');
      expect(error.field).toBe('validity.notBefore');
    }
    expect(derError(() => time('20091111095222.5Z', DerTag.GeneralizedTime)).message).toContain(
      'YYYYMMDDHHMMSSZ',
    );
    expect(derError(() => time('2009111109522Z', DerTag.GeneralizedTime)).code).toBe('ERR_X509_DER');
    expect(new DerReader(encodeTime(Date.UTC(2049, 0, 1))).read('t').tag).toBe(DerTag.UtcTime);
    expect(new DerReader(encodeTime(Date.UTC(2050, 0, 1))).read('t').tag).toBe(DerTag.GeneralizedTime);
    expect(new DerReader(encodeTime(Date.UTC(2050, 0, 1, 12, 30, 1))).time('t')).toBe(
      Date.UTC(2050, 0, 1, 12, 30, 1),
    );
  });

  it('round-trips integers (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 200n), max: 1n << 200n }), (value) => {
        const bytes = new DerReader(encodeInteger(value)).integer('i');
        expect(BigInt.asIntN(bytes.length * 8, BigInt(`0x${Buffer.from(bytes).toString('hex')}`))).toBe(
          value,
        );
      }),
    );
  });

  it('never throws anything but X509Error on random input (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          const reader = new DerReader(bytes);
          while (reader.hasMore()) {
            const element = reader.read('x');
            if (element.tag & 0x20) new DerReader(element.contents, element.contentsOffset).read('y');
          }
        } catch (error) {
          expect((error as X509Error).code).toBe('ERR_X509_DER');
        }
      }),
    );
  });

  it('encodes long lengths minimally', () => {
    const long = encodeTlv(0x04, new Uint8Array(300));
    expect([...long.subarray(0, 4)]).toEqual([0x04, 0x82, 0x01, 0x2c]);
    expect([...encodeSequence([encodeInteger(0)])]).toEqual([0x30, 0x03, 0x02, 0x01, 0x00]);
    expect([...encodeInteger(128)]).toEqual([0x02, 0x02, 0x00, 0x80]);
    expect([...encodeInteger(-129)]).toEqual([0x02, 0x02, 0xff, 0x7f]);
  });
});

describe('OIDs', () => {
  it('encodes and decodes known OIDs', () => {
    expect([...encodeOid('1.2.840.113549.1.1.11')]).toEqual([...hex('2a864886f70d01010b')]);
    expect(decodeOid(hex('2a864886f70d01010b'))).toBe('1.2.840.113549.1.1.11');
    expect(decodeOid(hex('55 04 03'))).toBe('2.5.4.3');
    expect(decodeOid(hex('88 37 03'))).toBe('2.999.3');
    expect(decodeOid(hex('2b 06 01 04 01 d6 79 02 04 02'))).toBe('1.3.6.1.4.1.11129.2.4.2');
  });

  it('rejects non-minimal and truncated OIDs', () => {
    expect(derError(() => decodeOid(hex('2a 80 01'))).message).toContain('non-minimal');
    expect(derError(() => decodeOid(hex('2a 86'))).message).toContain('truncated');
    expect(derError(() => decodeOid(new Uint8Array(0))).message).toContain('empty');
  });

  it('round-trips (property)', () => {
    const arc = fc.bigInt({ min: 0n, max: 1n << 70n });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 39 }),
        fc.array(arc, { maxLength: 8 }),
        (a, b, rest) => {
          const oid = [a, b, ...rest].join('.');
          expect(decodeOid(encodeOid(oid))).toBe(oid);
        },
      ),
    );
  });
});

describe('PEM', () => {
  it('decodes several blocks and filters by label, like Buffer base64', () => {
    const one = new Uint8Array([1, 2, 3, 4, 5]);
    const two = Uint8Array.from({ length: 100 }, (_, i) => i * 7);
    const text = `junk before\n${encodePem('CERTIFICATE', one)}middle\n${encodePem('PRIVATE KEY', two)}${encodePem('CERTIFICATE', two)}`;
    const blocks = decodePem(text);
    expect(blocks.map((b) => b.label)).toEqual(['CERTIFICATE', 'PRIVATE KEY', 'CERTIFICATE']);
    expect([...blocks[1]!.der]).toEqual([...two]);
    expect(decodePem(text, 'CERTIFICATE').map((b) => b.der.length)).toEqual([5, 100]);
    expect(encodePem('X', two)).toBe(
      `-----BEGIN X-----\n${Buffer.from(two)
        .toString('base64')
        .match(/.{1,64}/g)!
        .join('\n')}\n-----END X-----\n`,
    );
  });

  it('reads RFC 1421 headers of traditional encrypted keys', () => {
    const text = `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233\n\nAQID\n-----END RSA PRIVATE KEY-----\n`;
    const [block] = decodePem(text);
    expect(block!.headers).toEqual({ 'Proc-Type': '4,ENCRYPTED', 'DEK-Info': 'AES-128-CBC,00112233' });
    expect([...block!.der]).toEqual([1, 2, 3]);
  });

  it('rejects bad armor and bad base64', () => {
    expect(derError(() => decodePem('-----BEGIN A-----\nAQID\n-----END B-----\n')).code).toBe('ERR_X509_PEM');
    expect(derError(() => decodePem('-----BEGIN A-----\nAQ*D\n-----END A-----\n')).message).toContain(
      'invalid base64',
    );
    expect(derError(() => decodeBase64('AQI')).code).toBe('ERR_X509_PEM');
  });

  it('base64 matches Buffer (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect([...decodeBase64(text)]).toEqual([...bytes]);
      }),
    );
  });
});

describe('UTF-8', () => {
  it('decodes UTF8String exactly like a fatal TextDecoder (property)', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 12 }),
          fc.string({ unit: 'grapheme' }).map((s) => new TextEncoder().encode(s)),
        ),
        (bytes) => {
          let expected: string | undefined;
          try {
            expected = decoder.decode(bytes);
          } catch {
            expected = undefined;
          }
          const element = encodeTlv(DerTag.Utf8String, bytes);
          let actual: string | undefined;
          try {
            actual = new DerReader(element).string('x', [DerTag.Utf8String]);
          } catch (error) {
            expect((error as X509Error).code).toBe('ERR_X509_DER');
          }
          expect(actual).toBe(expected);
        },
      ),
    );
  });

  it('encodes like TextEncoder (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const element = encodeString(text, DerTag.Utf8String);
        expect([...new DerReader(element).octetString('x', DerTag.Utf8String)]).toEqual([
          ...new TextEncoder().encode(text),
        ]);
      }),
    );
  });
});
