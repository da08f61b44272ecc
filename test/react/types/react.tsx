// Compile-only: what a React 19 + TypeScript page writes. `tsc -p test/react/types` must pass, and
// every @ts-expect-error below must really be an error (tsc fails on an unused one).
import { useRef } from 'react';
import type {} from 'robokassa-checkout/jsx-react';
import { RobokassaCheckout, RobokassaCheckoutElement } from 'robokassa-checkout/react';
import type { RkErrorEvent } from 'robokassa-checkout';

export function Direct(): React.JSX.Element {
  const ref = useRef<RobokassaCheckoutElement>(null);
  return (
    <>
      <robokassa-checkout
        ref={ref}
        endpoint="/robokassa"
        sku="course-basic"
        quantity={2}
        mode="popup"
        collectEmail
        i18n={{ pay: 'Buy' }}
        className="checkout"
        onrk-success={(e) => console.log(e.detail.invoiceId.toFixed(0), e.detail.id.trim())}
        onrk-error={(e: RkErrorEvent) => console.log(e.detail.code, e.detail.httpStatus)}
      />
      {/* server-rendered markup: the kebab-case attributes */}
      <robokassa-checkout endpoint="/robokassa" order-id="A-1" collect-email support-email="help@shop.example" />
      {/* @ts-expect-error mode is 'auto' | 'popup' | 'redirect' */}
      <robokassa-checkout mode="window" />
      {/* @ts-expect-error quantity is a number */}
      <robokassa-checkout quantity="2" />
      {/* @ts-expect-error rk-success's detail has no `code` */}
      <robokassa-checkout onrk-success={(e) => e.detail.code} />
      {/* @ts-expect-error no such property (a hyphenated name would be allowed: JSX never checks those) */}
      <robokassa-checkout skuId="x" />
    </>
  );
}

export function Wrapped(): React.JSX.Element {
  const ref = useRef<RobokassaCheckoutElement>(null);
  return (
    <>
      <RobokassaCheckout
        ref={ref}
        endpoint="/robokassa"
        sku="course-basic"
        onRkOpen={(e) => console.log(e.detail.mode satisfies 'popup' | 'redirect' | 'link')}
        onRkSuccess={(e) => console.log(e.detail.invoiceId.toFixed(0))}
        onRkError={(e) => console.log(e.detail.message)}
      />
      {/* @ts-expect-error disabled is a boolean */}
      <RobokassaCheckout disabled="yes" />
      {/* @ts-expect-error rk-start's detail has no `invoiceId` */}
      <RobokassaCheckout onRkStart={(e) => e.detail.invoiceId} />
    </>
  );
}

// the global maps: querySelector and addEventListener know the element and its events
const el = document.querySelector('robokassa-checkout');
el?.addEventListener('rk-fail', (e) => e.detail.invoiceId);
el?.pay().then((r) => r.status);
document.createElement('robokassa-checkout').orderId = 'A-1';
// @ts-expect-error rk-fail's detail has no `message`
el?.addEventListener('rk-fail', (e) => e.detail.message);
