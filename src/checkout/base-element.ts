// The part of LitElement the checkout uses, over lit-html's render(): declared properties with their
// attributes, updates batched into a microtask, updateComplete, willUpdate/firstUpdated/updated and
// one shared stylesheet. LitElement's runtime (ReactiveElement, css-tag) weighs ≈ 2.8 KB gzip of the
// embed; this is ≈ 0.5 KB (issue 7's weight goal). Declarations keep Lit's `static properties`
// shape, so the Custom Elements Manifest analyzer reads them as before.
import { render } from 'lit/html.js';

/** What `static properties` may say of a property (a subset of Lit's PropertyDeclaration). */
export interface PropertyDeclaration {
  /** The attribute's name; default (or `true`) the property name lowercased; `false` for none. */
  readonly attribute?: string | boolean;
  /** How the attribute's text becomes the value; default: the text itself. */
  readonly type?: typeof Number | typeof Boolean;
  /** Boolean properties only: the attribute follows the property. */
  readonly reflect?: boolean;
  /** Internal state: renders, has no attribute. */
  readonly state?: boolean;
}

/** The properties changed since the last update, with their previous values. */
export type PropertyValues = Map<PropertyKey, unknown>;

/** Per class: its declarations with its parents', attribute → property, property → reflected attribute, the stylesheet. */
type Info = { props: Record<string, PropertyDeclaration>; attrs: Map<string, string>; reflects: Map<string, string>; sheet?: CSSStyleSheet };
const infos = new WeakMap<Function, Info>();

export abstract class BaseElement extends HTMLElement {
  static properties: Readonly<Record<string, PropertyDeclaration>> = {};
  /** The stylesheet's text, shared by every instance through adoptedStyleSheets. */
  static styles = '';

