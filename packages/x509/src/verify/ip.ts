// IP literal parsing and formatting in pure code: Node's net.isIPv4/isIPv6 grammar and libuv's
// uv_inet_pton/uv_inet_ntop (the BIND implementation, RFC 4291 §2.2 text forms), which Node's
// checkServerIdentity uses through canonicalizeIP.

const v4Segment = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const v4String = `(?:${v4Segment}\\.){3}${v4Segment}`;
const v6Segment = '(?:[0-9a-fA-F]{1,4})';
const ipv4Pattern = /* @__PURE__ */ new RegExp(`^${v4String}$`);
const ipv6Pattern = /* @__PURE__ */ new RegExp(
  '^(?:' +
    `(?:${v6Segment}:){7}(?:${v6Segment}|:)|` +
    `(?:${v6Segment}:){6}(?:${v4String}|:${v6Segment}|:)|` +
    `(?:${v6Segment}:){5}(?::${v4String}|(?::${v6Segment}){1,2}|:)|` +
    `(?:${v6Segment}:){4}(?:(?::${v6Segment}){0,1}:${v4String}|(?::${v6Segment}){1,3}|:)|` +
    `(?:${v6Segment}:){3}(?:(?::${v6Segment}){0,2}:${v4String}|(?::${v6Segment}){1,4}|:)|` +
    `(?:${v6Segment}:){2}(?:(?::${v6Segment}){0,3}:${v4String}|(?::${v6Segment}){1,5}|:)|` +
    `(?:${v6Segment}:){1}(?:(?::${v6Segment}){0,4}:${v4String}|(?::${v6Segment}){1,6}|:)|` +
    `(?::(?:(?::${v6Segment}){0,5}:${v4String}|(?::${v6Segment}){1,7}|:))` +
    ')(?:%[0-9a-zA-Z-.:]{1,})?$',
);

/**
 * Node's `net.isIP`: 4, 6 or 0.
 * @example ipVersion('::1') // 6
 */
export function ipVersion(text: string): 0 | 4 | 6 {
  if (ipv4Pattern.test(text)) return 4;
  if (ipv6Pattern.test(text)) return 6;
  return 0;
}

/**
 * inet_pton for IPv4 (four decimal octets, no leading zeros beyond one digit).
 * @example parseIpv4('10.0.0.1') // Uint8Array [10, 0, 0, 1]
 */
export function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part[0] === '0')) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    out[i] = value;
  }
  return out;
}

/**
 * inet_pton for IPv6, with an optional embedded IPv4 tail; a `%zone` suffix is ignored.
 * @example parseIpv6('::1')?.length // 16
 */
export function parseIpv6(input: string): Uint8Array | undefined {
  const text = input.includes('%') ? input.slice(0, input.indexOf('%')) : input;
  const out = new Uint8Array(16);
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string, allowV4Tail: boolean): number[] | undefined => {
    if (part === '') return [];
    const groups = part.split(':');
    const words: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i]!;
      if (allowV4Tail && i === groups.length - 1 && group.includes('.')) {
        const v4 = parseIpv4(group);
        if (!v4) return undefined;
        words.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
        words.push(Number.parseInt(group, 16));
      }
    }
    return words;
  };
  let words: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0]!, false);
    const tail = parseGroups(halves[1]!, true);
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseGroups(text, true);
    if (all === undefined || all.length !== 8) return undefined;
    words = all;
  }
  words.forEach((word, i) => {
    out[2 * i] = word >> 8;
    out[2 * i + 1] = word & 0xff;
  });
  return out;
}

/**
 * inet_ntop (libuv/BIND): lower-case hex, the longest run of >= 2 zero groups as `::`, embedded IPv4.
 * @example formatIpv6(parseIpv6('2001:DB8:0:0:1:0:0:1')!) // '2001:db8::1:0:0:1'
 */
export function formatIpv6(bytes: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((bytes[i]! << 8) | bytes[i + 1]!);
  let bestBase = -1;
  let bestLength = 0;
  let currentBase = -1;
  let currentLength = 0;
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (currentBase === -1) {
        currentBase = i;
        currentLength = 1;
      } else currentLength++;
    } else if (currentBase !== -1) {
      if (bestBase === -1 || currentLength > bestLength) {
        bestBase = currentBase;
        bestLength = currentLength;
      }
      currentBase = -1;
    }
  }
  if (currentBase !== -1 && (bestBase === -1 || currentLength > bestLength)) {
    bestBase = currentBase;
    bestLength = currentLength;
  }
  if (bestBase !== -1 && bestLength < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLength) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (
      i === 6 &&
      bestBase === 0 &&
      (bestLength === 6 ||
        (bestLength === 7 && words[7] !== 0x0001) ||
        (bestLength === 5 && words[5] === 0xffff))
    ) {
      out += `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
      break;
    }
    out += words[i]!.toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLength === 8) out += ':';
  return out;
}

/**
 * Node's canonicalizeIP: the inet_ntop form of an IPv4 or IPv6 literal, or undefined.
 * @example canonicalizeIp('0:0:0:0:0:0:0:1') // '::1'
 */
export function canonicalizeIp(text: string): string | undefined {
  const v4 = parseIpv4(text);
  if (v4) return `${v4[0]}.${v4[1]}.${v4[2]}.${v4[3]}`;
  const v6 = parseIpv6(text);
  return v6 ? formatIpv6(v6) : undefined;
}

/**
 * The address bytes of an IP literal (4 or 16 bytes), or undefined.
 * @example parseIp('192.0.2.1') // Uint8Array [192, 0, 2, 1]
 */
export function parseIp(text: string): Uint8Array | undefined {
  return parseIpv4(text) ?? parseIpv6(text);
}
