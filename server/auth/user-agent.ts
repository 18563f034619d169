/**
 * A session's device in a few words ("Chrome on Linux") from its User-Agent,
 * for the sessions list. Pure; the order of the checks matters, as most
 * browsers also claim to be the ones before them ("… Chrome/… Safari/…").
 */
export const USER_AGENT_MAX = 512;

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\b(?:OPR|Opera)\//, "Opera"],
  [/\bVivaldi\//, "Vivaldi"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\b(?:Firefox|FxiOS)\//, "Firefox"],
  [/\b(?:HeadlessChrome|Chrome|Chromium|CriOS)\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
  [/\bcurl\//, "curl"],
  [/\bWget\//, "Wget"],
  [/^node\b|\bundici\b/i, "Node.js"],
];

const SYSTEMS: [RegExp, string][] = [
  [/\b(?:iPhone|iPad|iPod)\b/, "iOS"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b|\bX11\b/, "Linux"],
];

/** "Chrome on Linux", "Firefox", "Windows", or "Unknown device". */
export function deviceSummary(userAgent: string | null | undefined): string {
  const ua = (userAgent ?? "").slice(0, USER_AGENT_MAX);
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[1];
  const system = SYSTEMS.find(([re]) => re.test(ua))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? "Unknown device";
}

/** What is kept of a sign-in's User-Agent: bounded, printable. */
export function storedUserAgent(userAgent: string | null | undefined): string | null {
  const ua = (userAgent ?? "").replace(/[^\x20-\x7e]/g, "").trim();
  return ua ? ua.slice(0, USER_AGENT_MAX) : null;
}
