// Proves the browser pipeline (esbuild + experimental decorators + Chromium) before the widget exists.
import { fixture, html, expect } from '@open-wc/testing';
import { LitElement, html as litHtml } from 'lit';
import { customElement, property } from 'lit/decorators.js';

@customElement('rk-smoke-probe')
class SmokeProbe extends LitElement {
  @property() label = 'Pay';
  override render() {
    return litHtml`<button part="button">${this.label}</button>`;
  }
}

describe('browser pipeline', () => {
  it('renders a decorated Lit element and reflects a property change', async () => {
    const el = await fixture<SmokeProbe>(html`<rk-smoke-probe label="Төлеу"></rk-smoke-probe>`);
    const button = el.shadowRoot!.querySelector('button')!;
    expect(button.textContent).to.equal('Төлеу');
    el.label = 'Оплатить';
    await el.updateComplete;
    expect(button.textContent).to.equal('Оплатить');
  });
});
