// The words of the sandbox pages, in our own words (ru, en). Robokassa shows ru or en; any other
// Culture gives English, as Robokassa does.
import type { Culture } from './store.js';
import type { FieldError, RefusalReason } from './cards.js';

export interface Texts {
  lang: Culture;
  banner: string;
  bannerDetail: string;
  pageTitle: string;
  errorTitle: string;
  errorCode: (code: number) => string;
  errors: Record<number, string>;
  errorDetail: string;
  shop: string;
  order: (invId: string) => string;
  amount: string;
  receipt: string;
  receiptQty: string;
  receiptSum: string;
  cardTitle: string;
  cardNumber: string;
  cardNumberHint: string;
  expiry: string;
  expiryHint: string;
  expiryPlaceholder: string;
  cvc: string;
  cvcHint: string;
  email: string;
  emailHint: string;
  pay: (amount: string) => string;
  backToShop: string;
  fieldErrors: Record<FieldError, string>;
  errorSummary: string;
  testCards: string;
  testCardsIntro: string;
  cardColumn: string;
  outcomeColumn: string;
  outcomes: { paid: string; three_ds: string; three_ds_no_code: string; other: string } & Record<RefusalReason, string>;
  safety: string;
  footer: string;
  signatureDetail: (algorithm: string) => string;
  threeDsTitle: string;
  threeDsIntro: (last4: string) => string;
  threeDsCode: string;
  threeDsHint: string;
  threeDsHintNoCode: string;
  threeDsConfirm: string;
  threeDsNoCodeError: string;
  refusedTitle: string;
  refusals: Record<RefusalReason, string>;
  refusedNext: string;
  cancelledTitle: string;
  cancelledText: string;
  paidTitle: string;
  paidText: string;
  continueToShop: string;
  autoReturn: string;
  notifyPendingTitle: string;
  notifyPendingText: (attempts: number, max: number) => string;
  notifyGaveUpTitle: string;
  notifyGaveUpText: (attempts: number) => string;
  checkAgain: string;
  doNotPayAgain: string;
  expiredTitle: string;
  unknownSession: string;
  homeTitle: string;
  homeIntro: string;
  homeAlgorithm: string;
  homeMode: string;
  homeTest: string;
  homeLive: string;
  homeCurrency: string;
}

