/** The `[env]` segment as the registry knows it; undefined when it is not valid percent-encoding. */
export function envParam(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
