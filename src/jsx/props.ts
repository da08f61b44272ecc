// What a JSX element <robokassa-checkout> accepts, shared by the React and Preact typings. Both
// frameworks set a prop as a property when the (defined) element has one, so the camelCase property
// names are the API; an `on<event>` prop becomes addEventListener('<event>').
import type { RobokassaCheckout } from '../checkout/checkout.js';
import type { CheckoutEventMap } from '../checkout/events.js';

/** The properties a page sets (the rest of the class is read-only or internal). */
export type RobokassaCheckoutProperties = Partial<Pick<RobokassaCheckout,
  'endpoint' | 'sku' | 'quantity' | 'orderId' | 'lang' | 'mode' | 'collectEmail' | 'email' | 'supportEmail' |
  'disabled' | 'amount' | 'currency' | 'i18n' | 'fetchPaymentUrl'>>;

/**
 * The kebab-case attributes, for markup rendered on a server (there the element is not defined yet,
 * so only attributes reach it); single-word attributes share the property's name.
 */
export interface RobokassaCheckoutAttributes {
  'order-id'?: string;
  'collect-email'?: boolean;
  'support-email'?: string;
}

/** `onrk-success={(e) => e.detail.invoiceId}`: one typed handler per event. */
export type RobokassaCheckoutEventProps = {
  [K in keyof CheckoutEventMap as `on${K}`]?: (event: CheckoutEventMap[K]) => void;
};

export type RobokassaCheckoutProps = RobokassaCheckoutProperties & RobokassaCheckoutAttributes & RobokassaCheckoutEventProps;
