// The buyer's flow for each test card: the exact ResultURL notification, the SuccessURL / FailURL
// parameters, retries, the honest "shop not notified" page, and that card data never leaves the page.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { verifyResultUrl, verifySuccessUrl } from '../../src/protocol/index.js';
import { nodeHasher } from '../../src/node-hasher.js';
import {
  CARD_OK, CVV, SANDBOX, SHOP, card, hiddenFields, makeSandbox, md5, open, pay, postForm, returnLink, signed, until,
  type Sandbox,
} from './support.js';

const RESULT_SIGNATURE = md5('4500.000000:7:demo-password-2:Shp_order=abc').toUpperCase();
const SUCCESS_SIGNATURE = md5('4500.000000:7:demo-password-1:Shp_order=abc').toUpperCase();
const EXPECTED_RESULT_BODY = 'OutSum=4500.000000&InvId=7&Fee=175.500000&IncSum=4500.000000&EMail=buyer%40example.com'
  + `&IncCurrLabel=BankCardPSR&PaymentMethod=BankCard&Shp_order=abc&SignatureValue=${RESULT_SIGNATURE}&IsTest=1`;
const EXPECTED_SUCCESS = `${SHOP}/success?OutSum=4500.000000&InvId=7&SignatureValue=${SUCCESS_SIGNATURE}&IsTest=1&Culture=ru&Shp_order=abc`;
const EXPECTED_FAIL = `${SHOP}/fail?OutSum=4500.000000&InvId=7&Culture=ru&Shp_order=abc`;

async function start(sb: Sandbox): Promise<string> {
  return open(sb, signed().form.fields);
}

function assertPaid(sb: Sandbox, res: Response): void {
  assert.equal(sb.calls.length, 1);
  const call = sb.calls[0];
  assert.ok(call);
  assert.equal(call.method, 'POST');
  assert.equal(call.url, `${SHOP}/result`);
  assert.equal(call.body, EXPECTED_RESULT_BODY);
  // The backend's own verification (protocol) accepts it.
  const params = verifyResultUrl(new URLSearchParams(call.body), 'demo-password-2', 'md5', nodeHasher);
  assert.equal(params.invId, '7');
  assert.equal(res.status, 303);
  const location = res.headers.get('location') ?? '';
  assert.equal(location, EXPECTED_SUCCESS);
  verifySuccessUrl(new URL(location).searchParams, 'demo-password-1', 'md5', nodeHasher);
}

async function assertRefused(sb: Sandbox, res: Response, reason: RegExp): Promise<void> {
  assert.equal(sb.calls.length, 0, 'no ResultURL for a refusal');
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /Платёж отклонён/);
  assert.match(html, reason);
  const link = returnLink(html);
  assert.equal(link, EXPECTED_FAIL);
  assert.doesNotMatch(link ?? '', /SignatureValue|reason|insufficient/i);
  assert.match(html, /data-autofollow="5000"/);
  assert.match(html, /<script src="\/sandbox\/assets\/return\.js" defer><\/script>/);
}

