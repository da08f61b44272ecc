// The return pages' HTML, their script and stylesheet (served as files: the pages' CSP allows no
// inline script or style), and their words in ru, en and kk.
import { RETURN_CHANNEL, type ReturnMessage } from '../protocol/index.js';
import type { Lang } from './store.js';

/** The element's window name (src/checkout/constants.ts WINDOW_NAME). */
export const PAYMENT_WINDOW_NAME = 'robokassa-checkout';

export type PageKind = 'success' | 'fail' | 'invalid';

interface Texts {
  title: Record<PageKind, string>;
  text: Record<PageKind, string>;
  back: string;
  close: string;
}

const TEXTS: Record<Lang, Texts> = {
  ru: {
    title: { success: 'Оплата завершена', fail: 'Оплата не прошла', invalid: 'Не удалось проверить платёж' },
    text: {
      success: 'Спасибо! Магазин получит подтверждение от Robokassa в течение нескольких минут.',
      fail: 'Платёж не был завершён. Вернитесь в магазин, чтобы попробовать ещё раз.',
      invalid: 'Ссылка повреждена или устарела. Вернитесь в магазин и проверьте статус заказа.',
    },
    back: 'Вернуться в магазин',
    close: 'Это окно можно закрыть.',
  },
  en: {
    title: { success: 'Payment complete', fail: 'Payment not completed', invalid: 'We could not check this payment' },
    text: {
      success: 'Thank you! The shop will receive Robokassa\'s confirmation within a few minutes.',
      fail: 'The payment was not completed. Go back to the shop to try again.',
      invalid: 'This link is damaged or out of date. Go back to the shop and check your order\'s status.',
    },
    back: 'Back to the shop',
    close: 'You can close this window.',
  },
  kk: {
    title: { success: 'Төлем аяқталды', fail: 'Төлем өтпеді', invalid: 'Төлемді тексеру мүмкін болмады' },
    text: {
      success: 'Рақмет! Дүкен Robokassa растауын бірнеше минут ішінде алады.',
      fail: 'Төлем аяқталмады. Қайталап көру үшін дүкенге оралыңыз.',
      invalid: 'Сілтеме зақымдалған немесе ескірген. Дүкенге оралып, тапсырыс күйін тексеріңіз.',
    },
    back: 'Дүкенге оралу',
    close: 'Бұл терезені жабуға болады.',
  },
};

/** The pages load only our own script and stylesheet; nothing inline, no framing, no forms. */
export const RETURN_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** What the script reads from the page's application/json element. */
export interface ReturnPageData {
  /** absent on an invalid page: nothing is announced */
  message?: ReturnMessage;
  channel: string;
  /** the name the element gives its payment window */
  windowName: string;
  /** the checkout page's origin; the script falls back to its own origin (same-origin pages only) */
  targetOrigin: string | null;
  /** where a buyer without an opener window goes (allow-listed) */
  returnUrl: string | null;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** JSON that can't close the element it sits in. */
function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export function renderReturnPage(p: { kind: PageKind; lang: Lang; message?: ReturnMessage; targetOrigin: string | null; returnUrl: string | null; backUrl: string | null }): string {
  const t = TEXTS[p.lang];
  const data: ReturnPageData = {
    ...(p.message !== undefined && { message: p.message }),
    channel: RETURN_CHANNEL,
    windowName: PAYMENT_WINDOW_NAME,
    targetOrigin: p.targetOrigin,
    returnUrl: p.returnUrl,
  };
  const back = p.backUrl === null ? `<p>${escapeHtml(t.close)}</p>` : `<p><a class="rk-back" href="${escapeHtml(p.backUrl)}">${escapeHtml(t.back)}</a></p>`;
  return `<!doctype html>
<html lang="${p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(t.title[p.kind])}</title>
<link rel="stylesheet" href="return.css">
</head>
<body>
<main class="rk-return rk-return--${p.kind}">
<h1>${escapeHtml(t.title[p.kind])}</h1>
<p>${escapeHtml(t.text[p.kind])}</p>
${back}
</main>
<script type="application/json" id="rk-return-data">${jsonForHtml(data)}</script>
<script src="return.js"></script>
</body>
</html>
`;
}

/**
 * The return page's script (served as /robokassa/return.js). Tells the checkout page — postMessage to
 * the recorded origin, never "*", and a BroadcastChannel for same-origin tabs — then closes the window;
 * without an opener it goes back to the allow-listed returnUrl, or leaves the page with its link.
 */
export const RETURN_SCRIPT = `(function () {
  'use strict';
  var el = document.getElementById('rk-return-data');
  if (!el) return;
  var data;
  try { data = JSON.parse(el.textContent || 'null'); } catch (e) { return; }
  if (!data || !data.message) return;
  var message = data.message;
  try {
    if (typeof BroadcastChannel === 'function') {
      var channel = new BroadcastChannel(data.channel);
      channel.postMessage(message);
      channel.close();
    }
  } catch (e) { /* not available: the opener message and the widget's polling remain */ }
  var opener = null;
  try { opener = window.opener; } catch (e) { opener = null; }
  if (opener && opener !== window) {
    try { opener.postMessage(message, data.targetOrigin || window.location.origin); } catch (e) { /* opener gone */ }
    window.close();
    return;
  }
  // Our own payment window whose opener link was cut (COOP on the payment page): close it, the
  // checkout page learns the outcome by polling; only a tab the browser won't close goes back
  if (window.name === data.windowName) {
    window.close();
    if (window.closed) return;
  }
  if (data.returnUrl) window.location.replace(data.returnUrl);
})();
`;

export const RETURN_STYLES = `:root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
.rk-return { max-width: 28rem; padding: 2rem 1.5rem; text-align: center; line-height: 1.5; }
.rk-return h1 { font-size: 1.375rem; margin: 0 0 .75rem; }
.rk-return--success h1 { color: #15803d; }
.rk-return--fail h1, .rk-return--invalid h1 { color: #b91c1c; }
@media (prefers-color-scheme: dark) { .rk-return--success h1 { color: #4ade80; } .rk-return--fail h1, .rk-return--invalid h1 { color: #f87171; } }
.rk-back { display: inline-block; margin-top: .5rem; padding: .625rem 1.25rem; border-radius: .5rem; background: #2563eb; color: #fff; text-decoration: none; }
.rk-back:focus-visible { outline: 3px solid #93c5fd; outline-offset: 2px; }
`;
