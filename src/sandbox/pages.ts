// Server-rendered pages of the sandbox. Plain HTML forms posting back to the sandbox: they work
// without JavaScript; every value goes through html`` (escaped); styles come from the external sheet.
import { html, attr, SafeHtml, type HtmlValue } from './html.js';
import { TEST_CARDS, groupDigits, type CardInput, type FieldError } from './cards.js';
import { formatAmount } from './money.js';
import type { Texts } from './i18n.js';
import type { Operation } from './store.js';

export const ASSET_CSS = '/sandbox/assets/sandbox.css';
export const ASSET_JS = '/sandbox/assets/return.js';
export const ASSET_ICON = '/sandbox/assets/favicon.svg';

/** Where the buyer goes back to: SuccessURL or FailURL with its method and parameters. */
export interface ReturnTarget {
  method: 'GET' | 'POST';
  /** For GET: the full URL with the query; for POST: the form action. */
  url: string;
  fields: [string, string][];
}

interface LayoutOptions {
  single?: boolean;
  refreshSeconds?: number;
  script?: boolean;
}

export function layout(t: Texts, title: string, body: SafeHtml, opts: LayoutOptions = {}): string {
  return html`<!doctype html>
<html lang="${t.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
${opts.refreshSeconds !== undefined ? html`<meta http-equiv="refresh" content="${opts.refreshSeconds}">` : ''}
<title>${title}</title>
<link rel="stylesheet" href="${ASSET_CSS}">
<link rel="icon" href="${ASSET_ICON}" type="image/svg+xml">
${opts.script ? html`<script src="${ASSET_JS}" defer></script>` : ''}
</head>
<body>
<header class="banner"><strong>${t.banner}</strong><span>${t.bannerDetail}</span></header>
<main class="layout${opts.single ? ' single' : ''}">
${body}
</main>
<footer>${t.footer}</footer>
</body>
</html>
`.value;
}

export function errorPage(t: Texts, code: number, detail?: string, maskedBase?: string): string {
  const body = html`<section class="panel" aria-labelledby="error-title">
<p class="code">${t.errorCode(code)}</p>
<h1 id="error-title">${t.errorTitle}</h1>
<p>${t.errors[code] ?? t.errors[30]}</p>
${detail !== undefined || maskedBase !== undefined ? html`<details><summary>${t.errorDetail}</summary>
${detail !== undefined ? html`<p>${detail}</p>` : ''}
${maskedBase !== undefined ? html`<pre>${maskedBase}</pre>` : ''}
</details>` : ''}
</section>`;
  return layout(t, `${t.errorCode(code)} — ${t.pageTitle}`, body, { single: true });
}

export function messagePage(t: Texts, title: string, text: string): string {
  const body = html`<section class="panel"><h1>${title}</h1><p>${text}</p></section>`;
  return layout(t, title, body, { single: true });
}

function orderSummary(t: Texts, op: Operation, merchantLogin: string, currency: string): SafeHtml {
  const money = (v: string): string => formatAmount(v, currency, t.lang);
  const receipt = op.receipt && op.receipt.length > 0
    ? html`<details class="receipt"><summary>${t.receipt} (${op.receipt.length})</summary>
<table><thead><tr><th scope="col">${t.receipt}</th><th scope="col" class="num">${t.receiptQty}</th><th scope="col" class="num">${t.receiptSum}</th></tr></thead>
<tbody>${op.receipt.map((line) => html`<tr><td>${line.name}</td><td class="num">${line.quantity}</td><td class="num">${line.sum !== undefined ? money(line.sum) : ''}</td></tr>`)}</tbody></table>
</details>`
    : '';
  return html`<div class="merchant"><span>${t.shop}: <b>${merchantLogin}</b></span><span>${t.order(op.invId)}</span></div>
<p class="description">${op.description}</p>
<div class="amount"><span>${t.amount}</span><span class="value" data-amount="${op.outSum}">${money(op.outSum)}</span></div>
${receipt}`;
}

export interface CardFormState {
  values: Partial<CardInput>;
  errors: Partial<Record<keyof CardInput, FieldError>>;
}

interface FieldSpec {
  name: keyof CardInput;
  id: string;
  label: string;
  hint: string;
  autocomplete: string;
  type: string;
  inputmode?: string;
  maxlength?: string;
  placeholder?: string;
  className?: string;
}

