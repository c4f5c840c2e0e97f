import { BlockList, isIP } from 'node:net';

/**
 * Where build-time downloads may go. A deck anyone wrote names the URLs, so by default a
 * download reaches only public addresses: loopback, private, link-local, shared, multicast,
 * documentation and other special ranges are refused, checked on the address each connection
 * really goes to (every hop of a redirect, every name resolved). The project's `remoteHosts:`
 * (lectern.config.yaml, never a deck) allows named hosts (`intranet.example`, `*.example`) and
 * addresses or ranges (`127.0.0.1`, `10.0.0.0/8`, `::1`). Pure.
 */

const special: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.88.99.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001::', 23, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['2002::', 16, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['fec0::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

const refused = new BlockList();
for (const [net, prefix, type] of special) refused.addSubnet(net, prefix, type);

export interface AddressPolicy {
  /** Why a connection to `address` (for `host`) is refused, or null. */
  refuses(host: string, address: string): string | null;
}

/** The policy of a project's `remoteHosts:` list (validated by `allowedHostProblem`). */
export function addressPolicy(allowed: readonly string[] = []): AddressPolicy {
  const names: RegExp[] = [];
  const ranges = new BlockList();
  for (const entry of allowed) {
    const [address, bits] = entry.split('/');
    const type = isIP(address ?? '');
    if (type) {
      const family = type === 4 ? 'ipv4' : 'ipv6';
      if (bits === undefined) ranges.addAddress(address!, family);
      else ranges.addSubnet(address!, Number(bits), family);
    } else {
      const lower = entry.toLowerCase();
      const wildcard = lower.startsWith('*.');
      const base = (wildcard ? lower.slice(2) : lower).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(new RegExp(`^${wildcard ? '(?:[^.]+\\.)+' : ''}${base}\\.?$`));
    }
  }
  return {
    refuses(host, address) {
      const name = host.replace(/^\[|\]$/g, '').toLowerCase();
      // A name allows a name: never an address written as one (`*.0.0.1` is no range).
      if (!isIP(name) && names.some((re) => re.test(name))) return null;
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (ranges.check(address, family)) return null;
      if (!refused.check(address, family)) return null;
      return `${host === address ? address : `${host} is ${address}`}, a loopback, private or special address`;
    },
  };
}

/** What is wrong with an entry of `remoteHosts:`, or null. */
export function allowedHostProblem(entry: string): string | null {
  const [address, bits, more] = entry.split('/');
  const type = isIP(address ?? '');
  if (type) {
    if (more !== undefined) return 'an address or a range such as 10.0.0.0/8';
    if (bits === undefined) return null;
    const n = Number(bits);
    return /^\d+$/.test(bits) && n >= 0 && n <= (type === 4 ? 32 : 128) ? null : 'a range such as 10.0.0.0/8';
  }
  return /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(entry)
    ? null
    : 'a host name (example.org, *.example.org), an address or a range';
}
