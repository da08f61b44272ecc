// JSX typings for <robokassa-checkout> in React 19, which sets properties on custom elements and
// adds a listener for an `on<event>` prop. Enable with:  import type {} from 'robokassa-checkout/jsx-react';
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { RobokassaCheckout } from '../checkout/checkout.js';
import type { RobokassaCheckoutProps } from './props.js';

export type { RobokassaCheckoutProps };

/** The element's props plus React's own (key, ref, className, style, children, DOM handlers). */
export type RobokassaCheckoutReactProps = Omit<DetailedHTMLProps<HTMLAttributes<RobokassaCheckout>, RobokassaCheckout>, keyof RobokassaCheckoutProps> & RobokassaCheckoutProps;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'robokassa-checkout': RobokassaCheckoutReactProps;
    }
  }
}
