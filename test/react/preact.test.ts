// Preact with the README's snippet (jsxImportSource preact), rendered in Chromium.
import { expect, waitUntil } from '@open-wc/testing';
import { h, render, type FunctionComponent } from 'preact';
import { INVOICE_ID, container, payForReal, rendered, snippet } from '../frameworks/support.js';

interface PayProps { sku: string; onPaid: (invoiceId: number) => void }

describe('Preact', () => {
  it('README Pay.preact.tsx: the element upgrades, gets its properties, and its rk-success reaches onPaid', async () => {
    const { Pay } = await snippet<{ Pay: FunctionComponent<PayProps> }>('Pay.preact.tsx');
    const host = container();
    const paid: number[] = [];
    render(h(Pay, { sku: 'course-basic', onPaid: (id) => paid.push(id) }), host);
    const el = await rendered(host);
    expect([el.endpoint, el.sku]).to.deep.equal(['/robokassa', 'course-basic']);
    render(h(Pay, { sku: 'course-pro', onPaid: (id) => paid.push(id) }), host);
    await waitUntil(() => el.sku === 'course-pro', 'a new sku prop did not reach the element');
    await payForReal(el);
    expect(paid).to.deep.equal([INVOICE_ID]);
    render(null, host);
  });
});
