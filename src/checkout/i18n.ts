// The words the buyer reads, in ru, en and kk, plus money formatting. Our own sentences
// (GLOSSARY.md vocabulary); kk whole sentences still want a native speaker's read.
import type { Currency } from '../protocol/contract.js';

export type Lang = 'ru' | 'en' | 'kk';
export const LANGS: readonly Lang[] = ['ru', 'en', 'kk'];

/** Error codes of `rk-error`; each has a message in the dictionary. */
export type CheckoutErrorCode = 'network' | 'http' | 'invalid-response' | 'config' | 'popup-blocked' | 'timeout';

/** Every string the element renders. Override any of them through the `i18n` property. */
export interface CheckoutStrings {
  pay: string;
  cards: string;
  testMode: string;
  noticeTitle: string;
  notice: string;
  helpTitle: string;
  helpIntro: string;
  help: string[];
  support: string;
  email: string;
  emailInvalid: string;
  preparing: string;
  windowOpen: string;
  stopWaiting: string;
  redirecting: string;
  checking: string;
  success: string;
  fail: string;
  cancel: string;
  manual: string;
  manualLink: string;
  errors: Record<CheckoutErrorCode, string>;
}

/** A partial override: any top-level string, and any single error message. */
export type CheckoutI18n = Partial<Omit<CheckoutStrings, 'errors'>> & { errors?: Partial<Record<CheckoutErrorCode, string>> };

// http and invalid-response mean the same to a buyer: one sentence each language.
const ruShop = 'Магазин не смог подготовить оплату. Попробуйте позже.';
const ru: CheckoutStrings = {
  pay: 'Оплатить',
  cards: 'Visa и Mastercard',
  testMode: 'Тестовый режим',
  noticeTitle: 'Безопасная оплата',
  notice: 'Данные карты вводятся только на странице Robokassa и идут в зашифрованном виде (TLS) в процессинговый центр с сертификатом PCI DSS; магазин их не видит и не хранит. Банк может запросить код 3-D Secure по SMS.',
  helpTitle: 'Почему платёж может не пройти?',
  helpIntro: 'Точную причину знает только ваш банк.',
  help: [
    'Проверьте номер карты и срок действия.',
    'Проверьте, хватает ли денег на карте.',
    'Проверьте, что оплата в интернете разрешена и суточный лимит не исчерпан.',
    'Не пришёл код 3-D Secure или платёж снова не прошёл? Позвоните в банк, выпустивший карту.',
    'Вопрос о прошлом платеже? Обратитесь в свой банк или в поддержку магазина.',
  ],
  support: 'Поддержка магазина:',
  email: 'Эл. почта для чека',
  emailInvalid: 'Введите адрес вида name@example.com',
  preparing: 'Готовим безопасную оплату…',
  windowOpen: 'Завершите оплату в окне Robokassa. Не закрывайте эту страницу.',
  stopWaiting: 'Отменить',
  redirecting: 'Переходим на страницу оплаты…',
  checking: 'Проверяем оплату…',
  success: 'Оплата прошла. Спасибо!',
  fail: 'Платёж не прошёл.',
  cancel: 'Оплата прервана. Можно попробовать снова.',
  manual: 'Страница оплаты не открылась сама.',
  manualLink: 'Открыть страницу оплаты',
  errors: {
    network: 'Нет связи с магазином. Проверьте интернет и попробуйте снова.',
    http: ruShop,
    'invalid-response': ruShop,
    config: 'Кнопка оплаты настроена неверно. Сообщите магазину.',
    'popup-blocked': 'Браузер заблокировал окно оплаты. Разрешите всплывающие окна и попробуйте снова.',
    timeout: 'Ответ не пришёл вовремя. Если вы оплатили, магазин увидит платёж.',
  },
};

const enShop = 'The shop could not prepare the payment. Please try later.';
const en: CheckoutStrings = {
  pay: 'Pay',
  cards: 'Visa and Mastercard',
  testMode: 'Test mode',
  noticeTitle: 'Secure payment',
  notice: 'Card details are typed only on Robokassa’s page and go encrypted (TLS) to a PCI DSS-certified processor; the shop never sees or keeps them. Your bank may ask for a 3-D Secure code by SMS.',
  helpTitle: 'Why might a payment be refused?',
  helpIntro: 'Only your bank knows the exact reason.',
  help: [
    'Check the card number and expiry date.',
    'Check that the card has enough money.',
    'Check that internet payments are allowed and the daily limit is not used up.',
    'No 3-D Secure code, or refused again? Call the bank that issued your card.',
    'A question about a past payment? Ask your bank or the shop’s support.',
  ],
  support: 'Shop support:',
  email: 'E-mail for the receipt',
  emailInvalid: 'Enter an address like name@example.com',
  preparing: 'Preparing a secure payment…',
  windowOpen: 'Finish the payment in the Robokassa window. Keep this page open.',
  stopWaiting: 'Cancel',
  redirecting: 'Going to the payment page…',
  checking: 'Checking the payment…',
  success: 'Payment received. Thank you!',
  fail: 'The payment did not go through.',
  cancel: 'The payment was not finished. You can try again.',
  manual: 'The payment page did not open by itself.',
  manualLink: 'Open the payment page',
  errors: {
    network: 'Cannot reach the shop. Check your connection and try again.',
    http: enShop,
    'invalid-response': enShop,
    config: 'This pay button is set up wrongly. Please tell the shop.',
    'popup-blocked': 'The browser blocked the payment window. Allow pop-ups and try again.',
    timeout: 'No answer in time. If you paid, the shop will see the payment.',
  },
};

