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

const ru: CheckoutStrings = {
  pay: 'Оплатить',
  cards: 'Принимаем карты Visa и Mastercard',
  testMode: 'Тестовый режим',
  noticeTitle: 'Безопасная оплата',
  notice: 'Данные карты вы вводите только на странице Robokassa. Они передаются в зашифрованном виде (TLS) процессинговому центру, сертифицированному по PCI DSS; магазин их не видит и не хранит. Банк может попросить код 3-D Secure из SMS.',
  helpTitle: 'Почему платёж может не пройти?',
  helpIntro: 'Причин может быть несколько, и точную знает только банк. Что стоит проверить:',
  help: [
    'номер карты и срок действия введены без ошибок;',
    'на карте хватает денег;',
    'оплата в интернете для карты разрешена;',
    'суточный лимит на оплату в интернете не исчерпан;',
    'не пришёл код 3-D Secure — позвоните в банк, выпустивший карту;',
    'вопросы о прошлом платеже — в этот банк или в поддержку магазина.',
  ],
  support: 'Поддержка магазина:',
  email: 'Эл. почта для чека',
  emailInvalid: 'Введите адрес почты, например name@example.com',
  preparing: 'Готовим безопасную оплату…',
  windowOpen: 'Завершите оплату в окне Robokassa. Не закрывайте эту страницу.',
  stopWaiting: 'Отменить',
  redirecting: 'Переходим на страницу оплаты…',
  checking: 'Проверяем оплату…',
  success: 'Оплата прошла. Спасибо!',
  fail: 'Платёж не прошёл. Ниже — что можно проверить.',
  cancel: 'Оплата прервана. Можно попробовать снова.',
  manual: 'Не получилось открыть страницу оплаты сама.',
  manualLink: 'Открыть страницу оплаты',
  errors: {
    network: 'Нет связи с магазином. Проверьте интернет и попробуйте снова.',
    http: 'Магазин не смог подготовить оплату. Попробуйте позже.',
    'invalid-response': 'Магазин не смог подготовить оплату. Попробуйте позже.',
    config: 'Кнопка оплаты настроена с ошибкой. Сообщите об этом магазину.',
    'popup-blocked': 'Браузер заблокировал окно оплаты. Разрешите всплывающие окна для этого сайта и попробуйте снова.',
    timeout: 'Ответ не пришёл вовремя. Если вы оплатили, магазин увидит платёж.',
  },
};

const en: CheckoutStrings = {
  pay: 'Pay',
  cards: 'We accept Visa and Mastercard',
  testMode: 'Test mode',
  noticeTitle: 'Secure payment',
  notice: 'You type your card details only on Robokassa’s page. They travel encrypted (TLS) to a PCI DSS-certified processor; the shop never sees or keeps them. Your bank may ask for a 3-D Secure code by SMS.',
  helpTitle: 'Why might a payment be refused?',
  helpIntro: 'There can be several reasons, and only the bank knows which one. Things to check:',
  help: [
    'the card number and expiry date are typed correctly;',
    'there is enough money on the card;',
    'internet payments are allowed on the card;',
    'the daily limit for internet payments is not used up;',
    'no 3-D Secure code arrived: call the bank that issued the card;',
    'questions about a past payment: that bank or the shop’s support.',
  ],
  support: 'Shop support:',
  email: 'E-mail for the receipt',
  emailInvalid: 'Enter an e-mail address, for example name@example.com',
  preparing: 'Preparing a secure payment…',
  windowOpen: 'Finish the payment in the Robokassa window. Keep this page open.',
  stopWaiting: 'Cancel',
  redirecting: 'Going to the payment page…',
  checking: 'Checking the payment…',
  success: 'Payment received. Thank you!',
  fail: 'The payment did not go through. See below what to check.',
  cancel: 'The payment was not finished. You can try again.',
  manual: 'The payment page could not open by itself.',
  manualLink: 'Open the payment page',
  errors: {
    network: 'Cannot reach the shop. Check your connection and try again.',
    http: 'The shop could not prepare the payment. Please try later.',
    'invalid-response': 'The shop could not prepare the payment. Please try later.',
    config: 'This pay button is set up wrongly. Please tell the shop.',
    'popup-blocked': 'Your browser blocked the payment window. Allow pop-ups for this site and try again.',
    timeout: 'No answer in time. If you paid, the shop will see the payment.',
  },
};

const kk: CheckoutStrings = {
  pay: 'Төлеу',
  cards: 'Visa және Mastercard карталары қабылданады',
  testMode: 'Сынақ режимі',
  noticeTitle: 'Қауіпсіз төлем',
  notice: 'Карта деректерін тек Robokassa төлем бетінде енгізесіз. Олар шифрланған түрде (TLS) PCI DSS бойынша сертификатталған процессингтік орталыққа жіберіледі; дүкен оларды көрмейді және сақтамайды. Банк SMS арқылы 3-D Secure кодын сұрауы мүмкін.',
  helpTitle: 'Төлем неге өтпеуі мүмкін?',
  helpIntro: 'Бірнеше себебі болуы мүмкін, нақтысын тек банк біледі. Мыналарды тексеріңіз:',
  help: [
    'карта нөмірі мен жарамдылық мерзімі дұрыс енгізілген;',
    'картада қаражат жеткілікті;',
    'картада интернетте төлеуге рұқсат берілген;',
    'интернеттегі төлемдердің тәуліктік лимиті таусылмаған;',
    '3-D Secure коды келмесе, картаңызды шығарған банкке хабарласыңыз;',
    'бұрынғы төлем бойынша сұрақтар болса, сол банкке немесе дүкеннің қолдау қызметіне хабарласыңыз.',
  ],
  support: 'Дүкеннің қолдау қызметі:',
  email: 'Чек үшін электрондық пошта',
  emailInvalid: 'Электрондық пошта мекенжайын енгізіңіз, мысалы name@example.com',
  preparing: 'Қауіпсіз төлем дайындалуда…',
  windowOpen: 'Төлемді Robokassa терезесінде аяқтаңыз (төлем беті орыс тілінде ашылады). Бұл бетті жаппаңыз.',
  stopWaiting: 'Бас тарту',
  redirecting: 'Төлем бетіне өтуде…',
  checking: 'Төлем тексерілуде…',
  success: 'Төлем сәтті болды. Рақмет!',
  fail: 'Төлем орындалмады. Төменде нені тексеру керегі жазылған.',
  cancel: 'Төлем аяқталмады. Қайталап көріңіз.',
  manual: 'Төлем беті өздігінен ашылмады.',
  manualLink: 'Төлем бетін ашу',
  errors: {
    network: 'Дүкенмен байланыс жоқ. Интернетті тексеріп, қайталап көріңіз.',
    http: 'Дүкен төлемді дайындай алмады. Кейінірек қайталап көріңіз.',
    'invalid-response': 'Дүкен төлемді дайындай алмады. Кейінірек қайталап көріңіз.',
    config: 'Төлем батырмасы қате бапталған. Бұл туралы дүкенге хабарлаңыз.',
    'popup-blocked': 'Браузер төлем терезесін бөгеді. Бұл сайт үшін қалқымалы терезелерге рұқсат беріп, қайталап көріңіз.',
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