describe('test cards', () => {
  test('4111 1111 1111 1111 is paid at once: ResultURL, then SuccessURL', async () => {
    const sb = makeSandbox();
    assertPaid(sb, await pay(sb, await start(sb), card(CARD_OK)));
  });

  test('any other Luhn-valid card is paid (documented choice)', async () => {
    const sb = makeSandbox();
    assertPaid(sb, await pay(sb, await start(sb), card('4242424242424242')));
  });

  test('5555 5555 5555 4444 asks for the 3-D Secure code; 1234 pays', async () => {
    const sb = makeSandbox();
    const page = await start(sb);
    const res = await postForm(sb, `${SANDBOX}${page}`, card('5555 5555 5555 4444'));
    assert.equal(res.status, 303);
    const tds = await sb.app.request(`${SANDBOX}${res.headers.get('location')}`);
    assert.equal(tds.status, 303);
    assert.equal(tds.headers.get('location'), `${page}/3ds`);
    const html = await (await sb.app.request(`${SANDBOX}${page}/3ds`)).text();
    assert.match(html, /autocomplete="one-time-code"/);
    assert.match(html, /•••• 4444/);
    assert.equal(sb.calls.length, 0);
    const done = await postForm(sb, `${SANDBOX}${page}/3ds`, { code: '1234' });
    assertPaid(sb, await sb.app.request(`${SANDBOX}${done.headers.get('location')}`));
  });

  test('5555 5555 5555 4444 with another code is refused', async () => {
    const sb = makeSandbox();
    const page = await start(sb);
    await postForm(sb, `${SANDBOX}${page}`, card('5555555555554444'));
    const done = await postForm(sb, `${SANDBOX}${page}/3ds`, { code: '1235' });
    await assertRefused(sb, await sb.app.request(`${SANDBOX}${done.headers.get('location')}`), /неверный код 3-D Secure/);
  });

  const refusals: [string, RegExp][] = [
    ['4000 0000 0000 9995', /недостаточно средств/],
    ['4000 0000 0000 0069', /срок действия карты истёк или данные карты неверны/],
    ['4000 0000 0000 0127', /оплата в интернете по этой карте запрещена/],
    ['4000 0000 0000 0002', /исчерпан суточный лимит/],
  ];
  for (const [number, reason] of refusals) {
    test(`${number} is refused: the page says why, FailURL does not`, async () => {
      const sb = makeSandbox();
      await assertRefused(sb, await pay(sb, await start(sb), card(number)), reason);
    });
  }

  test('5105 1051 0510 5100: the code never arrives, any code is wrong, the buyer can only cancel', async () => {
    const sb = makeSandbox();
    const page = await start(sb);
    await postForm(sb, `${SANDBOX}${page}`, card('5105 1051 0510 5100'));
    const html = await (await sb.app.request(`${SANDBOX}${page}/3ds`)).text();
    assert.match(html, /код не придёт/);
    for (const code of ['1234', '0000']) {
      const res = await postForm(sb, `${SANDBOX}${page}/3ds`, { code });
      assert.equal(res.status, 422);
      assert.match(await res.text(), /aria-invalid="true"/);
    }
    const cancel = await postForm(sb, `${SANDBOX}${page}/cancel`, {});
    const back = await sb.app.request(`${SANDBOX}${cancel.headers.get('location')}`);
    assert.equal(back.status, 303);
    assert.equal(back.headers.get('location'), EXPECTED_FAIL);
    assert.equal(sb.calls.length, 0);
  });
});

describe('the card form', () => {
  test('wrong fields come back with inline errors, labels and the CVV not echoed', async () => {
    const sb = makeSandbox();
    const page = await start(sb);
    const res = await postForm(sb, `${SANDBOX}${page}`, { cardNumber: '4111 1111 1111 1112', expiry: '10/26', cvc: '12', email: 'nope' });
    assert.equal(res.status, 422);
    const html = await res.text();
    for (const id of ['card-number', 'card-expiry', 'card-cvc', 'email']) {
      assert.match(html, new RegExp(`<label for="${id}">`));
      assert.match(html, new RegExp(`id="${id}"[^>]*aria-describedby="${id}-hint ${id}-error" aria-invalid="true"`));
      assert.match(html, new RegExp(`<span class="error" id="${id}-error">`));
    }
    assert.match(html, /Номер карты введён с ошибкой/);
    assert.match(html, /Срок действия карты истёк/);
    assert.match(html, /autocomplete="cc-number"/);
    assert.match(html, /autocomplete="cc-exp"/);
    assert.match(html, /autocomplete="cc-csc"/);
    assert.match(html, /autocomplete="email"/);
    assert.match(html, /id="card-cvc" name="cvc" type="password" autocomplete="cc-csc" value=""/);
    assert.equal(sb.calls.length, 0);
  });

  test('"return to the shop" cancels: FailURL by GET redirect', async () => {
    const sb = makeSandbox();
    const page = await start(sb);
    const res = await postForm(sb, `${SANDBOX}${page}/cancel`, {});
    const back = await sb.app.request(`${SANDBOX}${res.headers.get('location')}`);
    assert.equal(back.headers.get('location'), EXPECTED_FAIL);
    // A cancelled page cannot be paid afterwards.
    const late = await postForm(sb, `${SANDBOX}${page}`, card(CARD_OK));
    assert.equal(late.status, 303);
    assert.equal(sb.calls.length, 0);
  });

  test('two submits at the same moment pay and notify once', async () => {
    const sb = makeSandbox();
    const page = await start(sb);
    await Promise.all([1, 2, 3].map(() => postForm(sb, `${SANDBOX}${page}`, card(CARD_OK))));
    assert.equal(sb.calls.length, 1);
  });

  test('paying twice (a double submit) notifies once', async () => {
    const sb = makeSandbox();
    const page = await start(sb);
    await pay(sb, page, card(CARD_OK));
    await pay(sb, page, card(CARD_OK));
    assert.equal(sb.calls.length, 1);
  });
});

