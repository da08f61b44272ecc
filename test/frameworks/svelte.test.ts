// Svelte 5: the README's Pay.svelte, compiled by svelte/compiler on the test server, mounted in Chromium.
import { expect } from '@open-wc/testing';
import { flushSync, mount, unmount, type Component } from 'svelte';
import { INVOICE_ID, container, payForReal, rendered, snippet } from './support.js';

interface PayProps { sku: string; onpaid: (invoiceId: number) => void }

describe('Svelte', function () {
  this.timeout(15_000);
  it('README Pay.svelte: the element upgrades, gets its properties, and its rk-success reaches onpaid', async () => {
    const { default: Pay } = await snippet<{ default: Component<PayProps> }>('Pay.svelte');
    const host = container();
    const paid: number[] = [];
    // (props given to mount() are fixed: runes such as $state exist only in Svelte-compiled files)
    const app = mount(Pay, { target: host, props: { sku: 'course-basic', onpaid: (id) => paid.push(id) } });
    try {
      flushSync();
      const el = await rendered(host);
      expect([el.endpoint, el.sku]).to.deep.equal(['/robokassa', 'course-basic']);
      // a property, not an attribute
      expect(el.hasAttribute('sku')).to.equal(false);
      await payForReal(el);
      expect(paid).to.deep.equal([INVOICE_ID]);
    } finally {
      void unmount(app);
    }
  });
});
