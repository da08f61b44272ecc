import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { ReturnMessage, RETURN_CHANNEL } from '../../src/protocol/index.js';
import { PAGE_ORIGIN, PASSWORD1, checkout, form, makeApp, signed } from './helpers.js';

interface PageData { message?: unknown; channel: string; targetOrigin: string | null; returnUrl: string | null }

function pageData(html: string): PageData {
  const m = /<script type="application\/json" id="rk-return-data">([^<]*)<\/script>/.exec(html);
  assert.ok(m, 'the page carries its data in an application/json element');
  return JSON.parse(m[1]!) as PageData;
}

/** Runs the served return.js against a fake window: what it posts, where, and where it navigates. */
function runScript(script: string, html: string, opts: { opener: boolean; origin?: string; name?: string; closable?: boolean }) {
  const posted: [unknown, string][] = [];
  const broadcast: [string, unknown][] = [];
  const replaced: string[] = [];
  let closed = false;
  const data = /<script type="application\/json" id="rk-return-data">([^<]*)<\/script>/.exec(html)?.[1] ?? null;
  class FakeChannel {
    constructor(readonly name: string) {}
    postMessage(m: unknown): void { broadcast.push([this.name, m]); }
    close(): void {}
  }
  const opener = opts.opener ? { postMessage: (m: unknown, target: string) => void posted.push([m, target]) } : null;
  const window = {
    opener,
    name: opts.name ?? '',
    closed: false,
    close: () => { closed = true; if (opts.closable ?? true) window.closed = true; },
    location: { origin: opts.origin ?? 'https://backend.example', replace: (u: string) => void replaced.push(u) },
  };
  const document = { getElementById: (id: string) => (id === 'rk-return-data' && data !== null ? { textContent: data } : null) };
  runInNewContext(script, { window, document, BroadcastChannel: FakeChannel, JSON });
  return { posted, broadcast, replaced, closed };
}

async function page(t: ReturnType<typeof makeApp>, path: string, init?: RequestInit): Promise<{ res: Response; html: string }> {
  const res = await t.app.request(path, init);
  return { res, html: await res.text() };
}

