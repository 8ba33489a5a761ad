import { isIP } from 'node:net';

const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** A host name, an IPv4 address or a bracketed IPv6 address, with an optional `:port`. Nothing else: no scheme, path, user info. */
export function isHostPort(value: string): boolean {
  if (value.length === 0 || value.length > 260) return false;
  let host = value;
  let port: string | undefined;
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0) return false;
    host = value.slice(1, end);
    const rest = value.slice(end + 1);
    if (rest) {
      if (!rest.startsWith(':')) return false;
      port = rest.slice(1);
    }
    if (isIP(host) !== 6) return false;
  } else {
    const colon = value.lastIndexOf(':');
    if (colon >= 0) {
      host = value.slice(0, colon);
      port = value.slice(colon + 1);
    }
    if (isIP(host) !== 4) {
      const labels = host.split('.');
      if (host.length > 253 || labels.some((l) => !LABEL.test(l))) return false;
    }
  }
  if (port !== undefined) {
    if (!/^\d{1,5}$/.test(port)) return false;
    const n = Number(port);
    if (n < 1 || n > 65535) return false;
  }
  return true;
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
