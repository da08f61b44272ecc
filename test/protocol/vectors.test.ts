// Every shared vector reproduced exactly: base string and signature, through the low-level base
// functions and through the public builders/verifiers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RobokassaError, buildPaymentRequest, callbackSignatureBase, encodeReceipt, opStateRequestUrl, opStateSignatureBase,
  paymentSignatureBase, resultAnswer, verifyResultUrl, verifySuccessUrl, type MerchantSettings, type Receipt,
} from '../../src/protocol/index.js';
import { nodeHasher } from '../../src/node-hasher.js';
import { expectedBase, vectors } from './vectors.js';

function settingsFor(v: { merchantLogin?: string; algorithm: MerchantSettings['hashAlgorithm'] }): MerchantSettings {
  return { merchantLogin: v.merchantLogin ?? 'robo-demo', hashAlgorithm: v.algorithm, region: 'ru', test: false };
}

test('the fixture holds every kind of vector', () => {
  const kinds = new Set(vectors.map((v) => v.kind));
  assert.deepEqual([...kinds].sort(), ['opstate', 'payment', 'result', 'success']);
  assert.ok(vectors.length >= 16);
});

for (const v of vectors) {
  test(`${v.id}: base string and signature (${v.note})`, () => {
    let base: string;
    if (v.kind === 'payment') {
      base = paymentSignatureBase({
        merchantLogin: v.merchantLogin ?? '', outSum: v.outSum ?? '', invId: v.invId, password1: v.password1 ?? '',
        ...(v.outSumCurrency !== undefined && { outSumCurrency: v.outSumCurrency }),
        ...(v.userIp !== undefined && { userIp: v.userIp }),
        ...(v.receiptSigned !== undefined && { receipt: v.receiptSigned }),
        ...(v.shp !== undefined && { shp: v.shp }),
      });
    } else if (v.kind === 'opstate') {
      base = opStateSignatureBase({ merchantLogin: v.merchantLogin ?? '', invId: v.invId, password2: v.password ?? '' });
    } else {
      base = callbackSignatureBase({ outSum: v.outSum ?? '', invId: v.invId, password: v.password ?? '', ...(v.shp && { shp: v.shp }) });
    }
    assert.equal(base, expectedBase(v));
    assert.equal(nodeHasher(v.algorithm, base), v.signature.toLowerCase());
  });
}

for (const v of vectors.filter((x) => x.kind === 'payment')) {
  test(`${v.id}: buildPaymentRequest signs the same and masks the password`, () => {
    const request = {
      outSum: v.outSum ?? '',
      ...(v.invId !== '' && { invId: Number(v.invId) }),
      description: 'Order',
      ...(v.outSumCurrency !== undefined && { outSumCurrency: v.outSumCurrency as 'USD' }),
      ...(v.userIp !== undefined && { userIp: v.userIp }),
      ...(v.shp !== undefined && { shp: v.shp }),
    };
    const built = buildPaymentRequest(settingsFor(v), v.password1 ?? '', request, nodeHasher, {
      allowMissingInvId: v.invId === '',
      ...(v.receiptSigned !== undefined && { rawReceipt: v.receiptSigned }),
    });
    assert.equal(built.signature, v.signature);
    assert.equal(built.form.fields['SignatureValue'], v.signature);
    assert.equal(built.maskedBase, expectedBase(v).replace(v.password1 ?? '', '********'));
    assert.ok(!built.maskedBase.includes(v.password1 ?? ''));
    assert.ok(!built.url.includes(v.password1 ?? ''));
    if (v.invId === '') assert.equal(built.form.fields['InvId'], undefined);
    if (v.receiptSigned !== undefined) {
      assert.equal(built.form.fields['Receipt'], v.receiptSigned, 'POST field carries the signed value');
      assert.ok(built.url.includes(`&Receipt=${encodeURIComponent(v.receiptSigned)}&`), 'GET link encodes it once more');
    }
  });
}

