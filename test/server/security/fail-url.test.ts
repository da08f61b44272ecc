// FailURL is not signed by Robokassa, and InvIds are sequential and prices public: anyone could call
// /fail for every recent invoice and turn buyers' pending payments to failed while they are still on
// the payment page (the element would then report a refusal). Each payment therefore carries a random
// Shp_ token, signed into its payment link, that Robokassa echoes on FailURL; without it a FailURL
// changes nothing (the page is still shown, and recorded as ignored).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSandboxApp } from '../../../src/sandbox/app.js';
import { PASSWORD1, PASSWORD2, checkout, form, signed } from '../helpers.js';
import { fileApp, snapshot } from './support.js';

const FAIL_TOKEN = 'Shp_rk';

test('a FailURL made up from a guessed InvId and the public price changes nothing; the one carrying the payment\'s token fails it', async () => {
  const t = fileApp();
  try {
    const pay = await checkout(t);
    const token = pay.form.fields[FAIL_TOKEN];
    assert.ok(token !== undefined && /^[0-9a-f]{32}$/.test(token), 'the payment link carries a fail token');
    assert.equal(new URL(pay.url).searchParams.get(FAIL_TOKEN), token);
    const before = snapshot(t.db);
    for (const forged of [
      `/robokassa/fail?OutSum=1500.00&InvId=${pay.invoiceId}&Culture=ru`,
      `/robokassa/fail?OutSum=1500.000000&InvId=${pay.invoiceId}&${FAIL_TOKEN}=${'0'.repeat(32)}`,
      `/robokassa/fail?OutSum=1500.00&InvId=${pay.invoiceId}&${FAIL_TOKEN}=`,
    ]) {
      const res = await t.app.request(forged);
      assert.ok(res.status < 500);
    }
    const posted = await t.app.request('/robokassa/fail', form(new URLSearchParams({ OutSum: '1500.00', InvId: String(pay.invoiceId) })));
    assert.ok(posted.status < 500);
    assert.equal(snapshot(t.db).states, before.states, 'a forged FailURL changed the payment');
    const notes = await t.store.listNotifications(pay.invoiceId);
    assert.deepEqual(notes.map((n) => [n.kind, n.verdict, n.reason]), Array(4).fill(['fail', 'ignored', 'fail_token_mismatch']));

    // Robokassa's own FailURL carries the token back
    const real = await t.app.request(`/robokassa/fail?OutSum=1500.000000&InvId=${pay.invoiceId}&Culture=ru&${FAIL_TOKEN}=${token}`);
    assert.equal(real.status, 200);
    assert.equal((await t.store.getPayment(pay.id))?.status, 'failed');
    // and a later ResultURL (signed over the Shp_ token too) still makes it paid
    const ok = await t.app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: pay.invoiceId, shp: { [FAIL_TOKEN]: token } })));
    assert.equal(await ok.text(), `OK${pay.invoiceId}`);
    assert.equal((await t.store.getPayment(pay.id))?.status, 'paid');
  } finally {
    t.close();
  }
});

test('the sandbox (as Robokassa) echoes the token: its cancel sends a FailURL that fails the payment', async () => {
  const t = fileApp({ ROBOKASSA_PAYMENT_URL: 'http://sandbox.test/sandbox/Merchant/Index.aspx' });
  try {
    const sandbox = createSandboxApp({
      merchantLogin: 'test-shop', password1: PASSWORD1, password2: PASSWORD2, hashAlgorithm: 'md5', testMode: true,
      resultUrl: 'http://shop.test/robokassa/result', successUrl: 'http://shop.test/robokassa/success', failUrl: 'http://shop.test/robokassa/fail',
      failMethod: 'GET', log: () => undefined,
    });
    const pay = await checkout(t);
    let res = await sandbox.request(pay.url);
    for (let hops = 0; res.status === 303 && hops < 3; hops++) res = await sandbox.request(new URL(res.headers.get('location')!, 'http://sandbox.test').href);
    const html = await res.text();
    const cancel = /<form class="inline" method="post" action="([^"]*\/cancel)"/.exec(html)?.[1];
    assert.ok(cancel, 'a cancel form on the payment page');
    let cancelled = await sandbox.request(new URL(cancel.replace(/&amp;/g, '&'), 'http://sandbox.test').href, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    for (let hops = 0; cancelled.status === 303 && (cancelled.headers.get('location') ?? '').startsWith('/sandbox/') && hops < 3; hops++) {
      cancelled = await sandbox.request(new URL(cancelled.headers.get('location')!, 'http://sandbox.test').href);
    }
    // the sandbox sends the buyer to FailURL: by redirect, or a page with a link/form to it
    const location = cancelled.headers.get('location') ?? '';
    const body = await cancelled.text();
    const failUrl = location.startsWith('http://shop.test/robokassa/fail')
      ? location
      : /(http:\/\/shop\.test\/robokassa\/fail[^"]*)"/.exec(body)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(failUrl, `the way back to FailURL: ${cancelled.status} ${location} ${body.slice(0, 300)}`);
    assert.equal(new URL(failUrl).searchParams.get(FAIL_TOKEN), pay.form.fields[FAIL_TOKEN]);
    await t.app.request(failUrl.replace('http://shop.test', ''));
    assert.equal((await t.store.getPayment(pay.id))?.status, 'failed');
  } finally {
    t.close();
  }
});
