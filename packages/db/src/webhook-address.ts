// Where a webhook may be sent. Only http and https URLs, and only to public addresses: a URL whose
// host is, or resolves to, a loopback, private, link-local, unspecified, multicast or otherwise
// reserved address would let whoever registers it make the server call into its own network
// (server-side request forgery). The host is checked when the endpoint is registered and again on
// every request, on the very addresses the request connects to (`checkedLookup`), so a name that
// resolves to a public address at registration and to 127.0.0.1 later (DNS rebinding) is refused.
// CHANCERY_WEBHOOK_ALLOW_PRIVATE=1 lifts the address rule (a receiver on the same machine or network).
import { type LookupAddress, lookup } from 'node:dns';
import { lookup as lookupAll } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

export class WebhookAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookAddressError';
  }
}

const URL_RULE = 'a webhook URL must be an absolute http:// or https:// URL, e.g. https://example.com/hooks';

/** The URL, parsed; a WebhookAddressError saying what is wrong and what is allowed. */
export function parseWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new WebhookAddressError(`${JSON.stringify(text.slice(0, 200))} is not a URL; ${URL_RULE}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new WebhookAddressError(`${url.protocol.replace(/:$/, '')} URLs are not allowed; ${URL_RULE}.`);
  if (url.username || url.password)
    throw new WebhookAddressError(
      `A webhook URL must not carry a user name or password; receivers check the signature instead (${URL_RULE}).`,
    );
  if (text.length > 2_000)
    throw new WebhookAddressError('A webhook URL may be at most 2000 characters long.');
  return url;
}

/** Why an address may not be called ("loopback", "private" …), or null for a public one. */
export function refusedRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  return range === 'unicast' ? null : range;
}

const refusal = (host: string, address: string, range: string) =>
  new WebhookAddressError(
    `${host === address ? `${host} is` : `${host} resolves to ${address},`} a ${range} address: webhooks are only sent to public addresses ` +
      '(set CHANCERY_WEBHOOK_ALLOW_PRIVATE=1 to allow loopback, private and link-local ones).',
  );

/** The URL's host names no address webhooks may not reach; resolves it (DNS) if it is a name. */
export async function checkWebhookHost(url: URL, options: { allowPrivate: boolean }): Promise<void> {
  if (options.allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: LookupAddress[];
  try {
    addresses = ipaddr.isValid(host)
      ? [{ address: host, family: host.includes(':') ? 6 : 4 }]
      : await lookupAll(host, { all: true });
  } catch (error) {
    throw new WebhookAddressError(
      `The host ${host} could not be resolved (${(error as NodeJS.ErrnoException).code ?? 'DNS error'}); a webhook URL must name a host that resolves to a public address.`,
    );
  }
  for (const { address } of addresses) {
    const range = refusedRange(address);
    if (range) throw refusal(host, address, range);
  }
}

/**
 * A `lookup` for node:http(s) requests that refuses the connection when any address the name
 * resolves to is not public: the check is on the addresses actually connected to.
 */
export function checkedLookup(options: { allowPrivate: boolean }) {
  return (
    hostname: string,
    lookupOptions: object,
    callback: (
      error: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void,
  ): void => {
    lookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      if (!options.allowPrivate)
        for (const { address } of addresses) {
          const range = refusedRange(address);
          if (range) return callback(refusal(hostname, address, range), []);
        }
      if ((lookupOptions as { all?: boolean }).all) return callback(null, addresses);
      const [first] = addresses;
      if (!first) return callback(new WebhookAddressError(`${hostname} resolves to no address.`), []);
      callback(null, first.address, first.family);
    });
  };
}

/** CHANCERY_WEBHOOK_ALLOW_PRIVATE: 1 or 0 (default); anything else is a clear error. */
export function webhookAllowPrivate(value: string | undefined): boolean {
  const text = value?.trim() ?? '';
  if (text === '' || text === '0') return false;
  if (text === '1') return true;
  throw new WebhookAddressError(
    'CHANCERY_WEBHOOK_ALLOW_PRIVATE: neither 1 nor 0; must be 1 (webhooks may go to loopback, private and link-local addresses) or 0 (public addresses only, the default)',
  );
}
