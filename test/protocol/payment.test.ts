// The payment request as GET link and POST form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildPaymentRequest, encodeReceipt, maskPassword, paymentPageUrl, paymentSignatureBase, toQueryString,
  type MerchantSettings, type Receipt,
} from '../../src/protocol/index.js';
import { nodeHasher } from '../../src/node-hasher.js';

const ru: MerchantSettings = { merchantLogin: 'robo-demo', hashAlgorithm: 'md5', region: 'ru', test: false };

test('payment page per region and override', () => {
  assert.equal(paymentPageUrl(ru), 'https://auth.robokassa.ru/Merchant/Index.aspx');
  assert.equal(paymentPageUrl({ ...ru, region: 'kz' }), 'https://auth.robokassa.kz/Merchant/Index.aspx');
  assert.equal(paymentPageUrl({ ...ru, paymentUrl: 'http://127.0.0.1:8080/sandbox/Merchant/Index.aspx' }), 'http://127.0.0.1:8080/sandbox/Merchant/Index.aspx');
});

test('V1 as a GET link and POST form: Encoding=utf-8 always, IsTest only in test mode', () => {
  const live = buildPaymentRequest(ru, 'password_1', { outSum: '100', invId: 1, description: 'Order 1' }, nodeHasher);
  assert.equal(live.url, 'https://auth.robokassa.ru/Merchant/Index.aspx?MerchantLogin=robo-demo&OutSum=100.00&InvId=1&Description=Order%201&SignatureValue=8ca1d1c1a6f9353bebe5b087697ba797&Encoding=utf-8');
  assert.deepEqual(live.form, {
    action: 'https://auth.robokassa.ru/Merchant/Index.aspx',
    fields: { MerchantLogin: 'robo-demo', OutSum: '100.00', InvId: '1', Description: 'Order 1', SignatureValue: '8ca1d1c1a6f9353bebe5b087697ba797', Encoding: 'utf-8' },
  });
  assert.equal(live.maskedBase, 'robo-demo:100.00:1:********');
  const testMode = buildPaymentRequest({ ...ru, test: true, region: 'kz' }, 'password_1', { outSum: '100.00', invId: 1, description: 'Order 1' }, nodeHasher);
  assert.equal(testMode.form.fields['IsTest'], '1');
  assert.ok(testMode.url.startsWith('https://auth.robokassa.kz/Merchant/Index.aspx?'));
  assert.ok(testMode.url.endsWith('&Encoding=utf-8&IsTest=1'));
});

test('every optional field is sent, Shp_ sorted and signed after the password', () => {
  const built = buildPaymentRequest({ ...ru, test: true, paymentUrl: 'http://localhost:1/sandbox/Merchant/Index.aspx' }, 'password_1', {
    outSum: '100.00', invId: 42, description: 'Курс «Основы»', culture: 'en', email: 'buyer@example.com',
    expirationDate: '2029-01-16T12:00:00+03:00', outSumCurrency: 'USD', userIp: '192.168.1.1', incCurrLabel: 'BankCard',
    shp: { Shp_user_id: '123', Shp_email: 'test@test.com' },
  }, nodeHasher);
  assert.deepEqual(Object.keys(built.form.fields), [
    'MerchantLogin', 'OutSum', 'InvId', 'Description', 'SignatureValue', 'OutSumCurrency', 'UserIp', 'IncCurrLabel',
    'Culture', 'Email', 'ExpirationDate', 'Encoding', 'IsTest', 'Shp_email', 'Shp_user_id',
  ]);
  const expected = nodeHasher('md5', 'robo-demo:100.00:42:USD:192.168.1.1:password_1:Shp_email=test@test.com:Shp_user_id=123');
  assert.equal(built.signature, expected);
  assert.equal(built.maskedBase, 'robo-demo:100.00:42:USD:192.168.1.1:********:Shp_email=test@test.com:Shp_user_id=123');
  assert.ok(built.url.startsWith('http://localhost:1/sandbox/Merchant/Index.aspx?'));
  const query = new URL(built.url).searchParams;
  for (const [name, value] of Object.entries(built.form.fields)) assert.equal(query.get(name), value, name);
  assert.ok(built.url.includes('Description=%D0%9A%D1%83%D1%80%D1%81%20'), 'spaces as %20');
});