const ru: Texts = {
  lang: 'ru',
  banner: 'Песочница — деньги не списываются',
  bannerDetail: 'Это локальная имитация платёжной страницы Robokassa для демонстрации и тестов. Настоящие карты здесь не нужны.',
  pageTitle: 'Оплата заказа — песочница',
  errorTitle: 'Платёж не может быть создан',
  errorCode: (code) => `Код ошибки: ${code}`,
  errors: {
    26: 'Магазин не найден: проверьте параметр MerchantLogin.',
    29: 'Неверная подпись запроса (SignatureValue): проверьте пароль №1, алгоритм хеширования, порядок параметров Shp_ и кодирование Receipt.',
    30: 'Неверный параметр счёта.',
    31: 'Неверная сумма платежа (OutSum): укажите положительное число с точкой, например 1500.00.',
    33: 'Время, отведённое на оплату этого счёта, истекло.',
    40: 'Этот счёт (InvId) уже оплачен. Повторная оплата невозможна.',
  },
  errorDetail: 'Подробности для разработчика',
  shop: 'Магазин',
  order: (invId) => `Заказ № ${invId}`,
  amount: 'К оплате',
  receipt: 'Состав чека',
  receiptQty: 'Кол-во',
  receiptSum: 'Сумма',
  cardTitle: 'Банковская карта',
  cardNumber: 'Номер карты',
  cardNumberHint: '16 цифр с лицевой стороны карты',
  expiry: 'Срок действия',
  expiryHint: 'Месяц и год, как на карте',
  expiryPlaceholder: 'ММ/ГГ',
  cvc: 'CVV2/CVC2',
  cvcHint: '3 цифры на обороте карты',
  email: 'Электронная почта',
  emailHint: 'Сюда придёт чек',
  pay: (amount) => `Оплатить ${amount}`,
  backToShop: 'Вернуться в магазин',
  fieldErrors: {
    required: 'Заполните это поле.',
    card_invalid: 'Номер карты введён с ошибкой. Проверьте цифры.',
    expiry_format: 'Введите срок действия в виде ММ/ГГ, например 12/29.',
    expiry_past: 'Срок действия карты истёк.',
    cvc_format: 'Введите три цифры CVV2/CVC2.',
    email_format: 'Введите адрес электронной почты, например name@example.com.',
  },
  errorSummary: 'Проверьте поля формы',
  testCards: 'Тестовые карты',
  testCardsIntro: 'Срок действия — любой в будущем, CVV2/CVC2 — любые три цифры.',
  cardColumn: 'Карта',
  outcomeColumn: 'Результат',
  outcomes: {
    paid: 'оплата проходит сразу',
    three_ds: 'запрос кода 3-D Secure: код 1234 — оплата, другой — отказ',
    three_ds_no_code: 'код 3-D Secure не приходит: можно только отменить',
    other: 'любая другая карта с верной контрольной цифрой — оплата проходит',
    insufficient_funds: 'отказ: недостаточно средств',
    card_details: 'отказ: срок карты истёк или данные неверны',
    internet_payments_disabled: 'отказ: оплата в интернете запрещена',
    daily_limit: 'отказ: исчерпан суточный лимит',
    wrong_3ds_code: 'отказ: неверный код 3-D Secure',
  },
  safety: 'Данные карты остаются на этой странице песочницы: они не передаются магазину и не записываются в журнал.',
  footer: 'Песочница robokassa-checkout для разработки. Это не Robokassa: платежи не настоящие, деньги не списываются.',
  signatureDetail: (algorithm) => `Песочница считает ${algorithm} от этой строки (пароль скрыт):`,
  threeDsTitle: 'Подтверждение платежа',
  threeDsIntro: (last4) => `Банк отправил SMS с кодом на телефон, привязанный к карте •••• ${last4}.`,
  threeDsCode: 'Код из SMS',
  threeDsHint: 'Песочница: верный код — 1234.',
  threeDsHintNoCode: 'Песочница: для этой карты код не придёт. Остаётся только вернуться в магазин.',
  threeDsConfirm: 'Подтвердить',
  threeDsNoCodeError: 'Код неверный или устарел. Дождитесь нового SMS.',
  refusedTitle: 'Платёж отклонён',
  refusals: {
    insufficient_funds: 'Банк отклонил операцию: на карте недостаточно средств.',
    card_details: 'Банк отклонил операцию: срок действия карты истёк или данные карты неверны.',
    internet_payments_disabled: 'Банк отклонил операцию: оплата в интернете по этой карте запрещена.',
    daily_limit: 'Банк отклонил операцию: исчерпан суточный лимит на оплату в интернете.',
    wrong_3ds_code: 'Банк отклонил операцию: введён неверный код 3-D Secure.',
  },
  refusedNext: 'Деньги не списаны. Магазин узнает только, что оплата не прошла, без причины.',
  cancelledTitle: 'Оплата отменена',
  cancelledText: 'Деньги не списаны.',
  paidTitle: 'Оплата прошла',
  paidText: 'Магазин получил уведомление об оплате.',
  continueToShop: 'Вернуться в магазин',
  autoReturn: 'Через несколько секунд вы вернётесь в магазин.',
  notifyPendingTitle: 'Оплата прошла, магазин ещё не подтвердил её',
  notifyPendingText: (attempts, max) => `Деньги списаны, но магазин пока не ответил на уведомление об оплате (попыток: ${attempts} из ${max}). Песочница продолжает его уведомлять; страница обновится сама.`,
  notifyGaveUpTitle: 'Оплата прошла, но магазин не получил уведомление',
  notifyGaveUpText: (attempts) => `Деньги списаны, но магазин не подтвердил уведомление после ${attempts} попыток. Магазин может проверить статус платежа сам (OpStateExt). Если заказ не появится, обратитесь в поддержку магазина.`,
  checkAgain: 'Проверить снова',
  doNotPayAgain: 'Не оплачивайте заказ повторно.',
  expiredTitle: 'Время на оплату истекло',
  unknownSession: 'Сеанс оплаты не найден или устарел. Вернитесь в магазин и начните оплату заново.',
  homeTitle: 'Песочница Robokassa',
  homeIntro: 'Платёжная страница открывается по подписанной ссылке или форме магазина. Настройки песочницы, как в личном кабинете (пароли не показываются):',
  homeAlgorithm: 'Алгоритм подписи',
  homeMode: 'Режим',
  homeTest: 'тестовый (IsTest=1)',
  homeLive: 'боевой (тестовый только с IsTest=1)',
  homeCurrency: 'Валюта магазина',
};

