// Index.aspx: what the sandbox accepts and the Robokassa error codes it answers (26, 29, 30, 31, 33, 40).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { INDEX_URL, SANDBOX, card, makeSandbox, md5, open, pay, postForm, signed, CARD_OK } from './support.js';

const vectors = (JSON.parse(readFileSync(new URL('../fixtures/test-vectors.json', import.meta.url), 'utf8')) as {
  vectors: { id: string; kind: string; algorithm: 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512' | 'ripemd160'; merchantLogin?: string; outSum: string;
    invId: string; password1?: string; shp?: Record<string, string>; receiptSigned?: string; outSumCurrency?: string; userIp?: string; signature: string }[];
}).vectors;

async function errorCode(res: Response): Promise<number> {
  const code = Number(res.headers.get('x-sandbox-error'));
  const body = await res.text();
  assert.equal(res.status, 400);
  assert.match(body, new RegExp(`(Код ошибки|Error code): ${code}`));
  return code;
}

describe('Index.aspx accepts', () => {
  test('a signed POST form with Receipt and Shp_ and opens a page under an unguessable token', async () => {
    const sb = makeSandbox();
    const page = await open(sb, signed().form.fields);
    assert.match(page, /^\/sandbox\/Merchant\/Payment\/[A-Za-z0-9_-]{32}$/);
    const again = await open(sb, signed().form.fields);
    assert.notEqual(again, page);
    const res = await sb.app.request(`${SANDBOX}${page}`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /Песочница — деньги не списываются/);
    assert.match(html, /Курс «Основы»/);
    assert.match(html, /Консультация/);
    assert.match(html, /4\u00a0500\u00a0₸/);
    assert.match(html, /value="buyer@example.com"/);
    // The page is not reachable by InvId alone.
    assert.equal((await sb.app.request(`${SANDBOX}/sandbox/Merchant/Payment/7`)).status, 404);
  });

  test('the GET link, whose Receipt is encoded once more', async () => {
    const sb = makeSandbox();
    const res = await sb.app.request(signed().url);
    assert.equal(res.status, 303, res.headers.get('x-sandbox-error') ?? '');
  });

  test('upper-case SignatureValue, and English for Culture=en', async () => {
    const sb = makeSandbox();
    const fields = signed({ culture: 'en' }).form.fields;
    const page = await open(sb, { ...fields, SignatureValue: (fields['SignatureValue'] ?? '').toUpperCase() });
    const html = await (await sb.app.request(`${SANDBOX}${page}`)).text();
    assert.match(html, /Sandbox — no real money/);
    assert.match(html, /<html lang="en">/);
    assert.match(html, /Pay ₸4,500/);
  });

  test('sha256 shops', async () => {
    const sb = makeSandbox({ hashAlgorithm: 'sha256' });
    await open(sb, signed({}, { algorithm: 'sha256' }).form.fields);
  });

  for (const v of vectors.filter((x) => x.kind === 'payment')) {
    test(`the independent test vector ${v.id}`, async () => {
      const sb = makeSandbox({ merchantLogin: v.merchantLogin ?? '', password1: v.password1 ?? '', hashAlgorithm: v.algorithm });
      const fields: Record<string, string> = { MerchantLogin: v.merchantLogin ?? '', OutSum: v.outSum, SignatureValue: v.signature, Description: 'Vector' };
      if (v.invId !== '') fields['InvId'] = v.invId;
      if (v.receiptSigned) fields['Receipt'] = v.receiptSigned;
      if (v.outSumCurrency) fields['OutSumCurrency'] = v.outSumCurrency;
      if (v.userIp) fields['UserIp'] = v.userIp;
      Object.assign(fields, v.shp ?? {});
      await open(sb, fields);
    });
  }
});

