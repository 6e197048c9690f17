const BASE = 'http://codechicks.invalid';

/**
 * `value` as a path on this site, or null for anything that could leave it
 * (`https://evil.example`, `//evil.example`, `/\evil.example`, `javascript:`…).
 */
export function safeNextPath(value: string | null | undefined): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\'))
    return null;
  if ([...value].some((char) => char.charCodeAt(0) < 0x20)) return null;
  try {
    const url = new URL(value, BASE);
    return url.origin === BASE ? url.pathname + url.search + url.hash : null;
  } catch {
    return null;
  }
}