const en: Texts = {
  lang: 'en',
  banner: 'Sandbox — no real money',
  bannerDetail: 'A local stand-in for Robokassa\'s payment page, for demos and tests. No real card is needed here.',
  pageTitle: 'Order payment — sandbox',
  errorTitle: 'The payment cannot be started',
  errorCode: (code) => `Error code: ${code}`,
  errors: {
    26: 'Shop not found: check the MerchantLogin parameter.',
    29: 'Wrong request signature (SignatureValue): check Password #1, the hash algorithm, the order of the Shp_ parameters and the Receipt encoding.',
    30: 'Wrong invoice parameter.',
    31: 'Wrong payment amount (OutSum): send a positive number with a dot, e.g. 1500.00.',
    33: 'The time allowed for paying this invoice has run out.',
    40: 'This invoice (InvId) has already been paid and cannot be paid again.',
  },
  errorDetail: 'Details for the developer',
  shop: 'Shop',
  order: (invId) => `Order No. ${invId}`,
  amount: 'To pay',
  receipt: 'Receipt items',
  receiptQty: 'Qty',
  receiptSum: 'Sum',
  cardTitle: 'Bank card',
  cardNumber: 'Card number',
  cardNumberHint: 'The 16 digits on the front of the card',
  expiry: 'Expiry date',
  expiryHint: 'Month and year, as on the card',
  expiryPlaceholder: 'MM/YY',
  cvc: 'CVV2/CVC2',
  cvcHint: '3 digits on the back of the card',
  email: 'E-mail',
  emailHint: 'The receipt is sent here',
  pay: (amount) => `Pay ${amount}`,
  backToShop: 'Return to the shop',
  fieldErrors: {
    required: 'Fill in this field.',
    card_invalid: 'The card number has a typo. Check the digits.',
    expiry_format: 'Enter the expiry date as MM/YY, e.g. 12/29.',
    expiry_past: 'The card has expired.',
    cvc_format: 'Enter the three CVV2/CVC2 digits.',
    email_format: 'Enter an e-mail address, e.g. name@example.com.',
  },
  errorSummary: 'Please check the form',
  testCards: 'Test cards',
  testCardsIntro: 'Any expiry date in the future, any three CVV2/CVC2 digits.',
  cardColumn: 'Card',
  outcomeColumn: 'Outcome',
  outcomes: {
    paid: 'paid at once',
    three_ds: '3-D Secure code asked: 1234 pays, any other code is refused',
    three_ds_no_code: '3-D Secure code never arrives: you can only cancel',
    other: 'any other card with a valid check digit is paid',
    insufficient_funds: 'refused: not enough money',
    card_details: 'refused: card expired or details wrong',
    internet_payments_disabled: 'refused: internet payments not allowed',
    daily_limit: 'refused: daily limit reached',
    wrong_3ds_code: 'refused: wrong 3-D Secure code',
  },
  safety: 'Card details stay on this sandbox page: they are never passed to the shop nor written to a log.',
  footer: 'The robokassa-checkout sandbox, for development. This is not Robokassa: payments are not real and no money is taken.',
  signatureDetail: (algorithm) => `The sandbox hashes this string with ${algorithm} (password hidden):`,
  threeDsTitle: 'Confirm the payment',
  threeDsIntro: (last4) => `The bank has sent an SMS code to the phone linked to the card •••• ${last4}.`,
  threeDsCode: 'SMS code',
  threeDsHint: 'Sandbox: the right code is 1234.',
  threeDsHintNoCode: 'Sandbox: no code will arrive for this card. The only way out is back to the shop.',
  threeDsConfirm: 'Confirm',
  threeDsNoCodeError: 'The code is wrong or has expired. Wait for a new SMS.',
  refusedTitle: 'Payment refused',
  refusals: {
    insufficient_funds: 'The bank refused the payment: not enough money on the card.',
    card_details: 'The bank refused the payment: the card has expired or its details are wrong.',
    internet_payments_disabled: 'The bank refused the payment: internet payments are not allowed on this card.',
    daily_limit: 'The bank refused the payment: the daily limit for internet payments has been reached.',
    wrong_3ds_code: 'The bank refused the payment: the 3-D Secure code was wrong.',
  },
  refusedNext: 'No money was taken. The shop only learns that the payment did not go through, not why.',
  cancelledTitle: 'Payment cancelled',
  cancelledText: 'No money was taken.',
  paidTitle: 'Payment accepted',
  paidText: 'The shop has been notified of the payment.',
  continueToShop: 'Return to the shop',
  autoReturn: 'You will be taken back to the shop in a few seconds.',
  notifyPendingTitle: 'Paid — the shop has not confirmed yet',
  notifyPendingText: (attempts, max) => `The money was taken, but the shop has not yet answered the payment notification (attempt ${attempts} of ${max}). The sandbox keeps notifying it; this page refreshes by itself.`,
  notifyGaveUpTitle: 'Paid — but the shop was not notified',
  notifyGaveUpText: (attempts) => `The money was taken, but the shop did not confirm the notification after ${attempts} attempts. The shop can check the payment itself (OpStateExt). If your order does not appear, contact the shop's support.`,
  checkAgain: 'Check again',
  doNotPayAgain: 'Do not pay for the order again.',
  expiredTitle: 'The time to pay has run out',
  unknownSession: 'This payment session was not found or has expired. Go back to the shop and start the payment again.',
  homeTitle: 'Robokassa sandbox',
  homeIntro: 'The payment page opens from a shop\'s signed link or form. The sandbox is set up like a shop\'s cabinet (passwords are not shown):',
  homeAlgorithm: 'Hash algorithm',
  homeMode: 'Mode',
  homeTest: 'test (IsTest=1)',
  homeLive: 'live (test only with IsTest=1)',
  homeCurrency: 'Shop currency',
};

export function texts(culture: Culture): Texts {
  return culture === 'ru' ? ru : en;
}

/** Robokassa: ru or en; any other value gives English; absent → the browser's language. */
export function pickCulture(param: string | undefined, acceptLanguage: string | undefined): Culture {
  if (param !== undefined && param !== '') return param.toLowerCase() === 'ru' ? 'ru' : 'en';
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('ru') ? 'ru' : 'en';
}