function field(t: Texts, spec: FieldSpec, state: CardFormState): SafeHtml {
  const error = state.errors[spec.name];
  const hintId = `${spec.id}-hint`;
  const errorId = `${spec.id}-error`;
  const describedBy = error ? `${hintId} ${errorId}` : hintId;
  // The CVV is never echoed back into the page after a failed submit.
  const value = spec.name === 'cvc' ? '' : (state.values[spec.name] ?? '');
  return html`<div class="field">
<label for="${spec.id}">${spec.label}</label>
<input id="${spec.id}" name="${spec.name}" type="${spec.type}" autocomplete="${spec.autocomplete}" value="${value}" required aria-describedby="${describedBy}"${attr('aria-invalid', error ? 'true' : undefined)}${attr('inputmode', spec.inputmode)}${attr('maxlength', spec.maxlength)}${attr('placeholder', spec.placeholder)}${attr('class', spec.className)} spellcheck="false" autocapitalize="off">
<span class="hint" id="${hintId}">${spec.hint}</span>
${error ? html`<span class="error" id="${errorId}">${t.fieldErrors[error]}</span>` : ''}
</div>`;
}

function testCardsPanel(t: Texts): SafeHtml {
  const outcome = (i: number): string => {
    const s = TEST_CARDS[i]?.scenario;
    if (!s) return '';
    return s.kind === 'refused' ? t.outcomes[s.reason] : t.outcomes[s.kind];
  };
  return html`<aside class="panel cards" aria-labelledby="cards-title">
<h2 id="cards-title">${t.testCards}</h2>
<p class="note">${t.testCardsIntro}</p>
<table><thead><tr><th scope="col">${t.cardColumn}</th><th scope="col">${t.outcomeColumn}</th></tr></thead>
<tbody>${TEST_CARDS.map((c, i) => html`<tr><td>${groupDigits(c.number)}</td><td>${outcome(i)}</td></tr>`)}</tbody></table>
<p class="note">${t.outcomes.other}</p>
</aside>`;
}

function cancelForm(t: Texts, token: string): SafeHtml {
  return html`<form class="inline" method="post" action="/sandbox/Merchant/Payment/${token}/cancel">
<button type="submit" class="secondary">${t.backToShop}</button>
</form>`;
}

export function paymentPage(t: Texts, op: Operation, merchantLogin: string, currency: string, state: CardFormState): string {
  const fields: FieldSpec[] = [
    { name: 'cardNumber', id: 'card-number', label: t.cardNumber, hint: t.cardNumberHint, autocomplete: 'cc-number', type: 'text', inputmode: 'numeric', maxlength: '23', placeholder: '0000 0000 0000 0000', className: 'digits' },
    { name: 'expiry', id: 'card-expiry', label: t.expiry, hint: t.expiryHint, autocomplete: 'cc-exp', type: 'text', inputmode: 'numeric', maxlength: '7', placeholder: t.expiryPlaceholder, className: 'digits' },
    { name: 'cvc', id: 'card-cvc', label: t.cvc, hint: t.cvcHint, autocomplete: 'cc-csc', type: 'password', inputmode: 'numeric', maxlength: '3', className: 'digits' },
    { name: 'email', id: 'email', label: t.email, hint: t.emailHint, autocomplete: 'email', type: 'email' },
  ];
  const [card, expiry, cvc, email] = fields.map((f) => field(t, f, state));
  const errorEntries = fields.filter((f) => state.errors[f.name] !== undefined);
  const summary: HtmlValue = errorEntries.length > 0
    ? html`<div class="summary" role="alert" tabindex="-1" id="error-summary" autofocus><strong>${t.errorSummary}</strong><ul>${errorEntries.map((f) => {
      const e = state.errors[f.name];
      return html`<li><a href="#${f.id}">${f.label}: ${e ? t.fieldErrors[e] : ''}</a></li>`;
    })}</ul></div>`
    : '';
  const body = html`<div>
<section class="panel" aria-labelledby="order-title">
<h1 id="order-title">${t.pageTitle}</h1>
${orderSummary(t, op, merchantLogin, currency)}
</section>
<section class="panel" aria-label="${t.cardTitle}">
<form class="card" method="post" action="/sandbox/Merchant/Payment/${op.token}" novalidate>
${summary}
<fieldset><legend>${t.cardTitle}</legend>
${card}
<div class="row">${expiry}${cvc}</div>
${email}
</fieldset>
<div class="actions"><button type="submit" class="primary">${t.pay(formatAmount(op.outSum, currency, t.lang))}</button></div>
<p class="safety">${t.safety}</p>
</form>
<div class="actions">${cancelForm(t, op.token)}</div>
</section>
</div>
${testCardsPanel(t)}`;
  return layout(t, t.pageTitle, body);
}

