/**
 * Whether a host name (a URL's `hostname`, or a bind address) stays on this machine: `localhost`,
 * 127.0.0.0/8 or `::1` (with or without brackets).
 */
export function isLoopback(host: string): boolean {
  const lower = host.toLowerCase();
  return (
    lower === "localhost" ||
    lower === "::1" ||
    lower === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(lower)
  );
}
