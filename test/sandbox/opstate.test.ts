// OpStateExt: the documented XML for the sandbox's operations, and its signature check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { opStateRequestUrl, parseOpStateXml } from '../../src/protocol/index.js';
import { nodeHasher } from '../../src/node-hasher.js';
import { CARD_OK, INDEX_URL, SANDBOX, card, makeSandbox, md5, open, pay, postForm, signed, type Sandbox } from './support.js';

const SETTINGS = { merchantLogin: 'demo-shop', hashAlgorithm: 'md5' as const, region: 'kz' as const, test: true, paymentUrl: INDEX_URL };

async function opState(sb: Sandbox, invId: string, password2 = 'demo-password-2') {
  const res = await sb.app.request(opStateRequestUrl(SETTINGS, invId, password2, nodeHasher));
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/xml/);
  return parseOpStateXml(await res.text());
}

test('a paid operation: Result 0, State 100, amounts and Shp_ fields', async () => {
  const sb = makeSandbox();
  await pay(sb, await open(sb, signed().form.fields), card(CARD_OK));
  const state = await opState(sb, '7');
  assert.equal(state.resultCode, 0);
  assert.equal(state.state?.code, 100);
  assert.equal(state.state?.status, 'paid');
  assert.equal(state.info?.outSum, '4500.000000');
  assert.equal(state.info?.incSum, '4500.000000');
  assert.equal(state.info?.paymentMethod, 'BankCard');
  assert.equal(state.info?.incAccount, '************1111');
  assert.deepEqual(state.userFields, { Shp_order: 'abc' });
});

test('a pending, then a cancelled operation: State 5, then 10', async () => {
  const sb = makeSandbox();
  const page = await open(sb, signed().form.fields);
  assert.equal((await opState(sb, '7')).state?.code, 5);
  await postForm(sb, `${SANDBOX}${page}/cancel`, {});
  const state = await opState(sb, '7');
  assert.equal(state.resultCode, 0);
  assert.equal(state.state?.code, 10);
  assert.equal(state.state?.status, 'cancelled');
});

test('a refused operation: State 10', async () => {
  const sb = makeSandbox();
  await pay(sb, await open(sb, signed().form.fields), card('4000000000009995'));
  assert.equal((await opState(sb, '7')).state?.code, 10);
});

test('an unknown InvId: Result 3, no State', async () => {
  const sb = makeSandbox();
  const state = await opState(sb, '999');
  assert.equal(state.resultCode, 3);
  assert.equal(state.state, undefined);
});

test('a wrong signature: Result 1; an unknown shop: Result 2; the documented vector V11 is accepted', async () => {
  const sb = makeSandbox();
  await pay(sb, await open(sb, signed().form.fields), card(CARD_OK));
  assert.equal((await opState(sb, '7', 'demo-password-1')).resultCode, 1);
  const other = await sb.app.request(`${SANDBOX}/sandbox/Merchant/WebService/Service.asmx/OpStateExt?MerchantLogin=x&InvoiceID=7&Signature=${md5('x:7:demo-password-2')}`);
  assert.equal(parseOpStateXml(await other.text()).resultCode, 2);

  const v11 = makeSandbox({ merchantLogin: 'robo-demo', password2: 'password_2' });
  const res = await v11.app.request(`${SANDBOX}/sandbox/Merchant/WebService/Service.asmx/OpStateExt?MerchantLogin=robo-demo&InvoiceID=450009&Signature=ad5be97c499e744276fb3265f24dace0`);
  assert.equal(parseOpStateXml(await res.text()).resultCode, 3); // signature fine, no such operation
});

test('a paid InvId wins over a later unpaid attempt with the same InvId (test mode)', async () => {
  const sb = makeSandbox();
  await pay(sb, await open(sb, signed().form.fields), card(CARD_OK));
  await open(sb, signed().form.fields);
  assert.equal((await opState(sb, '7')).state?.code, 100);
});

test('a payment left past its ExpirationDate is cancelled: the buyer goes to FailURL, State 10', async () => {
  let clock = new Date('2026-11-29T08:00:00Z');
  const sb = makeSandbox({ now: () => clock });
  const page = await open(sb, signed({ expirationDate: '2026-11-29T13:10:00+05:00' }).form.fields);
  clock = new Date('2026-11-29T08:11:00Z');
  const res = await sb.app.request(`${SANDBOX}${page}`);
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location') ?? '', /^http:\/\/shop\.test\/robokassa\/fail\?/);
  assert.equal((await opState(sb, '7')).state?.code, 10);
  const late = await postForm(sb, `${SANDBOX}${page}`, card(CARD_OK));
  assert.equal(late.status, 303);
  assert.equal(sb.calls.length, 0);
});
