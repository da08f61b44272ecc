// React 19 with the README's snippets (the element in JSX, and the robokassa-checkout/react wrapper),
// rendered by react-dom/client in Chromium; plus the wrapper's whole prop and event surface.
import { expect, waitUntil } from '@open-wc/testing';
import { createElement, createRef, type FunctionComponent } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { RobokassaCheckout as Wrapper, RobokassaCheckoutElement } from '../../src/react/index.js';
import { INVOICE_ID, container, payForReal, rendered, snippet } from '../frameworks/support.js';

interface PayProps { sku: string; onPaid: (invoiceId: number) => void }

describe('React 19', () => {
  let root: Root | undefined;
  afterEach(() => {
    root?.unmount();
    root = undefined;
  });

  for (const name of ['Pay.tsx', 'PayWrapped.tsx']) {
    it(`README ${name}: the element upgrades, gets its properties, and its rk-success reaches onPaid`, async () => {
      const { Pay } = await snippet<{ Pay: FunctionComponent<PayProps> }>(name);
      const host = container();
      const paid: number[] = [];
      root = createRoot(host);
      root.render(createElement(Pay, { sku: 'course-basic', onPaid: (id) => paid.push(id) }));
      const el = await rendered(host);
      expect(el.endpoint).to.equal('/robokassa');
      expect(el.sku).to.equal('course-basic');
      // set as a property, not stringified into an attribute
      expect(el.hasAttribute('sku')).to.equal(false);
      root.render(createElement(Pay, { sku: 'course-pro', onPaid: (id) => paid.push(id) }));
      await waitUntil(() => el.sku === 'course-pro', 'a new sku prop did not reach the element');
      await payForReal(el);
      expect(paid).to.deep.equal([INVOICE_ID]);
    });
  }

  it('the wrapper passes non-string properties, forwards ref, and maps all six events to onRk* props', async () => {
    const host = container();
    const ref = createRef<RobokassaCheckoutElement>();
    const seen: string[] = [];
    const handler = (e: Event): void => { seen.push(`${e.type}:${(e as CustomEvent<{ n: number }>).detail.n}`); };
    root = createRoot(host);
    flushSync(() => root!.render(createElement(Wrapper, {
      ref, endpoint: '/robokassa', sku: 'course-basic', quantity: 3, disabled: true, i18n: { pay: 'Buy' }, mode: 'redirect',
      onRkStart: handler, onRkOpen: handler, onRkSuccess: handler, onRkFail: handler, onRkCancel: handler, onRkError: handler,
    })));
    const el = await rendered(host);
    expect(ref.current).to.equal(el);
    expect([el.quantity, el.disabled, el.mode, el.i18n]).to.deep.equal([3, true, 'redirect', { pay: 'Buy' }]);
    expect(el.shadowRoot!.querySelector('[part=button]')!.textContent).to.contain('Buy');
    const names = ['rk-start', 'rk-open', 'rk-success', 'rk-fail', 'rk-cancel', 'rk-error'];
    names.forEach((type, n) => el.dispatchEvent(new CustomEvent(type, { detail: { n } })));
    expect(seen).to.deep.equal(names.map((type, n) => `${type}:${n}`));
  });
});
