// The demo page's behaviour: language switch, copy buttons, the rk-* event log and the theming panel.
// It never imports the widget: the page loads the built file with a script tag, as a site owner would,
// and talks to the element only through attributes, custom properties and events.

type Lang = 'ru' | 'en' | 'kk';
const LANGS: readonly Lang[] = ['ru', 'en', 'kk'];

/** The shop's own copy (not the widget's: the widget translates itself from its `lang`). */
const COPY: Record<Lang, Record<string, string>> = {
  ru: {
    'nav.try': 'Тест-карты', 'nav.gallery': 'Варианты', 'nav.theming': 'Темы', 'nav.embed': 'Код',
    sandbox: 'Песочница',
    'fact.weeks': 'недель', 'fact.lessons': 'урока', 'fact.review': 'ревью кода',
    eyebrow: 'Онлайн-курс · старт 1 числа каждого месяца',
    title: 'Основы веб\u2011разработки',
    lead: 'Шесть недель практики: HTML, CSS и TypeScript, от первой страницы до своего веб-сервиса. Разборы кода с наставником и доступ к записям навсегда.',
    f1: 'Живые разборы кода раз в неделю',
    f2: 'Проект в портфолио к концу курса',
    f3: 'Электронный чек после оплаты',
    fineprint: 'Оплата картой на защищённой странице Robokassa. Цена в тенге, с фискальным чеком.',
    outline: 'Программа',
    w1: 'Недели 1–2', t1: 'HTML и CSS: первая страница от макета до публикации',
    w2: 'Недели 3–4', t2: 'TypeScript: типы, функции, модули, работа с API',
    w3: 'Недели 5–6', t3: 'Свой веб-сервис: сервер, база данных, деплой',
  },
  en: {
    'nav.try': 'Test cards', 'nav.gallery': 'Variants', 'nav.theming': 'Theming', 'nav.embed': 'Code',
    sandbox: 'Sandbox',
    'fact.weeks': 'weeks', 'fact.lessons': 'lessons', 'fact.review': 'code reviews',
    eyebrow: 'Online course · starts on the 1st of every month',
    title: 'Web development basics',
    lead: 'Six weeks of practice: HTML, CSS and TypeScript, from your first page to your own web service. Code reviews with a mentor and lifetime access to the recordings.',
    f1: 'Live code reviews every week',
    f2: 'A portfolio project by the end',
    f3: 'An electronic receipt after payment',
    fineprint: "Card payment on Robokassa's secure page. Priced in tenge, with a fiscal receipt.",
    outline: 'Programme',
    w1: 'Weeks 1–2', t1: 'HTML and CSS: a first page from mock-up to publishing',
    w2: 'Weeks 3–4', t2: 'TypeScript: types, functions, modules, calling APIs',
    w3: 'Weeks 5–6', t3: 'Your own web service: server, database, deployment',
  },
  kk: {
    'nav.try': 'Тест карталары', 'nav.gallery': 'Нұсқалар', 'nav.theming': 'Тақырыптар', 'nav.embed': 'Код',
    sandbox: 'Құмсалғыш',
    'fact.weeks': 'апта', 'fact.lessons': 'сабақ', 'fact.review': 'код шолуы',
    eyebrow: 'Онлайн курс · әр айдың 1-інде басталады',
    title: 'Веб\u2011әзірлеу негіздері',
    lead: 'Алты апталық тәжірибе: HTML, CSS және TypeScript, алғашқы беттен өз веб-сервисіңізге дейін. Тәлімгермен код талдау және жазбаларға мәңгілік қолжетімділік.',
    f1: 'Апта сайын тікелей код талдау',
    f2: 'Курс соңында портфолиоға жоба',
    f3: 'Төлемнен кейін электрондық чек',
    fineprint: 'Robokassa-ның қорғалған бетінде картамен төлеу. Баға теңгемен, фискалдық чекпен.',
    outline: 'Бағдарлама',
    w1: '1–2 апта', t1: 'HTML және CSS: макеттен жариялауға дейін алғашқы бет',
    w2: '3–4 апта', t2: 'TypeScript: типтер, функциялар, модульдер, API-мен жұмыс',
    w3: '5–6 апта', t3: 'Өз веб-сервисіңіз: сервер, дерекқор, деплой',
  },
};

/** Widgets that follow the page's language switch (the gallery ones keep their own `lang`). */
const FOLLOWS_LANG = ['hero-checkout', 'theme-preview'];

