// The element on a page whose CSP is `default-src 'self'; script-src 'self'; style-src 'self'`:
// the policy arrives as a <meta> before the element's code is loaded, and any violation fails.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';

const POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'";

describe('strict CSP page', () => {
  const violations: string[] = [];
  const onViolation = (e: SecurityPolicyViolationEvent): void => {
    violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
  };

  before(() => {
    const meta = document.createElement('meta');
    meta.httpEquiv = 'Content-Security-Policy';
    meta.content = POLICY;
    document.head.append(meta);
    document.addEventListener('securitypolicyviolation', onViolation);
  });
  after(() => document.removeEventListener('securitypolicyviolation', onViolation));

  it('enforces the policy on this page (an inline style attribute is refused)', async () => {
    const probe = document.createElement('div');
    probe.setAttribute('style', 'color: red');
    document.body.append(probe);
    await waitUntil(() => violations.length > 0, 'the probe should be refused');
    probe.remove();
    violations.length = 0;
  });

  it('renders, pays and shows the preparing window without a violation or an added <style>/<script>', async () => {
    const before = document.querySelectorAll('style, script, link').length;
    const { FakeBackend, FakeWindow, stubOpen, ENDPOINT, part } = await import('./helpers.js');
    await import('../../src/checkout/index.js');
    const backend = new FakeBackend().install();
    const win = new FakeWindow();
    const open = stubOpen(win);
    try {
      backend.status = 'paid';
      const el = await fixture<HTMLElement>(html`<robokassa-checkout endpoint=${ENDPOINT} sku="course-basic" lang="ru" collect-email email="a@b.kz" support-email="s@b.kz"></robokassa-checkout>`);
      await waitUntil(() => el.shadowRoot!.querySelector('[part=amount]'));
      expect(el.shadowRoot!.adoptedStyleSheets.length).to.be.greaterThan(0);
      expect(el.shadowRoot!.querySelectorAll('style')).to.have.length(0);
      expect(el.shadowRoot!.querySelectorAll('[style]')).to.have.length(0);
      const result = await (el as unknown as { pay: () => Promise<{ status: string }> }).pay();
      expect(result.status).to.equal('success');
      expect(part(el, 'status').textContent).to.equal('Оплата прошла. Спасибо!');
      expect(document.querySelectorAll('style, script, link').length).to.equal(before);
      expect(win.document.querySelectorAll('style, script, [style]')).to.have.length(0);
      expect(violations).to.deep.equal([]);
    } finally {
      open.restore();
      backend.restore();
    }
  });
});