describe('methods set in the cabinet', () => {
  test('POST SuccessURL and FailURL: self-submitting forms with an external script, ResultURL by GET', async () => {
    const sb = makeSandbox({ successMethod: 'POST', failMethod: 'POST', resultMethod: 'GET' });
    const res = await pay(sb, await start(sb), card(CARD_OK));
    assert.equal(sb.calls[0]?.method, 'GET');
    assert.equal(sb.calls[0]?.url, `${SHOP}/result?${EXPECTED_RESULT_BODY}`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, new RegExp(`<form class="inline" method="post" action="${SHOP}/success" data-autosubmit="0">`));
    assert.deepEqual(hiddenFields(html), [['OutSum', '4500.000000'], ['InvId', '7'], ['SignatureValue', SUCCESS_SIGNATURE], ['IsTest', '1'], ['Culture', 'ru'], ['Shp_order', 'abc']]);
    assert.match(html, /<script src="\/sandbox\/assets\/return\.js" defer>/);

    const sb2 = makeSandbox({ failMethod: 'POST' });
    const page = await start(sb2);
    const cancel = await postForm(sb2, `${SANDBOX}${page}/cancel`, {});
    const fail = await (await sb2.app.request(`${SANDBOX}${cancel.headers.get('location')}`)).text();
    assert.match(fail, new RegExp(`action="${SHOP}/fail" data-autosubmit="0"`));
    assert.deepEqual(hiddenFields(fail), [['OutSum', '4500.000000'], ['InvId', '7'], ['Culture', 'ru'], ['Shp_order', 'abc']]);
  });

  test('outside test mode: no IsTest in the callbacks', async () => {
    const sb = makeSandbox({ testMode: false });
    const res = await pay(sb, await open(sb, signed({}, { test: false }).form.fields), card(CARD_OK));
    assert.doesNotMatch(sb.calls[0]?.body ?? '', /IsTest/);
    assert.doesNotMatch(res.headers.get('location') ?? '', /IsTest/);
  });

  test('the documented vectors V9 (ResultURL) and V10 (SuccessURL)', async () => {
    const sb = makeSandbox({ merchantLogin: 'robo-demo', password1: 'password_1', password2: 'password_2' });
    const fields = { MerchantLogin: 'robo-demo', OutSum: '100.00', InvId: '450009', Description: 'V9', Shp_oplata: '1', Shp_login: 'Vasya',
      SignatureValue: md5('robo-demo:100.00:450009:password_1:Shp_login=Vasya:Shp_oplata=1') };
    const res = await pay(sb, await open(sb, fields), card(CARD_OK));
    assert.equal(new URLSearchParams(sb.calls[0]?.body).get('SignatureValue'), '4ADCEF23DEDED52FAEF69A96EFDF67E8');
    assert.equal(new URL(res.headers.get('location') ?? '').searchParams.get('SignatureValue'), '4337EF9390631A594383E494EBAFC569');
  });
});

