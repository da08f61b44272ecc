// BaseElement: the small reactive base the checkout element stands on (instead of LitElement).
import { expect, fixture, html as testHtml } from '@open-wc/testing';
import { html } from 'lit/html.js';
import { BaseElement, type PropertyDeclaration, type PropertyValues } from '../../src/checkout/base-element.js';

let tags = 0;
/** A fresh tag per test: a class can be defined once per page. */
function define(cls: CustomElementConstructor): string {
  const tag = `rk-base-probe-${++tags}`;
  customElements.define(tag, cls);
  return tag;
}

class Probe extends BaseElement {
  static override properties: Readonly<Record<string, PropertyDeclaration>> = {
    label: {},
    count: { type: Number },
    wide: { type: Boolean, attribute: 'is-wide' },
    off: { type: Boolean, reflect: true },
    data: { attribute: false },
    inner: { state: true },
  };
  static override styles = ':host{display:block}button{color:rgb(1, 2, 3)}';
  declare label: string | null;
  declare count: number | null;
  declare wide: boolean;
  declare off: boolean;
  declare data: unknown;
  declare inner: string;
  renders = 0;
  seen: PropertyValues[] = [];

  constructor() {
    super();
    this.label = 'Pay';
    this.count = 1;
    this.wide = false;
    this.off = false;
    this.inner = '';
  }

  protected override updated(changed: PropertyValues): void {
    this.seen.push(new Map(changed));
  }

  protected render(): unknown {
    this.renders++;
    return html`<button>${this.label}:${this.count}:${this.wide}:${this.inner}</button>`;
  }
}

const text = (el: BaseElement): string => el.shadowRoot!.querySelector('button')!.textContent!;

describe('BaseElement', () => {
  it('maps attributes to properties by declaration: text, Number, Boolean, a custom name; none for state or attribute:false', async () => {
    const cls = class extends Probe {};
    const tag = define(cls);
    expect((cls as unknown as { observedAttributes: string[] }).observedAttributes).to.deep.equal(['label', 'count', 'is-wide', 'off']);
    const el = document.createElement(tag) as Probe;
    el.setAttribute('label', 'Төлеу');
    el.setAttribute('count', '3');
    el.setAttribute('is-wide', '');
    document.body.append(el);
    await el.updateComplete;
    expect(text(el)).to.equal('Төлеу:3:true:');
    el.removeAttribute('is-wide');
    el.removeAttribute('label');
    await el.updateComplete;
    expect(text(el)).to.equal(':3:false:');
    el.remove();
  });

  it('batches synchronous changes into one update that lists every changed property with its old value', async () => {
    const tag = define(class extends Probe {});
    const el = await fixture<Probe>(`<${tag}></${tag}>`);
    const before = el.renders;
    el.label = 'A';
    el.label = 'B';
    el.count = 2;
    el.count = 2;
    await el.updateComplete;
    expect(el.renders - before).to.equal(1);
    expect(text(el)).to.equal('B:2:false:');
    expect([...el.seen.at(-1)!]).to.deep.equal([['label', 'Pay'], ['count', 1]]);
    el.count = 2; // same value: no update
    await el.updateComplete;
    expect(el.renders - before).to.equal(1);
  });

  it('does not render before it is connected, then renders once', async () => {
    const tag = define(class extends Probe {});
    const el = document.createElement(tag) as Probe;
    el.label = 'X';
    await Promise.resolve();
    await new Promise((r) => setTimeout(r));
    expect(el.renders).to.equal(0);
    document.body.append(el);
    await el.updateComplete;
    expect(el.renders).to.equal(1);
    expect(text(el)).to.equal('X:1:false:');
    el.remove();
  });

  it('keeps a property a framework set before the class was defined', async () => {
    const tag = `rk-base-late-${++tags}`;
    const el = document.createElement(tag) as Probe;
    (el as unknown as { label: string; data: object }).label = 'early';
    (el as unknown as { data: object }).data = { sku: 'course' };
    document.body.append(el);
    customElements.define(tag, class extends Probe {});
    await el.updateComplete;
    expect(text(el)).to.equal('early:1:false:');
    expect(el.data).to.deep.equal({ sku: 'course' });
    expect(Object.hasOwn(el, 'label'), 'own property replaced by the accessor').to.equal(false);
    el.remove();
  });

  it('reflects a reflecting Boolean property to its attribute and back', async () => {
    const tag = define(class extends Probe {});
    const el = await fixture<Probe>(`<${tag}></${tag}>`);
    expect(el.hasAttribute('off')).to.equal(false);
    el.off = true;
    await el.updateComplete;
    expect(el.hasAttribute('off')).to.equal(true);
    el.removeAttribute('off');
    expect(el.off).to.equal(false);
    await el.updateComplete;
    expect(el.hasAttribute('off')).to.equal(false);
  });

  it('updateComplete waits for an update that updated() asked for', async () => {
    const tag = define(
      class extends Probe {
        protected override updated(changed: PropertyValues): void {
          super.updated(changed);
          if (changed.has('label') && this.label === 'go') this.inner = 'done';
        }
      },
    );
    const el = await fixture<Probe>(`<${tag}></${tag}>`);
    el.label = 'go';
    expect(await el.updateComplete).to.equal(true);
    expect(text(el)).to.equal('go:1:false:done');
  });

  it('shares one constructed stylesheet between instances', async () => {
    const tag = define(class extends Probe {});
    const wrap = await fixture(testHtml`<div></div>`);
    wrap.innerHTML = `<${tag}></${tag}><${tag}></${tag}>`;
    const [a, b] = [...wrap.children] as Probe[];
    await a.updateComplete;
    expect(a.shadowRoot!.adoptedStyleSheets).to.have.length(1);
    expect(a.shadowRoot!.adoptedStyleSheets[0]).to.equal(b.shadowRoot!.adoptedStyleSheets[0]);
    expect(getComputedStyle(a.shadowRoot!.querySelector('button')!).color).to.equal('rgb(1, 2, 3)');
  });

  it('binds template event listeners to the host', async () => {
    let host: unknown;
    const tag = define(
      class extends Probe {
        protected override render(): unknown {
          return html`<button @click=${this.#clicked}>x</button>`;
        }
        #clicked(): void {
          host = this;
        }
      },
    );
    const el = await fixture<Probe>(`<${tag}></${tag}>`);
    el.shadowRoot!.querySelector('button')!.click();
    expect(host).to.equal(el);
  });

  it("adds a subclass's own declared properties to its parent's", async () => {
    class Wider extends Probe {
      static override properties: Readonly<Record<string, PropertyDeclaration>> = { extra: {} };
      declare extra: string | null;
      protected override render(): unknown {
        return html`<button>${this.label}:${this.count}:${this.extra}</button>`;
      }
    }
    const tag = define(Wider);
    expect((Wider as unknown as { observedAttributes: string[] }).observedAttributes).to.have.members(['label', 'count', 'is-wide', 'off', 'extra']);
    const el = await fixture<Wider>(`<${tag} label="Pay" count="2" extra="x"></${tag}>`);
    expect(text(el)).to.equal('Pay:2:x');
  });
});
