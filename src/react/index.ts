// robokassa-checkout/react: <robokassa-checkout> as a React component (via @lit/react), for React
// before 19 and for code that prefers onRkSuccess-style props. Importing it registers the element.
// With React 19 the element also works directly in JSX; see robokassa-checkout/jsx-react.
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { RobokassaCheckout as RobokassaCheckoutElement, TAG } from '../checkout/index.js';
import type { RkCancelEvent, RkErrorEvent, RkFailEvent, RkOpenEvent, RkStartEvent, RkSuccessEvent } from '../checkout/events.js';

export { RobokassaCheckoutElement };

/**
 * `<RobokassaCheckout endpoint="/robokassa" sku="course" onRkSuccess={(e) => e.detail.invoiceId} />`:
 * every property of the element is a prop, every `rk-*` event an `onRk*` prop, and `ref` is the element.
 */
export const RobokassaCheckout = createComponent({
  tagName: TAG,
  elementClass: RobokassaCheckoutElement,
  react: React,
  events: {
    onRkStart: 'rk-start' as EventName<RkStartEvent>,
    onRkOpen: 'rk-open' as EventName<RkOpenEvent>,
    onRkSuccess: 'rk-success' as EventName<RkSuccessEvent>,
    onRkFail: 'rk-fail' as EventName<RkFailEvent>,
    onRkCancel: 'rk-cancel' as EventName<RkCancelEvent>,
    onRkError: 'rk-error' as EventName<RkErrorEvent>,
  },
  displayName: 'RobokassaCheckout',
});
