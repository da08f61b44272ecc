// Importing the class module defines nothing and touches no window (SSR-safe); only index.ts registers.
import { expect } from '@open-wc/testing';

describe('checkout.ts import', () => {
  it('has no side effects: the tag stays undefined until index.ts runs', async () => {
    const module = await import('../../src/checkout/checkout.js');
    expect(module.RobokassaCheckout).to.be.a('function');
    expect(customElements.get('robokassa-checkout')).to.equal(undefined);
    await import('../../src/checkout/index.js');
    expect(customElements.get('robokassa-checkout')).to.equal(module.RobokassaCheckout);
  });
});