describe('ResultURL retries', () => {
  test('500 twice, then OK: three attempts, then SuccessURL', async () => {
    const sb = makeSandbox({}, (_call, n) => (n <= 2 ? new Response('error', { status: 500 }) : new Response('OK7\n')));
    const res = await pay(sb, await start(sb), card(CARD_OK));
    assert.equal(sb.calls.length, 3);
    assert.ok(sb.calls.every((c) => c.body === EXPECTED_RESULT_BODY));
    assert.equal(res.headers.get('location'), EXPECTED_SUCCESS);
    assert.deepEqual(sb.logs.filter((l) => l['event'] === 'result.attempt').map((l) => l['status']), [500, 500, 200]);
  });

  test('only the exact OK{InvId} counts', async () => {
    for (const body of ['OK', 'ok7', 'OK8', 'OK7 thanks', '<html>OK7</html>']) {
      const sb = makeSandbox({ retryDelaysMs: [] }, () => new Response(body));
      const res = await pay(sb, await start(sb), card(CARD_OK));
      assert.equal(sb.calls.length, 1);
      assert.equal(res.status, 202, body);
    }
  });

  test('a shop that never answers OK: bounded attempts, an honest page, SuccessURL only after giving up', async () => {
    const sb = makeSandbox({ retryDelaysMs: [1, 1, 1, 1] }, () => new Response('nope', { status: 503 }));
    const res = await pay(sb, await start(sb), card(CARD_OK));
    assert.equal(sb.calls.length, 5);
    assert.equal(res.status, 202);
    const html = await res.text();
    assert.match(html, /Оплата прошла, но магазин не получил уведомление/);
    assert.match(html, /Не оплачивайте заказ повторно/);
    assert.equal(returnLink(html), EXPECTED_SUCCESS);
  });

  test('while retrying, the page says so and refreshes itself; it moves on once the shop answers', async () => {
    let up = false;
    const sb = makeSandbox({ notifyWaitMs: 20, retryDelaysMs: [30, 30, 30, 30, 30, 30] }, () => new Response(up ? 'OK7' : 'down', { status: up ? 200 : 500 }));
    const page = await start(sb);
    const res = await pay(sb, page, card(CARD_OK));
    assert.equal(res.status, 202);
    const html = await res.text();
    assert.match(html, /магазин ещё не подтвердил/);
    assert.match(html, /<meta http-equiv="refresh" content="5">/);
    assert.equal(returnLink(html), undefined);
    up = true;
    await until(() => sb.logs.some((l) => l['event'] === 'result.attempt' && l['ok'] === true));
    const later = await sb.app.request(`${SANDBOX}${page}`);
    assert.equal(later.headers.get('location'), EXPECTED_SUCCESS);
  });

  test('a network error is retried like a bad answer', async () => {
    const sb = makeSandbox({}, (_c, n) => { if (n === 1) throw new TypeError('fetch failed'); return new Response('OK7'); });
    const res = await pay(sb, await start(sb), card(CARD_OK));
    assert.equal(sb.calls.length, 2);
    assert.equal(res.headers.get('location'), EXPECTED_SUCCESS);
  });
});

describe('card data never leaves the page', () => {
  test('no card number or CVV in any outgoing request, redirect or log line', async () => {
    const cards = ['4111 1111 1111 1111', '5555 5555 5555 4444', '4000 0000 0000 9995', '4000 0000 0000 0069', '4000 0000 0000 0127',
      '4000 0000 0000 0002', '5105 1051 0510 5100', '4242 4242 4242 4242', '4111 1111 1111 1112'];
    const outgoing: string[] = [];
    const logs: string[] = [];
    for (const number of cards) {
      const sb = makeSandbox();
      const page = await start(sb);
      const first = await postForm(sb, `${SANDBOX}${page}`, card(number));
      // The form page itself may show the typed number back to the buyer, never the CVV.
      if (first.status === 422) assert.doesNotMatch(await first.text(), new RegExp(`value="${CVV}"`));
      await postForm(sb, `${SANDBOX}${page}/3ds`, { code: '1234' });
      const final = await sb.app.request(`${SANDBOX}${page}`);
      outgoing.push(final.headers.get('location') ?? '', returnLink(await final.text()) ?? '');
      outgoing.push(...sb.calls.map((c) => `${c.url}\n${c.body}`));
      logs.push(...sb.logs.map((l) => JSON.stringify(l)));
      for (const call of sb.calls) {
        for (const [, value] of new URLSearchParams(call.body)) assert.notEqual(value, CVV);
      }
    }
    assert.ok(logs.length > 20);
    const digits = cards.map((c) => c.replace(/ /g, ''));
    for (const text of [...outgoing, ...logs]) {
      for (const d of digits) {
        assert.ok(!text.replace(/[\s+-]|%20/g, '').includes(d), `card number ${d} leaked: ${text.slice(0, 200)}`);
        assert.ok(!text.includes(d.slice(0, 12)), 'the first digits leaked');
      }
      assert.doesNotMatch(text, new RegExp(`cvc|cvv|"${CVV}"|=${CVV}(&|$)`, 'i'));
    }
    for (const line of logs) assert.doesNotMatch(line, /demo-password/);
  });
});