// The V6 receipt: our encoder writes exactly the JSON and the signed string of the vector.
const v6Receipt: Receipt = {
  sno: 'usn_income',
  items: [{
    name: 'Чай «Эрл Грей» 50% & "кава" + 1/2: ok', quantity: 2, sum: '301.50',
    payment_method: 'full_payment', payment_object: 'commodity', tax: 'none',
  }],
};

for (const v of vectors.filter((x) => x.receiptJson !== undefined)) {
  test(`${v.id}: encodeReceipt writes the vector's JSON and encoded form`, () => {
    const { json, encoded } = encodeReceipt(v6Receipt);
    assert.equal(json, v.receiptJson);
    assert.equal(encoded, v.receiptSigned);
  });

  test(`${v.id}: a payment request with this receipt is refused (its lines add up to 301.50, not ${v.outSum})`, () => {
    assert.throws(
      () => buildPaymentRequest(settingsFor(v), v.password1 ?? '', { outSum: v.outSum ?? '', invId: Number(v.invId), description: 'Tea', receipt: v6Receipt }, nodeHasher),
      (e: unknown) => e instanceof RobokassaError && e.code === 'receipt_total_mismatch' && e.field === 'Receipt',
    );
  });

  test(`${v.id}: with OutSum equal to the lines, the receipt request signs the documented way`, () => {
    const built = buildPaymentRequest(settingsFor(v), v.password1 ?? '', {
      outSum: '301.50', invId: Number(v.invId), description: 'Tea', receipt: v6Receipt, ...(v.shp && { shp: v.shp }),
    }, nodeHasher);
    const base = paymentSignatureBase({ merchantLogin: 'robo-demo', outSum: '301.50', invId: v.invId, receipt: v.receiptSigned ?? '', password1: v.password1 ?? '', ...(v.shp && { shp: v.shp }) });
    assert.equal(built.signature, nodeHasher(v.algorithm, base));
    assert.equal(built.form.fields['Receipt'], v.receiptSigned);
  });
}

for (const v of vectors.filter((x) => x.kind === 'result')) {
  test(`${v.id}: verifyResultUrl accepts the notification as sent (upper-case hex) and answers ${v.reply}`, () => {
    const params = new URLSearchParams({ OutSum: v.outSum ?? '', InvId: v.invId, SignatureValue: v.signature, ...v.shp });
    const parsed = verifyResultUrl(params, v.password ?? '', v.algorithm, nodeHasher);
    assert.equal(parsed.outSum, v.outSum, 'OutSum kept exactly as received');
    assert.deepEqual(parsed.shp, v.shp);
    assert.equal(resultAnswer(parsed.invId), v.reply);
    // the same as a plain record, and with lower-case hex
    verifyResultUrl({ OutSum: v.outSum ?? '', InvId: v.invId, SignatureValue: v.signature.toLowerCase(), ...v.shp }, v.password ?? '', v.algorithm, nodeHasher);
  });
}

for (const v of vectors.filter((x) => x.kind === 'success')) {
  test(`${v.id}: verifySuccessUrl accepts it with Password #1; ResultURL check with it fails`, () => {
    const params = { OutSum: v.outSum ?? '', InvId: v.invId, SignatureValue: v.signature, Culture: 'ru', ...v.shp };
    assert.equal(verifySuccessUrl(params, v.password ?? '', v.algorithm, nodeHasher).invId, v.invId);
    assert.throws(() => verifyResultUrl(params, 'password_2', v.algorithm, nodeHasher), { code: 'signature_mismatch' });
  });
}

for (const v of vectors.filter((x) => x.kind === 'opstate')) {
  test(`${v.id}: opStateRequestUrl gives the vector's URL`, () => {
    assert.equal(opStateRequestUrl(settingsFor(v), v.invId, v.password ?? '', nodeHasher), v.url);
  });
}
