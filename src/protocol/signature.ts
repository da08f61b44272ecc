// Signature base strings exactly as documented (robokassa-protocol.md §3.1, §4, §5.1).
// They contain a password: never log or return one; show maskPassword(base, password) instead.
import { compareCodeUnits } from './schemas.js';

/** `Name=value` pairs sorted by byte order of the whole pair (as Robokassa's official PHP SDK sorts). */
export function sortedShpPairs(shp: Readonly<Record<string, string>> | undefined): string[] {
  if (!shp) return [];
  return Object.entries(shp).map(([name, value]) => `${name}=${value}`).sort(compareCodeUnits);
}

/**
 * MerchantLogin:OutSum:InvId[:OutSumCurrency][:UserIp][:Receipt]:Password#1[:Shp_a=…:Shp_b=…].
 * `invId` "" when InvId is not sent (the field stays, empty); `receipt` is the already
 * URL-encoded JSON exactly as it will be sent.
 */
export function paymentSignatureBase(p: {
  merchantLogin: string; outSum: string; invId: string; outSumCurrency?: string; userIp?: string;
  receipt?: string; password1: string; shp?: Record<string, string>;
}): string {
  const parts = [p.merchantLogin, p.outSum, p.invId];
  if (p.outSumCurrency !== undefined && p.outSumCurrency !== '') parts.push(p.outSumCurrency);
  if (p.userIp !== undefined && p.userIp !== '') parts.push(p.userIp);
  if (p.receipt !== undefined && p.receipt !== '') parts.push(p.receipt);
  parts.push(p.password1, ...sortedShpPairs(p.shp));
  return parts.join(':');
}

/** OutSum:InvId:Password[:Shp_…] — ResultURL with Password #2, SuccessURL with Password #1; strings as received. */
export function callbackSignatureBase(p: { outSum: string; invId: string; password: string; shp?: Record<string, string> }): string {
  return [p.outSum, p.invId, p.password, ...sortedShpPairs(p.shp)].join(':');
}

/** MerchantLogin:InvoiceID:Password#2 — the OpStateExt request. */
export function opStateSignatureBase(p: { merchantLogin: string; invId: string; password2: string }): string {
  return [p.merchantLogin, p.invId, p.password2].join(':');
}

export const PASSWORD_MASK = '********';

/** Replaces every occurrence of each (non-empty) password, longest first, so a base string can be shown. */
export function maskPassword(base: string, ...passwords: string[]): string {
  const sorted = passwords.filter((p) => p.length > 0).sort((a, b) => b.length - a.length);
  let masked = base;
  for (const password of sorted) masked = masked.split(password).join(PASSWORD_MASK);
  return masked;
}
