export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** "3 minutes ago" from unix seconds. */
export function timeAgo(unixSeconds: number, now = Date.now()): string {
  const s = Math.max(0, Math.round(now / 1000 - unixSeconds));
  const steps: [number, string][] = [
    [60, "second"],
    [60, "minute"],
    [24, "hour"],
    [30, "day"],
    [12, "month"],
  ];
  let v = s;
  for (const [size, unit] of steps) {
    if (v < size) return `${v} ${unit}${v === 1 ? "" : "s"} ago`;
    v = Math.floor(v / size);
  }
  return `${v} year${v === 1 ? "" : "s"} ago`;
}
