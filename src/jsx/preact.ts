// JSX typings for <robokassa-checkout> in Preact, which sets properties on custom elements and adds
// a listener for an `on<event>` prop. Enable with:  import type {} from 'robokassa-checkout/jsx-preact';
import type { HTMLAttributes } from 'preact';
import type { RobokassaCheckout } from '../checkout/checkout.js';
import type { RobokassaCheckoutProps } from './props.js';

export type { RobokassaCheckoutProps };

/** The element's props plus Preact's own (key, ref, class, style, children, DOM handlers). */
export type RobokassaCheckoutPreactProps = Omit<HTMLAttributes<RobokassaCheckout>, keyof RobokassaCheckoutProps> & RobokassaCheckoutProps;

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
      'robokassa-checkout': RobokassaCheckoutPreactProps;
    }
  }
}