export function threeDsPage(t: Texts, op: Operation, merchantLogin: string, currency: string, error: boolean): string {
  const noCode = op.scenario?.kind === 'three_ds_no_code';
  const describedBy = error ? 'otp-hint otp-error' : 'otp-hint';
  const body = html`<section class="panel" aria-labelledby="tds-title">
<h1 id="tds-title">${t.threeDsTitle}</h1>
${orderSummary(t, op, merchantLogin, currency)}
<form class="card" method="post" action="/sandbox/Merchant/Payment/${op.token}/3ds">
<p>${t.threeDsIntro(op.cardLast4 ?? '')}</p>
<div class="field">
<label for="otp">${t.threeDsCode}</label>
<input id="otp" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="8" required autofocus class="digits" aria-describedby="${describedBy}"${attr('aria-invalid', error ? 'true' : undefined)}>
<span class="hint" id="otp-hint">${noCode ? t.threeDsHintNoCode : t.threeDsHint}</span>
${error ? html`<span class="error" id="otp-error" role="alert">${t.threeDsNoCodeError}</span>` : ''}
</div>
<div class="actions"><button type="submit" class="primary">${t.threeDsConfirm}</button></div>
</form>
<div class="actions">${cancelForm(t, op.token)}</div>
</section>`;
  return layout(t, t.threeDsTitle, body, { single: true });
}

/** The "back to the shop" control: a link (GET) or a form with hidden fields (POST). */
export function returnControl(t: Texts, target: ReturnTarget, autoMs?: number): SafeHtml {
  if (target.method === 'GET') {
    return html`<a class="button primary" href="${target.url}"${attr('data-autofollow', autoMs === undefined ? undefined : String(autoMs))}>${t.continueToShop}</a>`;
  }
  return html`<form class="inline" method="post" action="${target.url}"${attr('data-autosubmit', autoMs === undefined ? undefined : String(autoMs))}>
${target.fields.map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<button type="submit" class="primary">${t.continueToShop}</button>
</form>`;
}

export type OutcomeKind = 'ok' | 'bad' | 'wait';

/** A result page: what happened, and the way back to the shop (auto-followed when autoMs is set). */
export function outcomePage(t: Texts, op: Operation, merchantLogin: string, currency: string, p: {
  kind: OutcomeKind; title: string; lines: string[]; target?: ReturnTarget; autoMs?: number;
  refreshSeconds?: number; checkAgain?: boolean;
}): string {
  const body = html`<section class="panel" aria-labelledby="outcome-title">
<div class="status ${p.kind}" role="status"><h1 id="outcome-title">${p.title}</h1>${p.lines.map((l) => html`<p>${l}</p>`)}</div>
${orderSummary(t, op, merchantLogin, currency)}
<div class="actions">
${p.target ? returnControl(t, p.target, p.autoMs) : ''}
${p.autoMs !== undefined && p.target ? html`<p class="note">${t.autoReturn}</p>` : ''}
${p.checkAgain ? html`<a class="button secondary" href="/sandbox/Merchant/Payment/${op.token}">${t.checkAgain}</a>` : ''}
</div>
</section>`;
  const opts: LayoutOptions = { single: true, script: p.autoMs !== undefined };
  if (p.refreshSeconds !== undefined) opts.refreshSeconds = p.refreshSeconds;
  return layout(t, p.title, body, opts);
}

/** /sandbox/: what this sandbox is configured as (never a password), and its test cards. */
export function homePage(t: Texts, shop: { merchantLogin: string; hashAlgorithm: string; testMode: boolean; currency: string;
  resultUrl: string; resultMethod: string; successUrl: string; successMethod: string; failUrl: string; failMethod: string }): string {
  const row = (name: string, value: string): SafeHtml => html`<tr><th scope="row">${name}</th><td>${value}</td></tr>`;
  const body = html`<section class="panel" aria-labelledby="home-title">
<h1 id="home-title">${t.homeTitle}</h1>
<p>${t.homeIntro}</p>
<table><tbody>
${row('MerchantLogin', shop.merchantLogin)}
${row(t.homeAlgorithm, shop.hashAlgorithm)}
${row(t.homeMode, shop.testMode ? t.homeTest : t.homeLive)}
${row(t.homeCurrency, shop.currency)}
${row('Index.aspx', '/sandbox/Merchant/Index.aspx (GET, POST)')}
${row('OpStateExt', '/sandbox/Merchant/WebService/Service.asmx/OpStateExt')}
${row('ResultURL', `${shop.resultMethod} ${shop.resultUrl}`)}
${row('SuccessURL', `${shop.successMethod} ${shop.successUrl}`)}
${row('FailURL', `${shop.failMethod} ${shop.failUrl}`)}
</tbody></table>
</section>
${testCardsPanel(t)}`;
  return layout(t, t.homeTitle, body);
}
