// Compile-only: what a Preact + TypeScript page writes (jsxImportSource preact).
import type {} from 'robokassa-checkout/jsx-preact';
import type { RobokassaCheckout } from 'robokassa-checkout';

export function Checkout(props: { onPaid: (invoiceId: number) => void }) {
  return (
    <div>
      <robokassa-checkout
        ref={(el: RobokassaCheckout | null) => el?.focus()}
        endpoint="/robokassa"
        sku="course-basic"
        quantity={1}
        lang="kk"
        class="checkout"
        onrk-success={(e) => props.onPaid(e.detail.invoiceId)}
        onrk-cancel={(e) => e.detail.id}
      />
      {/* @ts-expect-error mode is 'auto' | 'popup' | 'redirect' */}
      <robokassa-checkout mode="tab" />
      {/* @ts-expect-error rk-cancel's detail has no `message` */}
      <robokassa-checkout onrk-cancel={(e) => e.detail.message} />
    </div>
  );
}
