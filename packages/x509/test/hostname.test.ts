// checkServerIdentity against Node's own tls.checkServerIdentity on the same inputs.
import tls from 'node:tls';
import { canonicalizeIp, checkServerIdentity, formatIpv6, ipVersion, parseIp } from '@tls/x509/verify';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIP } from 'node:net';

type Cert = { subject?: Record<string, string | string[]>; subjectaltname?: string };

function compare(host: string, cert: Cert): void {
  const expected = tls.checkServerIdentity(host, cert as unknown as tls.PeerCertificate);
  const actual = checkServerIdentity(host, cert);
  if (expected === undefined) {
    expect(actual, `${host} vs ${JSON.stringify(cert)}`).toBeUndefined();
    return;
  }
  expect(actual, `${host} vs ${JSON.stringify(cert)}`).toBeDefined();
  const e = expected as Error & { code: string; reason: string; host: string; cert: unknown };
  expect(actual!.code).toBe(e.code);
  expect(actual!.reason).toBe(e.reason);
  expect(actual!.host).toBe(e.host);
  expect(actual!.message).toBe(e.message);
  expect(actual!.cert).toBe(cert);
  expect(actual!.name).toBe(e.name);
  expect(String(actual)).toBe(String(e));
  expect(Object.keys(actual!)).toEqual(Object.keys(e));
  expect(actual instanceof Error).toBe(true);
}

const dns = (...names: string[]) => ({
  subject: {},
  subjectaltname: names.map((n) => `DNS:${n}`).join(', '),
});
const cn = (name: string | string[]) => ({ subject: { CN: name } });

