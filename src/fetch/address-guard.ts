// Refuses to connect to private, loopback and link-local addresses unless they
// were explicitly allowed. Government hosts never live there; a config or a
// redirect pointing there is a mistake or an SSRF attempt. The check runs in
// the socket's DNS lookup, so a name that resolves to 10.x is caught too, not
// only literal IPs in URLs.
import dns from 'node:dns';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import { FetchError } from './errors.ts';

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
}

const V4_BLOCKS: Array<[string, number]> = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
];

export function isPrivateAddress(ip: string): boolean {
  if (net.isIPv4(ip)) {
    const n = ipv4ToInt(ip);
    return V4_BLOCKS.some(([base, bits]) => (n >>> (32 - bits)) === (ipv4ToInt(base) >>> (32 - bits)));
  }
  if (net.isIPv6(ip)) {
    const lower = ip.toLowerCase();
    if (lower === '::1' || lower === '::') return true;
    const mapped = lower.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
    if (mapped) return isPrivateAddress(mapped[1]);
    // fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast
    return /^(f[cd]|fe[89ab]|ff)/.test(lower);
  }
  return false;
}

export class AddressGuard {
  private readonly allowed: Set<string>;

  /** `allowed`: exact IP addresses that may be contacted even though private (e.g. 127.0.0.1 in tests). */
  constructor(allowed: Iterable<string> = []) {
    this.allowed = new Set(allowed);
  }

  allow(ip: string): void {
    this.allowed.add(ip);
  }

  check(ip: string, url: string): void {
    if (isPrivateAddress(ip) && !this.allowed.has(ip)) {
      throw new FetchError('private_address', url, `${ip} is a private/link-local address; pass it to --allow-private if you really mean to crawl it`);
    }
  }

  /** Literal-IP hosts never go through DNS, so they are checked here before connecting. */
  checkUrl(url: URL): void {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (net.isIP(host)) this.check(host, url.href);
  }

  /** A `lookup` for net.connect/tls.connect that rejects disallowed resolved addresses. */
  lookup(): LookupFunction {
    return (hostname, options, callback) => {
      dns.lookup(hostname, { ...options, all: false }, (err, address, family) => {
        if (err) return callback(err, '', 0);
        try {
          this.check(address as string, hostname);
        } catch (e) {
          return callback(e as NodeJS.ErrnoException, '', 0);
        }
        if ((options as { all?: boolean }).all) {
          (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: address as string, family: family as number }]);
        } else callback(null, address as string, family as number);
      });
    };
  }
}
