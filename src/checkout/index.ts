// The package entry: registers <robokassa-checkout> once (loading the script twice is harmless)
// and exports the class and its types.
import { RobokassaCheckout } from './checkout.js';

export const TAG = 'robokassa-checkout';

/** Registers the element under `tag` unless something already holds that name. */
export function define(tag: string = TAG): void {
  if (typeof customElements !== 'undefined' && !customElements.get(tag)) customElements.define(tag, RobokassaCheckout);
}

define();

export { RobokassaCheckout };
export { DEFAULT_TIMING, type Timing } from './flow.js';
export { formatMoney, resolveLang, DICTIONARIES, type CheckoutI18n, type CheckoutStrings, type Lang } from './i18n.js';
export { isInAppBrowser } from './in-app.js';
export type { FetchPaymentUrl } from './client.js';
export type * from './events.js';

declare global {
  interface HTMLElementTagNameMap {
    'robokassa-checkout': RobokassaCheckout;
  }
}
