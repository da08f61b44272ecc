// IP address lists from the environment (ROBOKASSA_TRUST_PROXY, ROBOKASSA_RESULT_ALLOW): single
// addresses, CIDR ranges and a few named sets, matched with node:net's BlockList (IPv4, IPv6 and
// IPv4-mapped IPv6 alike).
import { BlockList, isIP } from 'node:net';

/** Where Robokassa sends ResultURL notifications from (its notifications page, RU and KZ alike). */
export const ROBOKASSA_NOTIFICATION_ADDRESSES = ['185.59.216.65', '185.59.217.65'] as const;

export const LOOPBACK = ['127.0.0.0/8', '::1'] as const;

/**
 * "127.0.0.1, 10.0.0.0/8, ::1" -> the entries, checked; names in `sets` expand to their addresses.
 * Throws an Error whose message says which entry is bad by its place, never by its text (a password
 * pasted into the wrong variable must not reach a log); the caller adds the variable's name.
 */
export function parseAddressList(text: string, sets: Record<string, readonly string[]> = {}): string[] {
  const out: string[] = [];
  const raws = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const [i, raw] of raws.entries()) {
    const which = raws.length === 1 ? 'the value' : `entry ${i + 1} of ${raws.length}`;
    const named = sets[raw.toLowerCase()];
    if (named !== undefined) {
      out.push(...named);
      continue;
    }
    const [address = '', prefix, extra] = raw.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    const names = Object.keys(sets);
    const expected = `an IP address or a CIDR range like 10.0.0.0/8${names.length > 0 ? ` (or ${names.join(', ')})` : ''}`;
    if (family === 0 || extra !== undefined) throw new Error(`${which} is not ${expected}`);
    if (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits)) throw new Error(`${which}: a CIDR prefix must be 0–${bits} for IPv${family}`);
    out.push(raw.toLowerCase());
  }
  return out;
}

/** The entries as a membership test; an address that isn't an IP (a forged header's junk) is never in. */
export function addressMatcher(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (address) => {
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/** ROBOKASSA_TRUST_PROXY as the test clientAddress takes; undefined when no proxy is trusted. */
export function proxyMatcher(trustProxy: readonly string[] | undefined): ((address: string) => boolean) | undefined {
  return trustProxy === undefined || trustProxy.length === 0 ? undefined : addressMatcher(trustProxy);
}