function isLang(value: string | null): value is Lang {
  return value !== null && (LANGS as readonly string[]).includes(value);
}

function setLang(lang: Lang): void {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const text = COPY[lang][node.dataset.i18n ?? ''];
    if (text !== undefined) node.textContent = text;
  }
  for (const id of FOLLOWS_LANG) document.getElementById(id)?.setAttribute('lang', lang);
  for (const button of document.querySelectorAll<HTMLButtonElement>('#lang-switch [data-lang]')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === lang));
  }
  try {
    localStorage.setItem('rk-demo-lang', lang);
  } catch {
    // storage may be off (private mode): the switch still works for this visit
  }
}

function initLang(): void {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  let stored: string | null = null;
  try {
    stored = localStorage.getItem('rk-demo-lang');
  } catch {
    stored = null;
  }
  const initial = isLang(fromUrl) ? fromUrl : isLang(stored) ? stored : 'ru';
  if (initial !== 'ru') setLang(initial);
  document.getElementById('lang-switch')?.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('[data-lang]');
    if (button && isLang(button.dataset.lang ?? null)) setLang(button.dataset.lang as Lang);
  });
}

// ── copy buttons ────────────────────────────────────────────
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

function flash(button: HTMLElement, label?: string): void {
  const before = button.textContent;
  button.classList.add('is-copied');
  if (label) button.textContent = label;
  setTimeout(() => {
    button.classList.remove('is-copied');
    if (label) button.textContent = before;
  }, 1200);
}

function initCopy(): void {
  const status = document.getElementById('copy-status');
  document.addEventListener('click', (event) => {
    const target = event.target as Element;
    const card = target.closest<HTMLButtonElement>('[data-copy]');
    if (card) {
      void copyText(card.dataset.copy ?? '').then((ok) => {
        flash(card);
        if (status) status.textContent = ok ? `Copied ${card.textContent ?? ''}.` : 'Copy blocked by the browser: select the number instead.';
      });
      return;
    }
    const button = target.closest<HTMLButtonElement>('[data-copy-target]');
    if (button) {
      const source = document.getElementById(button.dataset.copyTarget ?? '');
      void copyText(source?.textContent ?? '').then((ok) => flash(button, ok ? 'Copied' : 'Select to copy'));
    }
  });
}

// ── event log ───────────────────────────────────────────────
const RK_EVENTS = ['rk-start', 'rk-open', 'rk-success', 'rk-fail', 'rk-cancel', 'rk-error'] as const;
const TERMINAL_EVENTS = ['rk-success', 'rk-fail', 'rk-cancel', 'rk-error'] as const;
const LOG_LIMIT = 60;

function sourceLabel(target: EventTarget | null): string {
  if (!(target instanceof HTMLElement)) return 'page';
  return target.dataset.label ?? (target.id || target.localName);
}

function initLog(): void {
  const list = document.getElementById('event-log');
  const empty = document.getElementById('log-empty');
  const veto = document.getElementById('veto-start') as HTMLInputElement | null;
  if (!list) return;

  const add = (event: Event): void => {
    const item = document.createElement('li');
    const time = document.createElement('span');
    time.className = 'log__time';
    time.textContent = new Date().toLocaleTimeString('en-GB');
    const name = document.createElement('span');
    name.className = `log__name log__name--${event.type}`;
    name.textContent = event.type;
    const source = document.createElement('span');
    source.className = 'log__src';
    source.textContent = sourceLabel(event.target);
    item.append(time, name, source);
    const detail = event instanceof CustomEvent ? (event.detail as unknown) : undefined;
    const vetoed = event.type === 'rk-start' && event.defaultPrevented;
    if ((detail !== undefined && detail !== null) || vetoed) {
      const pre = document.createElement('span');
      pre.className = 'log__detail';
      pre.textContent = [detail != null ? JSON.stringify(detail) : '', vetoed ? '(vetoed by the page)' : ''].filter(Boolean).join(' ');
      item.append(pre);
    }
    list.prepend(item);
    while (list.children.length > LOG_LIMIT) list.lastElementChild?.remove();
    if (empty) empty.hidden = true;
  };

  for (const type of RK_EVENTS) {
    // rk-start is cancelable: the element carries on only if no listener (this one included) vetoed it
    document.addEventListener(type, (event) => {
      if (type === 'rk-start' && veto?.checked) event.preventDefault();
      add(event);
    });
  }
  // Back from a same-tab payment, the page opens at the top: bring the widget that paid into view.
  if (new URLSearchParams(location.search).has('rk_payment')) {
    const reveal = (event: Event): void => {
      if (event.target instanceof HTMLElement) event.target.scrollIntoView({ block: 'center' });
      for (const type of TERMINAL_EVENTS) document.removeEventListener(type, reveal);
    };
    for (const type of TERMINAL_EVENTS) document.addEventListener(type, reveal);
  }
  document.getElementById('log-clear')?.addEventListener('click', () => {
    list.replaceChildren();
    if (empty) empty.hidden = false;
  });
}

