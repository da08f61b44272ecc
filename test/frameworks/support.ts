// Shared by the framework tests: find the element a framework rendered, and pay with it for real
// (the element's own flow against the fake backend and payment window of test/checkout/helpers), so
// the rk-success a snippet listens to is the element's, not one the test dispatched.
import { waitUntil } from '@open-wc/testing';
import { RobokassaCheckout } from '../../src/checkout/index.js';
import { FakeBackend, FakeWindow, INVOICE_ID, stubOpen } from '../checkout/helpers.js';

export { INVOICE_ID };

/** The <robokassa-checkout> inside `container`, once the framework has rendered and the element upgraded. */
export async function rendered(container: ParentNode): Promise<RobokassaCheckout> {
  await waitUntil(() => container.querySelector('robokassa-checkout') instanceof RobokassaCheckout, 'no upgraded <robokassa-checkout> rendered');
  const el = container.querySelector('robokassa-checkout') as RobokassaCheckout;
  await el.updateComplete;
  return el;
}

/** Pays through the element (window, backend, status poll) and returns when pay() has settled. */
export async function payForReal(el: RobokassaCheckout): Promise<void> {
  const backend = new FakeBackend().install();
  backend.status = 'paid';
  const open = stubOpen(new FakeWindow());
  try {
    const result = await el.pay();
    if (result.status !== 'success') throw new Error(`payment ended ${JSON.stringify(result)}`);
  } finally {
    open.restore();
    backend.restore();
  }
}

/** A README snippet, compiled by test/frameworks/snippets-plugin.mjs (`<!-- snippet: NAME -->` in README.md). */
export function snippet<T>(name: string): Promise<T> {
  return import(/* @vite-ignore */ `/__snippets/${name}.js`) as Promise<T>;
}

export function container(): HTMLElement {
  const div = document.createElement('div');
  document.body.append(div);
  return div;
}
