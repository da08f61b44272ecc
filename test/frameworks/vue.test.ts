// Vue 3: the README's vite.config.js (with @vitejs/plugin-vue and isCustomElement) builds the README's
// Pay.vue with Vite, and the result is mounted in Chromium.
import { expect, waitUntil } from '@open-wc/testing';
import { INVOICE_ID, container, payForReal, rendered, snippet } from './support.js';

interface VueBuild {
  default: object;
  createApp: (root: object) => { mount: (el: Element) => unknown; unmount: () => void };
  h: (type: object, props: Record<string, unknown>) => unknown;
  ref: <T>(value: T) => { value: T };
}

describe('Vue', function () {
  this.timeout(30_000); // the first request runs a Vite build

  it('README Pay.vue: the element upgrades, gets its properties, and its rk-success reaches @paid', async () => {
    const vue = await snippet<VueBuild>('Pay.vue');
    const host = container();
    const paid: number[] = [];
    const sku = vue.ref('course-basic');
    const app = vue.createApp({ render: () => vue.h(vue.default, { sku: sku.value, onPaid: (id: number) => paid.push(id) }) });
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => { warnings.push(args.join(' ')); warn(...args); };
    try {
      app.mount(host);
      const el = await rendered(host);
      expect([el.endpoint, el.sku]).to.deep.equal(['/robokassa', 'course-basic']);
      // isCustomElement took effect: Vue did not try to resolve it as a component
      expect(warnings.filter((w) => String(w).includes('Failed to resolve component'))).to.deep.equal([]);
      sku.value = 'course-pro';
      await waitUntil(() => el.sku === 'course-pro', 'a new sku did not reach the element');
      await payForReal(el);
      expect(paid).to.deep.equal([INVOICE_ID]);
    } finally {
      console.warn = warn;
      app.unmount();
    }
  });
});