// ── theming panel ───────────────────────────────────────────
type Field =
  | { prop: string; label: string; kind: 'color' }
  | { prop: string; label: string; kind: 'range'; min: number; max: number; step: number; unit: string }
  | { prop: string; label: string; kind: 'select'; options: readonly { label: string; value: string }[] };

const FONTS = [
  { label: 'System sans', value: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
  { label: 'Humanist', value: '"Trebuchet MS", "Segoe UI", "DejaVu Sans", sans-serif' },
  { label: 'Serif', value: 'Georgia, "Times New Roman", serif' },
  { label: 'Monospace', value: 'ui-monospace, Menlo, Consolas, monospace' },
] as const;

const FIELDS: readonly Field[] = [
  { prop: '--rk-accent', label: 'Accent', kind: 'color' },
  { prop: '--rk-on-accent', label: 'On accent', kind: 'color' },
  { prop: '--rk-text', label: 'Text', kind: 'color' },
  { prop: '--rk-muted', label: 'Muted text', kind: 'color' },
  { prop: '--rk-background', label: 'Background', kind: 'color' },
  { prop: '--rk-border', label: 'Border', kind: 'color' },
  { prop: '--rk-focus-ring', label: 'Focus ring', kind: 'color' },
  { prop: '--rk-radius', label: 'Radius', kind: 'range', min: 0, max: 24, step: 1, unit: 'px' },
  { prop: '--rk-spacing', label: 'Spacing', kind: 'range', min: 4, max: 24, step: 1, unit: 'px' },
  { prop: '--rk-font', label: 'Font', kind: 'select', options: FONTS },
];

type Theme = Record<string, string>;

/** The element's own light defaults (src/checkout/checkout.styles.ts), so the panel starts from what the widget shows. */
const DEFAULT_THEME: Theme = {
  '--rk-accent': '#1d4ed8',
  '--rk-on-accent': '#ffffff',
  '--rk-text': '#1b1b1f',
  '--rk-muted': '#52525b',
  '--rk-background': '#ffffff',
  '--rk-border': '#767676',
  '--rk-focus-ring': '#1d4ed8',
  '--rk-radius': '8px',
  '--rk-spacing': '12px',
  '--rk-font': FONTS[0].value,
};

/** --rk-focus-ring is a box-shadow; the panel picks its colour and draws it like the default (a gap, then the ring). */
function cssValue(prop: string, theme: Theme): string {
  const value = theme[prop] ?? '';
  return prop === '--rk-focus-ring' ? `0 0 0 3px ${theme['--rk-background'] ?? '#ffffff'}, 0 0 0 5px ${value}` : value;
}

const PRESETS: Record<string, Theme> = {
  default: DEFAULT_THEME,
  steppe: {
    ...DEFAULT_THEME,
    '--rk-accent': '#1f3d36', '--rk-on-accent': '#f9e3b0', '--rk-text': '#16211e', '--rk-muted': '#5a6b65',
    '--rk-background': '#fbf8f1', '--rk-border': '#e3d9c4', '--rk-focus-ring': '#f2b84b', '--rk-radius': '14px',
    '--rk-font': FONTS[1].value,
  },
  ocean: {
    ...DEFAULT_THEME,
    '--rk-accent': '#0e7490', '--rk-on-accent': '#ffffff', '--rk-text': '#0b2530', '--rk-muted': '#4b6b78',
    '--rk-background': '#f3fbfd', '--rk-border': '#bfe3ec', '--rk-focus-ring': '#f59e0b', '--rk-radius': '20px',
    '--rk-spacing': '18px',
  },
  night: {
    ...DEFAULT_THEME,
    '--rk-accent': '#a78bfa', '--rk-on-accent': '#140d2b', '--rk-text': '#ece9f7', '--rk-muted': '#a39fb8',
    '--rk-background': '#1a1726', '--rk-border': '#332e48', '--rk-focus-ring': '#fbbf24', '--rk-radius': '8px',
  },
};

function isDark(hex: string): boolean {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return false;
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(h ?? '0', 16) / 255) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.4;
}