describe('Index.aspx refuses', () => {
  const base = (): Record<string, string> => ({ ...signed().form.fields });
  const cases: [string, (f: Record<string, string>) => void, number][] = [
    ['another OutSum', (f) => { f['OutSum'] = '4500.01'; }, 29],
    ['OutSum written differently', (f) => { f['OutSum'] = '4500'; }, 29],
    ['OutSum 0', (f) => { f['OutSum'] = '0.00'; }, 31],
    ['OutSum not a number', (f) => { f['OutSum'] = '4,500'; }, 31],
    ['OutSum missing', (f) => { delete f['OutSum']; }, 31],
    ['another InvId', (f) => { f['InvId'] = '8'; }, 29],
    ['InvId missing', (f) => { delete f['InvId']; }, 29],
    ['InvId not a number', (f) => { f['InvId'] = '7a'; }, 30],
    ['another Shp_ value', (f) => { f['Shp_order'] = 'abd'; }, 29],
    ['an added Shp_', (f) => { f['Shp_extra'] = '1'; }, 29],
    ['a removed Shp_', (f) => { delete f['Shp_order']; }, 29],
    ['another MerchantLogin', (f) => { f['MerchantLogin'] = 'other-shop'; }, 26],
    ['MerchantLogin missing', (f) => { delete f['MerchantLogin']; }, 26],
    ['another SignatureValue', (f) => { const s = f['SignatureValue'] ?? ''; f['SignatureValue'] = (s[0] === '0' ? '1' : '0') + s.slice(1); }, 29],
    ['SignatureValue missing', (f) => { delete f['SignatureValue']; }, 29],
    ['SignatureValue not hex', (f) => { f['SignatureValue'] = 'zz'; }, 29],
    ['another Receipt', (f) => { f['Receipt'] = (f['Receipt'] ?? '').replace('3000', '3001'); }, 29],
    ['Receipt removed', (f) => { delete f['Receipt']; }, 29],
    ['Description over 100 characters', (f) => { f['Description'] = 'я'.repeat(101); }, 30],
    ['a parameter sent twice (case-insensitive names)', (f) => { f['outsum'] = '1.00'; }, 30],
    ['an unsupported StepByStep', (f) => { f['StepByStep'] = 'true'; }, 30],
  ];
  for (const [name, mutate, code] of cases) {
    test(`${name} → ${code}`, async () => {
      const sb = makeSandbox();
      const fields = base();
      mutate(fields);
      assert.equal(await errorCode(await postForm(sb, INDEX_URL, fields)), code);
      assert.equal(sb.calls.length, 0);
    });
  }

  test('a Receipt signed raw (JSON as is, in the field and in the signature) → 29, as at Robokassa', async () => {
    const sb = makeSandbox();
    const fields = base();
    const json = decodeURIComponent(fields['Receipt'] ?? '');
    fields['Receipt'] = json;
    fields['SignatureValue'] = md5(`demo-shop:4500.00:7:${json}:demo-password-1:Shp_order=abc`);
    const res = await postForm(sb, INDEX_URL, fields);
    assert.equal(await errorCode(res.clone()), 29);
    assert.match(await res.text(), /raw JSON/);
  });

  test('a Receipt signed raw but sent encoded → 29', async () => {
    const sb = makeSandbox();
    const fields = base();
    const json = decodeURIComponent(fields['Receipt'] ?? '');
    fields['SignatureValue'] = md5(`demo-shop:4500.00:7:${json}:demo-password-1:Shp_order=abc`);
    assert.equal(await errorCode(await postForm(sb, INDEX_URL, fields)), 29);
  });

  test('a GET link whose Receipt was encoded only once → 29', async () => {
    const sb = makeSandbox();
    const fields = base();
    const query = Object.entries(fields).map(([k, v]) => `${k}=${k === 'Receipt' ? v : encodeURIComponent(v)}`).join('&');
    assert.equal(await errorCode(await sb.app.request(`${INDEX_URL}?${query}`)), 29);
  });

  test('signed with Password #2, or with another algorithm → 29', async () => {
    const sb = makeSandbox();
    assert.equal(await errorCode(await postForm(sb, INDEX_URL, signed({}, { password1: 'demo-password-2' }).form.fields)), 29);
    assert.equal(await errorCode(await postForm(sb, INDEX_URL, signed({}, { algorithm: 'sha256' }).form.fields)), 29);
  });

  test('the 29 page shows the checked string with the password hidden, and never a password', async () => {
    const sb = makeSandbox();
    const fields = { ...base(), OutSum: '1.00' };
    const html = await (await postForm(sb, INDEX_URL, fields)).text();
    assert.match(html, /demo-shop:1\.00:7:%7B.*:\[Password #1\]:Shp_order=abc/);
    assert.doesNotMatch(html, /demo-password/);
  });

  test('an ExpirationDate in the past → 33', async () => {
    const sb = makeSandbox();
    assert.equal(await errorCode(await postForm(sb, INDEX_URL, signed({ expirationDate: '2026-11-01T00:00:00+05:00' }).form.fields)), 33);
  });

  test('40 for an InvId already paid outside test mode; test payments may repeat it', async () => {
    const live = makeSandbox({ testMode: false });
    const fields = signed({}, { test: false }).form.fields;
    const page = await open(live, fields);
    await pay(live, page, card(CARD_OK));
    assert.equal(await errorCode(await postForm(live, INDEX_URL, fields)), 40);
    // IsTest=1 makes it a test operation, which Robokassa never counts as a duplicate.
    await open(live, { ...fields, IsTest: '1' });

    const testShop = makeSandbox({ testMode: true });
    const testFields = signed().form.fields;
    await pay(testShop, await open(testShop, testFields), card(CARD_OK));
    await open(testShop, testFields);
  });

  test('a cancelled InvId can be paid again outside test mode', async () => {
    const live = makeSandbox({ testMode: false });
    const fields = signed({}, { test: false }).form.fields;
    const page = await open(live, fields);
    await postForm(live, `${SANDBOX}${page}/cancel`, {});
    await open(live, fields);
  });
});