test('SuccessURL (signed with Password #1) renders a page whose script posts to the recorded origin, never "*"', async () => {
  const t = makeApp();
  const pay = await checkout(t, undefined, { origin: PAGE_ORIGIN });
  const params = signed({ outSum: '1500.000000', invId: pay.invoiceId, password: PASSWORD1, extra: { Culture: 'en', IsTest: '1' } });
  const { res, html } = await page(t, `/robokassa/success?${params}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.match(html, /<html lang="en">/);
  assert.match(html, /Payment complete/);
  // no inline script or style: only the data element, an external script and an external stylesheet
  const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!.trim());
  assert.deepEqual(scripts, ['type="application/json" id="rk-return-data"', 'src="return.js"']);
  assert.doesNotMatch(html, /<style|style=/);
  const data = pageData(html);
  assert.deepEqual(ReturnMessage.parse(data.message), { type: 'robokassa-checkout:return', id: pay.id, invoiceId: pay.invoiceId, outcome: 'success' });
  assert.equal(data.targetOrigin, PAGE_ORIGIN);
  assert.equal(data.channel, RETURN_CHANNEL);

  const script = await (await t.app.request('/robokassa/return.js')).text();
  const run = runScript(script, html, { opener: true });
  assert.deepEqual(run.posted, [[data.message, PAGE_ORIGIN]]);
  assert.deepEqual(run.broadcast, [['robokassa-checkout', data.message]]);
  assert.equal(run.closed, true);
  assert.deepEqual(run.replaced, []);
  assert.deepEqual((await t.store.listNotifications(pay.invoiceId)).map((n) => [n.kind, n.verdict]), [['success', 'verified']]);
  // the page is only a hint: the payment stays pending until ResultURL
  assert.equal(((await (await t.app.request(`/robokassa/payments/${pay.id}`)).json()) as { status: string }).status, 'pending');
});

test('return.js and return.css are served as files with their types', async () => {
  const t = makeApp();
  const js = await t.app.request('/robokassa/return.js');
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
  const body = await js.text();
  assert.doesNotMatch(body, /postMessage\([^)]*['"]\*['"]/);
  const css = await t.app.request('/robokassa/return.css');
  assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
});

test('without an opener the script redirects to the recorded returnUrl (allow-listed); without one it stays with a link', async () => {
  const t = makeApp();
  const withReturn = await checkout(t, { items: [{ sku: 'hundred', quantity: 1 }], returnUrl: `${PAGE_ORIGIN}/thanks?x=1` }, { origin: PAGE_ORIGIN });
  const script = await (await t.app.request('/robokassa/return.js')).text();
  const a = await page(t, `/robokassa/fail?OutSum=100.00&InvId=${withReturn.invoiceId}&Culture=ru`);
  const runA = runScript(script, a.html, { opener: false });
  // with the redirect-mode parameters the element reads (src/protocol/return-names.ts)
  const back = `${PAGE_ORIGIN}/thanks?x=1&rk_payment=${withReturn.id}&rk_outcome=fail`;
  assert.deepEqual(runA.replaced, [back]);
  assert.deepEqual(runA.posted, []);
  assert.ok(a.html.includes(`href="${back.replaceAll('&', '&#38;')}"`));
  assert.match(a.html, /Вернуться в магазин/);

  // our payment window with its opener cut (COOP): it closes instead; one the browser keeps open goes back
  const popup = runScript(script, a.html, { opener: false, name: 'robokassa-checkout' });
  assert.equal(popup.closed, true);
  assert.deepEqual(popup.replaced, []);
  const stubborn = runScript(script, a.html, { opener: false, name: 'robokassa-checkout', closable: false });
  assert.deepEqual(stubborn.replaced, [back]);

  // no returnUrl: a link back to the recorded origin, no navigation
  const noReturn = await checkout(t, { items: [{ sku: 'hundred', quantity: 1 }] }, { origin: PAGE_ORIGIN });
  const b = await page(t, `/robokassa/fail?OutSum=100.00&InvId=${noReturn.invoiceId}`);
  const runB = runScript(script, b.html, { opener: false });
  assert.deepEqual(runB.replaced, []);
  assert.match(b.html, new RegExp(`href="${PAGE_ORIGIN}/"`));

  // an Origin that isn't allow-listed is never recorded: the script falls back to its own origin
  const stranger = await checkout(t, { items: [{ sku: 'hundred', quantity: 1 }] }, { origin: 'https://evil.example' });
  const c = await page(t, `/robokassa/fail?OutSum=100.00&InvId=${stranger.invoiceId}`);
  const data = pageData(c.html);
  assert.equal(data.targetOrigin, null);
  assert.equal(data.returnUrl, null);
  assert.doesNotMatch(c.html, /evil\.example/);
  const runC = runScript(script, c.html, { opener: true, origin: 'https://backend.example' });
  assert.deepEqual(runC.posted.map(([, target]) => target), ['https://backend.example']);
  assert.match(c.html, /Это окно можно закрыть/);
});

test('a returnUrl recorded earlier is not followed once its origin leaves the allow-list (no open redirect)', async () => {
  const { openSqliteStore } = await import('../../src/server/index.js');
  const store = openSqliteStore(':memory:');
  const before = makeApp({}, store);
  const pay = await checkout(before, { items: [{ sku: 'hundred', quantity: 1 }], returnUrl: 'http://localhost:3000/back' }, { origin: 'http://localhost:3000' });
  const after = makeApp({ ROBOKASSA_ALLOWED_ORIGINS: PAGE_ORIGIN }, store);
  const { html } = await page(after, `/robokassa/fail?OutSum=100.00&InvId=${pay.invoiceId}`);
  const data = pageData(html);
  assert.equal(data.returnUrl, null);
  assert.equal(data.targetOrigin, null);
  assert.doesNotMatch(html, /localhost:3000/);
});

test('FailURL moves a pending payment to failed (POST form too); texts follow Culture', async () => {
  const t = makeApp();
  const pay = await checkout(t);
  // Shp_rk: the payment's fail token, echoed by Robokassa (security/fail-url.test.ts)
  const { res, html } = await page(t, '/robokassa/fail', form(new URLSearchParams({ OutSum: '1500.00', InvId: String(pay.invoiceId), Culture: 'en', Shp_rk: pay.form.fields['Shp_rk'] ?? '' })));
  assert.equal(res.status, 200);
  assert.match(html, /Payment not completed/);
  assert.deepEqual(ReturnMessage.parse(pageData(html).message).outcome, 'fail');
  const status = (await (await t.app.request(`/robokassa/payments/${pay.id}`)).json()) as { status: string };
  assert.equal(status.status, 'failed');
  assert.deepEqual((await t.store.listNotifications(pay.invoiceId)).map((n) => [n.kind, n.verdict]), [['fail', 'failed']]);
  const ru = await page(t, `/robokassa/fail?OutSum=1500.00&InvId=${pay.invoiceId}&Culture=ru&Shp_rk=${pay.form.fields['Shp_rk']}`);
  assert.match(ru.html, /Оплата не прошла/);
  assert.deepEqual((await t.store.listNotifications(pay.invoiceId)).map((n) => n.verdict), ['failed', 'ignored']);
});

test('a bad SuccessURL signature, an unknown InvId or a foreign OutSum get an invalid page that announces nothing', async () => {
  const t = makeApp();
  const pay = await checkout(t);
  const wrong = signed({ outSum: '1500.000000', invId: pay.invoiceId, password: 'not-password-1' });
  const cases: [string, number][] = [
    [`/robokassa/success?${wrong}`, 400],
    [`/robokassa/success?OutSum=1.00&InvId=${pay.invoiceId}`, 400],
    ['/robokassa/success?OutSum=1.00&InvId=424242', 404],
    ['/robokassa/fail?OutSum=1.00&InvId=abc', 404],
  ];
  const script = await (await t.app.request('/robokassa/return.js')).text();
  for (const [path, status] of cases) {
    const { res, html } = await page(t, path);
    assert.equal(res.status, status, path);
    assert.match(html, /Не удалось проверить платёж/);
    assert.equal(pageData(html).message, undefined);
    const run = runScript(script, html, { opener: true });
    assert.deepEqual(run.posted, []);
    assert.equal(run.closed, false);
  }
  const statusNow = (await (await t.app.request(`/robokassa/payments/${pay.id}`)).json()) as { status: string };
  assert.equal(statusNow.status, 'pending');
  // an unsigned SuccessURL is accepted as a hint
  const unsigned = await page(t, `/robokassa/success?OutSum=1500.00&InvId=${pay.invoiceId}&Culture=ru`);
  assert.equal(unsigned.res.status, 200);
  assert.match(unsigned.html, /Оплата завершена/);
});

test('HTML-sensitive characters in a returnUrl are escaped in the page and in its JSON', async () => {
  const t = makeApp();
  const pay = await checkout(t, { items: [{ sku: 'hundred', quantity: 1 }], returnUrl: `${PAGE_ORIGIN}/a?q="><script>x</script>` }, { origin: PAGE_ORIGIN });
  const { html } = await page(t, `/robokassa/fail?OutSum=100.00&InvId=${pay.invoiceId}`);
  assert.doesNotMatch(html, /<script>x/);
  const expected = new URL(`${PAGE_ORIGIN}/a?q="><script>x</script>`);
  expected.searchParams.set('rk_payment', pay.id);
  expected.searchParams.set('rk_outcome', 'fail');
  assert.equal(pageData(html).returnUrl, expected.href);
});