  /** Creates the accessors and the attribute map once per class (at define(), or the first construction). */
  static #info(cls: typeof BaseElement): Info {
    let info = infos.get(cls);
    if (!info) {
      // a subclass's own `static properties` add to its parents' (as in Lit), they don't replace them
      let props: Record<string, PropertyDeclaration> = {};
      for (let c = cls; c !== BaseElement; c = Object.getPrototypeOf(c) as typeof BaseElement) props = { ...c.properties, ...props };
      info = { props, attrs: new Map(), reflects: new Map() };
      infos.set(cls, info);
      for (const [name, decl] of Object.entries(props)) {
        const attr = decl.state || decl.attribute === false ? '' : typeof decl.attribute === 'string' ? decl.attribute : name.toLowerCase();
        if (attr) info.attrs.set(attr, name);
        if (attr && decl.reflect) info.reflects.set(name, attr);
        Object.defineProperty(cls.prototype, name, {
          get(this: BaseElement) {
            return this.#values.get(name);
          },
          set(this: BaseElement, value: unknown) {
            // before the first connection (field initialisers, an upgrade's attributes) only the value:
            // the first update counts every property set by then as changed
            if (!this.#connected) {
              this.#values.set(name, value);
              return;
            }
            const old = this.#values.get(name);
            if (Object.is(old, value)) return;
            this.#values.set(name, value);
            this.requestUpdate(name, old);
          },
          configurable: true,
        });
      }
    }
    return info;
  }

  static get observedAttributes(): string[] {
    return [...BaseElement.#info(this).attrs.keys()];
  }

  /** True once the first render is done. */
  hasUpdated = false;
  #values = new Map<string, unknown>();
  #changed: PropertyValues = new Map();
  /** Values a page set on the element before its class was defined (frameworks do), applied at the first update. */
  #early = new Map<string, unknown>();
  #connected = false;
  #styled = false;
  #queued = false;
  #done: Promise<boolean> = Promise.resolve(true);

  constructor() {
    super();
    const cls = this.constructor as typeof BaseElement;
    const info = BaseElement.#info(cls);
    // own properties shadow the accessors; a fresh element has none
    for (const name of Object.keys(this)) {
      if (name in info.props) {
        this.#early.set(name, (this as Record<string, unknown>)[name]);
        delete (this as Record<string, unknown>)[name];
      }
    }
    this.attachShadow({ mode: 'open' });
  }

  /**
   * The constructed stylesheets the shadow root adopts, once, at its first connection (a subclass may
   * add some, knowing then where it stands on the page): one assignment per element.
   */
  protected styleSheets(own: CSSStyleSheet): CSSStyleSheet[] {
    return [own];
  }

  /** The shadow root the template renders into. */
  get renderRoot(): ShadowRoot {
    return this.shadowRoot!;
  }

  /** Resolves once no update is pending (true), after the one in progress if any. */
  get updateComplete(): Promise<boolean> {
    return this.#done.then((settled): Promise<boolean> | boolean => (this.#queued ? this.updateComplete : settled));
  }

  attributeChangedCallback(attr: string, _old: string | null, value: string | null): void {
    const info = BaseElement.#info(this.constructor as typeof BaseElement);
    const name = info.attrs.get(attr)!;
    const type = info.props[name].type;
    (this as Record<string, unknown>)[name] = type === Boolean ? value !== null : type === Number && value !== null ? Number(value) : value;
  }

  connectedCallback(): void {
    if (!this.#styled) {
      this.#styled = true;
      const cls = this.constructor as typeof BaseElement;
      const info = BaseElement.#info(cls);
      const root = this.renderRoot;
      // a constructed stylesheet: parsed once per page, and a CSP without 'unsafe-inline' allows it;
      // a <style> where there are none (Safari before 16.4)
      if ('adoptedStyleSheets' in root) {
        if (!info.sheet) (info.sheet = new CSSStyleSheet()).replaceSync(cls.styles);
        root.adoptedStyleSheets = this.styleSheets(info.sheet);
      } else {
        (root as ShadowRoot).prepend(Object.assign(document.createElement('style'), { textContent: cls.styles }));
      }
    }
    this.#connected = true;
    if (!this.hasUpdated || this.#changed.size) this.requestUpdate();
  }

  disconnectedCallback(): void {}

  /** Schedules an update for the next microtask; `name` and `old` record what changed. */
  requestUpdate(name?: string, old?: unknown): void {
    if (name !== undefined && !this.#changed.has(name)) this.#changed.set(name, old);
    // nothing renders before the element is first connected
    if (this.#queued || !this.#connected) return;
    this.#queued = true;
    this.#done = Promise.resolve().then(() => {
      if (this.#queued) this.#update();
      return true;
    });
  }

  /** Runs a pending update now instead of in its microtask (for work measured against a time budget). */
  protected updateNow(): void {
    if (this.#queued) this.#update();
  }

  #update(): void {
    for (const [name, value] of this.#early) (this as Record<string, unknown>)[name] = value;
    this.#early.clear();
    const changed = this.#changed;
    if (!this.hasUpdated) for (const name of this.#values.keys()) if (!changed.has(name)) changed.set(name, undefined);
    let first = false;
    try {
      this.willUpdate(changed);
      this.#changed = new Map();
      for (const [name, attr] of BaseElement.#info(this.constructor as typeof BaseElement).reflects) {
        const on = !!(this as Record<string, unknown>)[name];
        if (changed.has(name) && this.hasAttribute(attr) !== on) this.toggleAttribute(attr, on);
      }
      render(this.render(), this.renderRoot, { host: this });
      first = !this.hasUpdated;
      this.hasUpdated = true;
    } finally {
      // changes from here on (in updated(), or after a throwing render) get an update of their own
      this.#queued = false;
      if (this.#changed.size) this.requestUpdate();
    }
    if (first) this.firstUpdated(changed);
    this.updated(changed);
  }

  protected willUpdate(_changed: PropertyValues): void {}
  protected firstUpdated(_changed: PropertyValues): void {}
  protected updated(_changed: PropertyValues): void {}
  protected abstract render(): unknown;
}
