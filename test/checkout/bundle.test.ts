// The built files, not the sources: sources can pass while the bundle breaks (decorators, minifier).
// Skipped when dist/ has not been built (npm test builds before the browser stage).
import { expect, fixture, html, waitUntil } from '@open-wc/testing';

const ES = '/dist/robokassa-checkout.js';
const IIFE = '/dist/robokassa-checkout.iife.js';

async function built(path: string): Promise<boolean> {
  const res = await fetch(path, { method: 'HEAD' });
  return res.ok && (res.headers.get('content-type') ?? '').includes('javascript');
}

describe('built bundle', function () {
  this.timeout(20_000);

  it('the ES module registers the element, which renders and formats the amount', async function () {
    if (!(await built(ES))) this.skip();
    await import(/* @vite-ignore */ ES);
    const ctor = customElements.get('robokassa-checkout');
    expect(ctor).to.be.a('function');
    const el = await fixture<HTMLElement>(html`<robokassa-checkout lang="kk" amount="1500.00" currency="KZT"></robokassa-checkout>`);
    await waitUntil(() => el.shadowRoot?.querySelector('[part=button]'));
    expect(el.shadowRoot!.querySelector('[part=amount]')!.textContent!.replace(/\s/g, ' ')).to.equal('1 500 ₸');
    expect(el.shadowRoot!.adoptedStyleSheets.length).to.be.greaterThan(0);
    await expect(el).to.be.accessible();
  });

  it('the IIFE loads from a classic script next to it without throwing, and exposes the class', async function () {
    if (!(await built(IIFE))) this.skip();
    const errors: string[] = [];
    const onError = (e: ErrorEvent): void => void errors.push(e.message);
    window.addEventListener('error', onError);
    const script = document.createElement('script');
    script.src = IIFE;
    const loaded = new Promise((resolve, reject) => {
      script.onload = resolve;
      script.onerror = reject;
    });
    document.head.append(script);
    await loaded;
    window.removeEventListener('error', onError);
    script.remove();
    expect(errors).to.deep.equal([]);
    const global = (window as unknown as { RobokassaCheckout?: { RobokassaCheckout?: unknown } }).RobokassaCheckout;
    expect(global?.RobokassaCheckout).to.be.a('function');
  });
});