const table: [string, Cert][] = [
  ['example.com', dns('example.com')],
  ['EXAMPLE.com', dns('example.com')],
  ['example.com', dns('EXAMPLE.COM')],
  ['example.com.', dns('example.com')],
  ['example.com', dns('example.com.')],
  ['example.com..', dns('example.com')],
  ['www.example.com', dns('*.example.com')],
  ['WWW.Example.Com', dns('*.example.com')],
  ['example.com', dns('*.example.com')],
  ['a.b.example.com', dns('*.example.com')],
  ['.example.com', dns('*.example.com')],
  ['foo.com', dns('*.com')],
  ['foo.co.uk', dns('*.co.uk')],
  ['www.example.com', dns('w*.example.com')],
  ['www.example.com', dns('*w.example.com')],
  ['www.example.com', dns('ww*w.example.com')],
  ['ww.example.com', dns('ww*w.example.com')],
  ['www.example.com', dns('x*.example.com')],
  ['www.example.com', dns('**.example.com')],
  ['www.example.com', dns('*.*.com')],
  ['www.example.com', dns('www.*.com')],
  ['xn--bcher-kva.example.com', dns('xn--*.example.com')],
  ['xn--bcher-kva.example.com', dns('xn--bcher-kva.example.com')],
  ['www.example.com', dns('xn--*.example.com')],
  ['bücher.example.com', dns('bücher.example.com')],
  ['a.example.com', dns('a..example.com')],
  ['a example.com', dns('a example.com')],
  ['www.example.com', dns('')],
  ['www.example.com', dns('other.com', 'www.example.com')],
  ['www.example.com', dns('other.com', 'another.com')],
  ['example.com', cn('example.com')],
  ['www.example.com', cn('*.example.com')],
  ['example.com', cn(['a.com', 'example.com'])],
  ['example.com', cn(['a.com', 'b.com'])],
  ['example.com', { subject: { CN: 'example.com' }, subjectaltname: 'DNS:other.com' }],
  ['example.com', { subject: { CN: 'example.com' }, subjectaltname: 'IP Address:1.2.3.4' }],
  [
    'example.com',
    { subject: { CN: 'example.com' }, subjectaltname: 'email:a@example.com, URI:http://example.com' },
  ],
  ['example.com', { subject: {} }],
  ['example.com', {}],
  ['example.com', { subject: { O: 'x' }, subjectaltname: 'IP Address:1.2.3.4' }],
  ['1.2.3.4', { subject: {}, subjectaltname: 'IP Address:1.2.3.4' }],
  ['1.2.3.4', { subject: {}, subjectaltname: 'IP Address:1.2.3.5' }],
  ['1.2.3.4', { subject: { CN: '1.2.3.4' } }],
  ['1.2.3.4', dns('1.2.3.4')],
  ['1.2.3.4.', { subject: {}, subjectaltname: 'IP Address:1.2.3.4' }],
  ['01.2.3.4', { subject: {}, subjectaltname: 'IP Address:1.2.3.4' }],
  ['::1', { subject: {}, subjectaltname: 'IP Address:0:0:0:0:0:0:0:1' }],
  ['0:0::1', { subject: {}, subjectaltname: 'IP Address:0:0:0:0:0:0:0:1' }],
  ['::2', { subject: {}, subjectaltname: 'IP Address:0:0:0:0:0:0:0:1' }],
  ['2001:DB8::1', { subject: {}, subjectaltname: 'IP Address:2001:DB8:0:0:0:0:0:1' }],
  ['2001:db8:0:0:1:0:0:1', { subject: {}, subjectaltname: 'IP Address:2001:DB8:0:0:1:0:0:1' }],
  ['::ffff:1.2.3.4', { subject: {}, subjectaltname: 'IP Address:0:0:0:0:0:FFFF:102:304' }],
  ['::ffff:1.2.3.4', { subject: {}, subjectaltname: 'IP Address:1.2.3.4' }],
  ['1.2.3.4', { subject: {}, subjectaltname: 'IP Address:0:0:0:0:0:FFFF:102:304' }],
  ['fe80::1%eth0', { subject: {}, subjectaltname: 'IP Address:FE80:0:0:0:0:0:0:1' }],
  ['::1', dns('::1')],
  [
    '127.0.0.1',
    { subject: {}, subjectaltname: 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1' },
  ],
  ['localhost', { subject: {}, subjectaltname: 'DNS:localhost, IP Address:127.0.0.1' }],
  ['a,b.example', { subject: {}, subjectaltname: 'DNS:"a\\u002cb.example"' }],
  ['x.example', { subject: {}, subjectaltname: 'DNS:"a\\u002cb.example", DNS:x.example' }],
  ['evil.com', { subject: {}, subjectaltname: 'URI:"http://x, DNS:evil.com"' }],
  ['evil.com', { subject: {}, subjectaltname: 'DNS:good.com, DNS:evil.com\\, DNS:other' }],
  ['b', dns('b')],
  ['b', dns('*')],
  ['a.b', dns('*.b')],
  ['', dns('example.com')],
  ['', cn('')],
  ['example.com', cn('')],
  ['localhost', cn('localhost')],
  ['123', dns('123')],
  ['1.2.3', dns('1.2.3')],
  ['www.example.com', { subject: { CN: ['*.example.com'] }, subjectaltname: '' }],
];

describe('checkServerIdentity matches node:tls', () => {
  it(`agrees on a table of ${table.length} cases`, () => {
    expect(table.length).toBeGreaterThanOrEqual(60);
    let failures = 0;
    for (const [host, cert] of table) {
      compare(host, cert);
      if (tls.checkServerIdentity(host, cert as unknown as tls.PeerCertificate)) failures++;
    }
    // The table exercises both outcomes.
    expect(failures).toBeGreaterThan(20);
    expect(table.length - failures).toBeGreaterThan(20);
  });

  it('throws ERR_TLS_CERT_ALTNAME_FORMAT on a malformed quoted name, like Node', () => {
    const cert = { subject: {}, subjectaltname: 'DNS:"unterminated' };
    expect(() => tls.checkServerIdentity('x', cert as unknown as tls.PeerCertificate)).toThrow(
      expect.objectContaining({ code: 'ERR_TLS_CERT_ALTNAME_FORMAT' }),
    );
    expect(() => checkServerIdentity('x', cert)).toThrow(
      expect.objectContaining({ code: 'ERR_TLS_CERT_ALTNAME_FORMAT' }),
    );
  });

  it('agrees on random hosts and patterns (property)', () => {
    const label = fc.constantFrom('a', 'b', 'www', 'xn--p', '*', 'w*', '*b', 'A', 'B', '', '1', 'é');
    const name = fc.array(label, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.'));
    const dotted = fc.tuple(name, fc.boolean()).map(([n, dot]) => (dot ? `${n}.` : n));
    fc.assert(
      fc.property(dotted, fc.array(dotted, { maxLength: 3 }), fc.option(dotted), (host, sans, common) => {
        const cert: Cert = { subject: common === null ? {} : { CN: common } };
        if (sans.length > 0) cert.subjectaltname = sans.map((s) => `DNS:${s}`).join(', ');
        compare(host.replace(/\*/g, 'x'), cert);
      }),
      { numRuns: 500 },
    );
  });
});

describe('IP helpers', () => {
  it('ipVersion matches net.isIP', () => {
    for (const text of [
      '1.2.3.4',
      '01.2.3.4',
      '256.1.1.1',
      '::',
      '::1',
      '1::',
      'fe80::1%eth0',
      '1:2:3:4:5:6:7:8',
      '1:2:3:4:5:6:7:8:9',
      '::ffff:1.2.3.4',
      'x',
      '1.2.3',
      '',
      ':::1',
      '1::2::3',
    ]) {
      expect(ipVersion(text), text).toBe(isIP(text));
    }
  });

  it('formats IPv6 like inet_ntop (property, against URL host canonicalization for non-mapped forms)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(0, 0, 0, 1, 0xffff, 0xabc), { minLength: 8, maxLength: 8 }),
        (words) => {
          const text = words.map((w) => w.toString(16)).join(':');
          const bytes = parseIp(text)!;
          expect(bytes).toHaveLength(16);
          const formatted = formatIpv6(bytes);
          expect([...parseIp(formatted)!]).toEqual([...bytes]);
          if (!formatted.includes('.'))
            expect(formatted).toBe(new URL(`http://[${text}]/`).hostname.slice(1, -1));
        },
      ),
    );
    expect(canonicalizeIp('::ffff:1.2.3.4')).toBe('::ffff:1.2.3.4');
    expect(canonicalizeIp('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(canonicalizeIp('0:0:0:0:0:0:1.2.3.4')).toBe('::1.2.3.4');
    expect(canonicalizeIp('2001:DB8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
  });
});
