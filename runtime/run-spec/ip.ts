/**
 * IPv4/IPv6 parsing without Node's `net`, so app/ can use it in the browser.
 */

interface ParsedIp {
  version: 4 | 6;
  value: bigint;
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p.startsWith("0"))) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseV6(text: string): bigint | undefined {
  let s = text;
  // A zone (fe80::1%eth0) does not take part in subnet arithmetic.
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  // An embedded IPv4 suffix (::ffff:10.0.0.1) stands for the last two groups.
  const lastColon = s.lastIndexOf(":");
  if (s.includes(".", lastColon)) {
    const v4 = parseV4(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === "" ? [] : h.split(":"));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const total = head.length + rest.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const all = [...head, ...Array(8 - total).fill("0"), ...rest];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return value;
}

export function parseIp(text: string): ParsedIp | undefined {
  const t = text.trim();
  if (t.includes(":")) {
    const value = parseV6(t.replace(/^\[(.*)\]$/, "$1"));
    return value === undefined ? undefined : { version: 6, value };
  }
  const value = parseV4(t);
  return value === undefined ? undefined : { version: 4, value };
}

export function isIp(text: string): boolean {
  return parseIp(text) !== undefined;
}

/** Whether `ip` lies inside `cidr` (`10.231.200.5` in `10.231.200.0/24`); false for malformed input or mixed families. */
export function ipInSubnet(ip: string, cidr: string): boolean {
  const slash = cidr.indexOf("/");
  if (slash < 0) return false;
  const addr = parseIp(ip);
  const net = parseIp(cidr.slice(0, slash));
  const prefixText = cidr.slice(slash + 1);
  if (!addr || !net || addr.version !== net.version || !/^\d{1,3}$/.test(prefixText)) return false;
  const bits = addr.version === 4 ? 32 : 128;
  const prefix = Number(prefixText);
  if (prefix > bits) return false;
  const shift = BigInt(bits - prefix);
  return addr.value >> shift === net.value >> shift;
}