function initThemer(): void {
  const host = document.getElementById('theme-fields');
  const preview = document.getElementById('theme-preview');
  const stage = document.getElementById('preview-stage');
  const output = document.getElementById('theme-css');
  if (!host || !preview || !output) return;

  let theme: Theme = { ...DEFAULT_THEME };
  const sync = new Map<string, (value: string) => void>();

  const render = (): void => {
    // every property set, so the preview shows the panel's values whatever the visitor's colour scheme;
    // CSSOM edits are allowed under the page's strict CSP (a style="" attribute would not be)
    for (const prop of Object.keys(theme)) preview.style.setProperty(prop, cssValue(prop, theme));
    stage?.classList.toggle('is-dark', isDark(theme['--rk-background'] ?? '#ffffff'));
    const lines = FIELDS.map((f) => `  ${f.prop}: ${cssValue(f.prop, theme)};`);
    output.textContent = `robokassa-checkout {\n${lines.join('\n')}\n}`;
  };

  const set = (prop: string, value: string): void => {
    theme = { ...theme, [prop]: value };
    for (const chip of document.querySelectorAll<HTMLButtonElement>('[data-preset]')) chip.setAttribute('aria-pressed', 'false');
    render();
  };

  for (const field of FIELDS) {
    const wrap = document.createElement('div');
    wrap.className = field.kind === 'select' ? 'field field--wide' : 'field';
    const id = `field-${field.prop.slice(5)}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    const name = document.createElement('span');
    name.textContent = field.label;
    const propName = document.createElement('code');
    propName.textContent = field.prop;
    label.append(name, propName);
    wrap.append(label);

    if (field.kind === 'color') {
      const row = document.createElement('div');
      row.className = 'field__row';
      const picker = document.createElement('input');
      picker.type = 'color';
      picker.id = id;
      const text = document.createElement('input');
      text.type = 'text';
      text.spellcheck = false;
      text.setAttribute('aria-label', `${field.label} (hex)`);
      picker.addEventListener('input', () => { text.value = picker.value; set(field.prop, picker.value); });
      text.addEventListener('change', () => {
        if (/^#[0-9a-f]{6}$/i.test(text.value.trim())) {
          picker.value = text.value.trim().toLowerCase();
          set(field.prop, picker.value);
        } else text.value = picker.value;
      });
      sync.set(field.prop, (v) => { picker.value = v; text.value = v; });
      row.append(picker, text);
      wrap.append(row);
    } else if (field.kind === 'range') {
      const range = document.createElement('input');
      range.type = 'range';
      range.id = id;
      range.min = String(field.min);
      range.max = String(field.max);
      range.step = String(field.step);
      const out = document.createElement('output');
      out.htmlFor.add(id);
      propName.replaceWith(out);
      range.addEventListener('input', () => { out.textContent = `${range.value}${field.unit}`; set(field.prop, `${range.value}${field.unit}`); });
      sync.set(field.prop, (v) => { range.value = String(parseFloat(v)); out.textContent = v; });
      wrap.append(range);
    } else {
      const select = document.createElement('select');
      select.id = id;
      for (const option of field.options) select.add(new Option(option.label, option.value));
      select.addEventListener('change', () => set(field.prop, select.value));
      sync.set(field.prop, (v) => { select.value = v; });
      wrap.append(select);
    }
    host.append(wrap);
  }

  const apply = (next: Theme): void => {
    theme = { ...next };
    for (const [prop, setField] of sync) setField(theme[prop] ?? '');
    render();
  };

  document.querySelector('.presets')?.addEventListener('click', (event) => {
    const chip = (event.target as Element).closest<HTMLButtonElement>('[data-preset]');
    const preset = chip ? PRESETS[chip.dataset.preset ?? ''] : undefined;
    if (!chip || !preset) return;
    apply(preset);
    for (const other of document.querySelectorAll<HTMLButtonElement>('[data-preset]')) other.setAttribute('aria-pressed', String(other === chip));
  });

  apply(DEFAULT_THEME);
}

/** The `i18n` property: a partial override of the element's strings, merged over its language. */
function initI18nVariant(): void {
  const el = document.getElementById('variant-i18n') as (HTMLElement & { i18n?: Record<string, string> }) | null;
  if (el) el.i18n = { pay: 'Enrol for', noticeTitle: 'Your card stays with Robokassa' };
}

initLang();
initI18nVariant();
initCopy();
initLog();
initThemer();