const kkShop = 'Дүкен төлемді дайындай алмады. Кейінірек қайталап көріңіз.';
const kk: CheckoutStrings = {
  pay: 'Төлеу',
  cards: 'Visa және Mastercard',
  testMode: 'Сынақ режимі',
  noticeTitle: 'Қауіпсіз төлем',
  notice: 'Карта деректері тек Robokassa бетінде енгізіледі және шифрланып (TLS) PCI DSS сертификаты бар процессингтік орталыққа жіберіледі; дүкен оларды көрмейді және сақтамайды. Банк SMS арқылы 3-D Secure кодын сұрауы мүмкін.',
  helpTitle: 'Төлем неге өтпеуі мүмкін?',
  helpIntro: 'Нақты себебін тек банкіңіз біледі.',
  help: [
    'Карта нөмірі мен жарамдылық мерзімін тексеріңіз.',
    'Картада қаражат жеткілікті екенін тексеріңіз.',
    'Интернетте төлеуге рұқсат пен тәуліктік лимитті тексеріңіз.',
    '3-D Secure коды келмесе немесе төлем тағы өтпесе, картаңызды шығарған банкке хабарласыңыз.',
    'Бұрынғы төлем бойынша сұрақ болса, банкіңізге немесе дүкеннің қолдау қызметіне хабарласыңыз.',
  ],
  support: 'Дүкеннің қолдау қызметі:',
  email: 'Чек үшін электрондық пошта',
  emailInvalid: 'Мекенжайды name@example.com түрінде енгізіңіз',
  preparing: 'Қауіпсіз төлем дайындалуда…',
  windowOpen: 'Төлемді Robokassa терезесінде аяқтаңыз (бет орыс тілінде). Бұл бетті жаппаңыз.',
  stopWaiting: 'Бас тарту',
  redirecting: 'Төлем бетіне өтуде…',
  checking: 'Төлем тексерілуде…',
  success: 'Төлем сәтті болды. Рақмет!',
  fail: 'Төлем орындалмады.',
  cancel: 'Төлем аяқталмады. Қайталап көріңіз.',
  manual: 'Төлем беті өздігінен ашылмады.',
  manualLink: 'Төлем бетін ашу',
  errors: {
    network: 'Дүкенмен байланыс жоқ. Интернетті тексеріп, қайталап көріңіз.',
    http: kkShop,
    'invalid-response': kkShop,
    config: 'Төлем батырмасы қате бапталған. Дүкенге хабарлаңыз.',
    'popup-blocked': 'Браузер төлем терезесін бөгеді. Қалқымалы терезелерге рұқсат беріп, қайталап көріңіз.',
    timeout: 'Жауап уақытында келмеді. Төлеген болсаңыз, дүкен төлемді көреді.',
  },
};

export const DICTIONARIES: Readonly<Record<Lang, CheckoutStrings>> = { ru, en, kk };

/** `lang` attribute, else the page's `<html lang>` (its primary subtag), else ru. */
export function resolveLang(attr: string | null | undefined, pageLang: string | null | undefined): Lang {
  for (const candidate of [attr, pageLang]) {
    const primary = (candidate ?? '').trim().toLowerCase().split(/[-_]/)[0];
    if ((LANGS as readonly string[]).includes(primary)) return primary as Lang;
  }
  return 'ru';
}

/** The dictionary for `lang` with a partial override merged over it (errors merged one level deep). */
export function strings(lang: Lang, override?: CheckoutI18n | null): CheckoutStrings {
  const base = DICTIONARIES[lang];
  if (!override) return base;
  return { ...base, ...override, errors: { ...base.errors, ...override.errors } } as CheckoutStrings;
}

/** Robokassa's payment page speaks only ru and en; a Kazakh buyer gets the Russian page. */
export const cultureFor = (lang: Lang): 'ru' | 'en' => (lang === 'en' ? 'en' : 'ru');

/** The signs CLDR prints for our currencies with `currencyDisplay: 'narrowSymbol'`. */
const SIGNS: Readonly<Record<string, string>> = { KZT: '₸', RUB: '₽', USD: '$', EUR: '€' };

/**
 * Formats a decimal money string ("1500.00") for the language: "1 500 ₸" (ru, kk), "1 500,50 ₽",
 * "₸1,500" (en) — what Intl.NumberFormat prints (narrowSymbol, stripIfInteger; ru-KZ/ru-RU, en),
 * the no-break spaces included. The four currencies are done by hand: a page's first Intl
 * number format starts ICU, a 40–75 ms task (test/checkout/money.test.ts proves the two agree).
 * Anything else goes to Intl, as a string, so no float rounding creeps in.
 */
export function formatMoney(amount: string, currency: Currency | string, lang: Lang): string {
  const sign = SIGNS[currency];
  const m = /^(0|[1-9]\d{0,14})(?:\.(\d\d?))?$/.exec(amount);
  if (sign && m) {
    const en = lang === 'en';
    const whole = m[1].replace(/\B(?=(\d{3})+$)/g, en ? ',' : '\u00a0');
    const cents = m[2] && +m[2] ? (en ? '.' : ',') + m[2].padEnd(2, '0') : '';
    return en ? sign + whole + cents : `${whole}${cents}\u00a0${sign}`;
  }
  // kk uses the ru formats: CLDR's kk-KZ prints the same "1 500 ₸", and some Chromium builds
  // (Debian's) carry no Kazakh number data and would print "₸ 1,500"
  const locale = lang === 'en' ? 'en' : currency === 'KZT' ? 'ru-KZ' : 'ru-RU';
  try {
    const options = { style: 'currency', currency, currencyDisplay: 'narrowSymbol', trailingZeroDisplay: 'stripIfInteger' };
    // Intl takes exact decimal strings (ES2023); the lib typings still say number.
    return new Intl.NumberFormat(locale, options as Intl.NumberFormatOptions).format(amount as unknown as number);
  } catch {
    return `${amount} ${currency}`;
  }
}
