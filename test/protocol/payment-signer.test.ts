// paymentSigner's prepared receipts: checked and encoded once, signed exactly like the receipt object,
// and accepted only from the signer that checked them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RobokassaError, paymentSigner, type MerchantSettings, type Receipt } from '../../src/protocol/index.js';
import { nodeHasher } from '../../src/node-hasher.js';

const kz: MerchantSettings = { merchantLogin: 'robo-demo', hashAlgorithm: 'sha256', region: 'kz', test: true };
const receipt: Receipt = {
  sno: 'usn_income',
  items: [
    { name: 'Курс «Основы»', quantity: 2, sum: '3000.00', payment_method: 'full_payment', payment_object: 'service', tax: 'none' },
    { name: 'Book', quantity: 1, sum: '301.50', tax: 'vat12' },
  ],
};
const request = { outSum: '3301.50', invId: 7, description: 'Курс «Основы» ×2, Book', shp: { Shp_rk: '0123abcd' } };

test('a prepared receipt signs the same link and form as the receipt object', () => {
  const sign = paymentSigner(kz, 'password_1', nodeHasher);
  const prepared = sign.prepareReceipt(receipt);
  assert.equal(prepared.total, '3301.50');
  const viaObject = sign({ ...request, receipt });
  const viaPrepared = sign(request, { preparedReceipt: prepared });
  assert.equal(viaPrepared.url, viaObject.url);
  assert.deepEqual(viaPrepared.form, viaObject.form);
  assert.equal(viaPrepared.signature, viaObject.signature);
  assert.ok(Object.isFrozen(prepared));
});

test('prepareReceipt checks what signing a receipt object checks', () => {
  const sign = paymentSigner(kz, 'password_1', nodeHasher);
  assert.throws(() => sign.prepareReceipt({ items: [{ name: 'X', quantity: 1, sum: '10.00', tax: 'vat20' }] }), /Receipt\.items\[0\]\.tax: "vat20" is a Russian VAT code/);
  assert.throws(() => sign.prepareReceipt({ items: [{ name: 'X', quantity: 1, sum: '123456789.00', tax: 'none' }] }), RobokassaError);
  assert.throws(() => sign.prepareReceipt({ items: [] }), /Receipt\.items/);
});

test('the OutSum must equal the prepared total; only one receipt source; only this signer\'s receipts', () => {
  const sign = paymentSigner(kz, 'password_1', nodeHasher);
  const prepared = sign.prepareReceipt(receipt);
  assert.throws(() => sign({ ...request, outSum: '3301.49' }, { preparedReceipt: prepared }), (e: unknown) => e instanceof RobokassaError && e.code === 'receipt_total_mismatch');
  assert.throws(() => sign({ ...request, receipt }, { preparedReceipt: prepared }), /prepared receipt alone/);
  // made elsewhere (another signer, or by hand): not a checked receipt
  const other = paymentSigner(kz, 'password_1', nodeHasher).prepareReceipt(receipt);
  assert.throws(() => sign(request, { preparedReceipt: other }), /must come from this signer's prepareReceipt/);
  assert.throws(() => sign(request, { preparedReceipt: { encoded: '%7B%7D', total: '3301.50' } }), /must come from this signer's prepareReceipt/);
  // the request itself is still validated
  assert.throws(() => sign({ ...request, invId: 0 }, { preparedReceipt: prepared }), /InvId/);
});
