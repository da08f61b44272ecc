// formatMoney formats KZT, RUB, USD and EUR by hand (a page's first Intl number format is a 40–75 ms
// task). This holds it to Intl.NumberFormat's own output, character for character, in every language.
import { expect } from '@open-wc/testing';
import { formatMoney, LANGS, type Lang } from '../../src/checkout/i18n.js';

const CURRENCIES = ['KZT', 'RUB', 'USD', 'EUR'];

/** What the element printed before the hand formatter: Intl with the same locale choice and options. */
function intl(amount: string, currency: string, lang: Lang): string {
  const locale = lang === 'en' ? 'en' : currency === 'KZT' ? 'ru-KZ' : 'ru-RU';
  const options = { style: 'currency', currency, currencyDisplay: 'narrowSymbol', trailingZeroDisplay: 'stripIfInteger' };
  return new Intl.NumberFormat(locale, options as Intl.NumberFormatOptions).format(amount as unknown as number);
}

/** Deterministic amounts: every length of whole part (1–15 digits), every kind of cents, and edge forms. */
function amounts(): string[] {
  const out = ['0', '0.00', '0.01', '0.05', '0.10', '0.5', '1.0', '5', '12.5', '999.99', '1000', '1000.00', '1500.50',
    '99999999999.99', '999999999999.99', '100000000000000', '999999999999999.99'];
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let digits = 1; digits <= 15; digits++) {
    for (let k = 0; k < 12; k++) {
      let whole = String(1 + (next() % 9));
      for (let d = 1; d < digits; d++) whole += String(next() % 10);
      const cents = next() % 4 === 0 ? '00' : String(next() % 100).padStart(2, '0');
      out.push(k % 3 === 0 ? whole : `${whole}.${cents}`);
    }
  }
  return out;
}

describe('formatMoney', () => {
  it('prints exactly what Intl.NumberFormat prints, for every language, our currencies and ~200 amounts each', () => {
    const list = amounts();
    let compared = 0;
    for (const lang of LANGS) {
      for (const currency of CURRENCIES) {
        for (const amount of list) {
          expect(formatMoney(amount, currency, lang), `${amount} ${currency} ${lang}`).to.equal(intl(amount, currency, lang));
          compared++;
        }
      }
    }
    expect(compared).to.be.greaterThan(2000);
  });

  it('uses no-break spaces where Intl does (ru groups and the space before the sign)', () => {
    expect(formatMoney('1234567.80', 'KZT', 'kk')).to.equal('1\u00a0234\u00a0567,80\u00a0₸');
    expect(formatMoney('1500.00', 'RUB', 'ru')).to.equal('1\u00a0500\u00a0₽');
    expect(formatMoney('1500.05', 'EUR', 'en')).to.equal('€1,500.05');
  });

  it('hands other currencies and unusual amounts to Intl unchanged', () => {
    for (const lang of LANGS) {
      for (const [amount, currency] of [['1500.00', 'GBP'], ['1500.005', 'KZT'], ['007', 'RUB'], ['1e3', 'USD'], ['-5.00', 'EUR'], ['1234567890123456', 'KZT']]) {
        expect(formatMoney(amount, currency, lang), `${amount} ${currency} ${lang}`).to.equal(intl(amount, currency, lang));
      }
    }
    expect(formatMoney('1500.00', 'XYZ1', 'en')).to.equal('1500.00 XYZ1');
  });
});
