/**
 * A fix in prose with the commands in it shown as code (with Copy): `on the
 * engine's host, as root: sysctl -w vm.max_map_count=262144 (and to keep it…: echo … > /etc/sysctl.d/…)`.
 */
const COMMAND = /\b(?:sudo|sysctl|echo|docker|systemctl|kill) [^()]*?(?=\s*(?:\(|\)|$|;|, ))/g;

export function fixParts(fix: string): { text: string; code: boolean }[] {
  const out: { text: string; code: boolean }[] = [];
  let at = 0;
  for (const m of fix.matchAll(COMMAND)) {
    if (m.index > at) out.push({ text: fix.slice(at, m.index), code: false });
    out.push({ text: m[0], code: true });
    at = m.index + m[0].length;
  }
  if (at < fix.length) out.push({ text: fix.slice(at), code: false });
  return out;
}
