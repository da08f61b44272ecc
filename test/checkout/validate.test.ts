// The element's hand-written answer checks must agree with the contract's zod/mini schemas,
// which the bundle leaves out for size. Same samples, same verdicts.
import { expect } from '@open-wc/testing';
import * as z from 'zod/mini';
import * as contract from '../../src/protocol/contract.js';
import * as constants from '../../src/checkout/constants.js';
import { fits, misfit, type ShapeName } from '../../src/checkout/validate.js';
import { isInAppBrowser } from '../../src/checkout/in-app.js';
import { DICTIONARIES, LANGS } from '../../src/checkout/i18n.js';

const schemas: Record<ShapeName, z.ZodMiniType> = {
  checkout: contract.CheckoutResponse,
  product: contract.ProductResponse,
  order: contract.OrderResponse,
  payment: contract.PaymentStatusResponse,
  error: contract.ApiError,
  return: contract.ReturnMessage,
};

const valid: Record<ShapeName, Record<string, unknown>> = {
  checkout: { id: 'pay_0123456789abcdef', invoiceId: 42, url: 'https://auth.robokassa.kz/Merchant/Index.aspx?InvId=42', form: { action: 'https://auth.robokassa.kz/Merchant/Index.aspx', fields: { InvId: '42' } }, amount: '1500.00', currency: 'KZT', description: 'Course', test: false },
  product: { sku: 'course-basic', name: 'Course', price: '0.50', currency: 'RUB', test: true },
  order: { orderId: 'order_7', description: 'Order', amount: '990.00', currency: 'EUR', status: 'open', test: false },
  payment: { id: 'p', invoiceId: 1, status: 'paid', amount: '1.00', currency: 'USD', paidAt: '2026-11-29T09:00:00Z' },
  error: { error: { code: 'invalid_field', message: 'm', issues: [{ path: 'items.0.sku', message: 'unknown' }] } },
  return: { type: 'robokassa-checkout:return', id: 'p', invoiceId: 7, outcome: 'fail' },
};

// field → values that break (or keep) it, run against every shape that has the field
const mutations: Record<string, unknown[]> = {
  id: ['', 'short', 'x'.repeat(65), 42, null],
  invoiceId: [0, -1, 1.5, '42', 2 ** 53, null],
  url: ['javascript:alert(1)', 'ftp://x.example/', 'not a url', '/relative', 'http://ok.example/'],
  form: [null, { action: 'https://x.example/', fields: { a: 1 } }, { action: 'mailto:a@b', fields: {} }, { fields: {} }, []],
  amount: ['1500', '1500.0', '01.00', '-1.00', '1e3', 1500, '0.00', '123456789012.00', '1234567890123.00'],
  price: ['1,00', '1.000', 1],
  currency: ['kzt', 'GBP', null],
  description: [1, undefined],
  name: [null],
  test: ['true', 1, undefined],
  sku: ['', '-x', 'a b', 'x'.repeat(65), 'a.b_c-d'],
  orderId: ['', '#1'],
  status: ['PAID', 'refunded', 'open', 'paid', 'failed', 'cancelled', 'pending'],
  paidAt: [undefined, 1, null],
  error: [{ code: 'c', message: 'm' }, { code: 1, message: 'm' }, { code: 'c', message: 'm', issues: [{ path: 1, message: 'm' }] }, { code: 'c', message: 'm', issues: {} }, null],
  type: ['robokassa-checkout:other', undefined],
  outcome: ['success', 'cancel', undefined],
};

describe('answer checks agree with the contract schemas', () => {
  for (const name of Object.keys(schemas) as ShapeName[]) {
    it(`${name}: same verdict as zod for the sample and every mutation`, () => {
      const sample = valid[name];
      expect(z.safeParse(schemas[name], sample).success, 'zod accepts the sample').to.equal(true);
      expect(fits(name, sample)).to.equal(true);
      for (const garbage of [null, undefined, 'x', 1, [], {}]) expect(fits(name, garbage)).to.equal(z.safeParse(schemas[name], garbage).success);
      let compared = 0;
      for (const [field, values] of Object.entries(mutations)) {
        if (!(field in sample)) continue;
        for (const value of values) {
          const mutated = { ...sample, [field]: value };
          const zod = z.safeParse(schemas[name], mutated).success;
          expect(fits(name, mutated), `${name}.${field} = ${JSON.stringify(value)}`).to.equal(zod);
          if (!zod) expect(misfit(name, mutated)!.startsWith(field)).to.equal(true);
          compared++;
        }
      }
      expect(compared).to.be.greaterThan(3);
    });
  }

  it('uses the contract’s message type and channel name', () => {
    expect(constants.RETURN_MESSAGE_TYPE).to.equal(contract.RETURN_MESSAGE_TYPE);
    expect(constants.RETURN_CHANNEL).to.equal(contract.RETURN_CHANNEL);
  });
});

describe('in-app browser detection', () => {
  const inApp = [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 309.0.0',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 [FBAN/FBIOS;FBAV/440.0]',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A; wv) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36 Telegram-Android/10.6.2',
    'Mozilla/5.0 (Linux; Android 13; SM-A515F) AppleWebKit/537.36 Chrome/119 Mobile Safari/537.36 VKAndroidApp/8.50',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Line/13.14.0',
    'Mozilla/5.0 (Linux; Android 12; M2101K6G) AppleWebKit/537.36 Chrome/118 Mobile Safari/537.36 WhatsApp/2.23',
  ];
  const browsers = [
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile Safari/537.36',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
  ];
  it('spots Telegram, Instagram, Facebook, VK, Line, WhatsApp webviews and leaves browsers alone', () => {
    for (const ua of inApp) expect(isInAppBrowser(ua), ua).to.equal(true);
    for (const ua of browsers) expect(isInAppBrowser(ua), ua).to.equal(false);
  });
});

describe('dictionaries', () => {
  it('give every language every string, help items included', () => {
    const keys = (o: object): string[] => Object.keys(o).sort();
    for (const lang of LANGS) {
      expect(keys(DICTIONARIES[lang])).to.deep.equal(keys(DICTIONARIES.ru));
      expect(keys(DICTIONARIES[lang].errors)).to.deep.equal(keys(DICTIONARIES.ru.errors));
      expect(DICTIONARIES[lang].help).to.have.length(DICTIONARIES.ru.help.length);
    }
  });
  it('write Kazakh with Kazakh letters, never a Latin i inside a Cyrillic word', () => {
    const text = JSON.stringify(DICTIONARIES.kk);
    expect(text).not.to.match(/[\u0400-\u04ff]i|i[\u0400-\u04ff]/);
  });
});