const receipt: Receipt = {
  sno: 'usn_income',
  items: [
    { name: 'Курс "Основы" 50% & 1+1', quantity: 1, sum: '1500.00', tax: 'none', payment_method: 'full_payment', payment_object: 'service' },
    { name: 'Book', quantity: 2, sum: '0.50', tax: 'vat20', nomenclature_code: '04600439931256' },
  ],
};

test('Receipt: JSON written with number tokens from decimal strings, signed encoded once, GET encodes twice', () => {
  const { json, encoded } = encodeReceipt(receipt);
  assert.equal(json, '{"sno":"usn_income","items":[{"name":"Курс \\"Основы\\" 50% & 1+1","quantity":1,"sum":1500,"payment_method":"full_payment","payment_object":"service","tax":"none"},{"name":"Book","quantity":2,"sum":0.5,"tax":"vat20","nomenclature_code":"04600439931256"}]}');
  assert.deepEqual(JSON.parse(json), { ...receipt, items: receipt.items.map((i) => ({ ...i, sum: Number(i.sum) })) });
  assert.equal(encoded, encodeURIComponent(json));

  const built = buildPaymentRequest(ru, 'password_1', { outSum: '1500.50', invId: 9, description: 'Course', receipt }, nodeHasher);
  assert.equal(built.form.fields['Receipt'], encoded);
  assert.equal(built.signature, nodeHasher('md5', `robo-demo:1500.50:9:${encoded}:password_1`));
  assert.ok(built.url.includes(`&Receipt=${encodeURIComponent(encoded)}&`));
  assert.equal(new URL(built.url).searchParams.get('Receipt'), encoded, 'one decode of the GET link gives the signed value');
  assert.equal(decodeURIComponent(built.form.fields['Receipt'] ?? ''), json);
});

test('Receipt without sno (Kazakh shops) leaves it out', () => {
  assert.equal(encodeReceipt({ items: [{ name: 'X', quantity: 1, sum: '10.00', tax: 'vat12' }] }).json, '{"items":[{"name":"X","quantity":1,"sum":10,"tax":"vat12"}]}');
});

test('a raw Receipt value is signed and sent exactly as given; bad raw values are refused', () => {
  const raw = '%7B%22items%22%3A%5B%5D%7D';
  const built = buildPaymentRequest(ru, 'password_1', { outSum: '1.00', invId: 1, description: '' }, nodeHasher, { rawReceipt: raw });
  assert.equal(built.form.fields['Receipt'], raw);
  assert.equal(built.form.fields['Description'], undefined, 'empty Description is not sent');
  assert.throws(() => buildPaymentRequest(ru, 'p', { outSum: '1.00', invId: 1, description: '' }, nodeHasher, { rawReceipt: '{"items": []}' }), { field: 'Receipt' });
  assert.throws(() => buildPaymentRequest(ru, 'p', { outSum: '10.00', invId: 1, description: '', receipt }, nodeHasher, { rawReceipt: raw }), { field: 'Receipt' });
});

test('signature base strings put optional modifiers in the documented order', () => {
  assert.equal(paymentSignatureBase({ merchantLogin: 'm', outSum: '1.00', invId: '', outSumCurrency: 'USD', userIp: '127.0.0.1', password1: 'password#1' }), 'm:1.00::USD:127.0.0.1:password#1');
  assert.equal(paymentSignatureBase({ merchantLogin: 'm', outSum: '1.00', invId: '2', userIp: '1.1.1.1', receipt: 'R', password1: 'p', shp: { Shp_b: '2', Shp_a: '1' } }), 'm:1.00:2:1.1.1.1:R:p:Shp_a=1:Shp_b=2');
});

test('maskPassword hides every occurrence, longest password first', () => {
  assert.equal(maskPassword('a:secret:b:secret', 'secret'), 'a:********:b:********');
  assert.equal(maskPassword('x:pass:password', 'pass', 'password'), 'x:********:********');
  assert.equal(maskPassword('unchanged', ''), 'unchanged');
});

test('toQueryString encodes names and values once, spaces as %20', () => {
  assert.equal(toQueryString({ 'a b': 'c&d=e f', Receipt: '%7B' }), 'a%20b=c%26d%3De%20f&Receipt=%257B');
});
