// The sandbox's only static files: one stylesheet and one tiny script (the pages work without it).
// Served from /sandbox/assets/ so the pages can send a strict CSP with no inline style or script.

export const STYLESHEET = `
:root {
  --bg: #f3f5f8; --panel: #ffffff; --text: #17202a; --muted: #5b6776; --line: #dde3ea;
  --accent: #1b5fd1; --accent-dark: #154aa3; --danger: #b3261e; --danger-bg: #fdecea;
  --ok: #1e7a46; --ok-bg: #e7f5ec; --warn-bg: #fff4d6; --warn-line: #e0b43c; --focus: #f2a900;
  --radius: 12px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--text); background: var(--bg); line-height: 1.45;
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.banner {
  background: repeating-linear-gradient(135deg, #ffe08a 0 14px, #ffd45c 14px 28px);
  border-bottom: 1px solid var(--warn-line); color: #3d2c00; text-align: center; padding: .6rem 1rem;
}
.banner strong { font-size: 1.05rem; letter-spacing: .02em; }
.banner span { display: block; font-size: .85rem; }
.layout { max-width: 980px; margin: 1.5rem auto 2rem; padding: 0 1rem; display: grid; gap: 1.25rem;
  grid-template-columns: minmax(0, 1.4fr) minmax(0, 1fr); align-items: start; }
.layout.single { grid-template-columns: minmax(0, 560px); justify-content: center; }
@media (max-width: 760px) { .layout { grid-template-columns: minmax(0, 1fr); } }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius);
  padding: 1.25rem 1.4rem; box-shadow: 0 1px 2px rgba(16, 24, 40, .05); }
.panel + .panel { margin-top: 1.25rem; }
.layout > .panel + .panel { margin-top: 0; }
h1 { font-size: 1.35rem; margin: 0 0 .75rem; }
h2 { font-size: 1.05rem; margin: 0 0 .6rem; }
.merchant { display: flex; justify-content: space-between; gap: 1rem; flex-wrap: wrap; color: var(--muted);
  font-size: .9rem; }
.merchant b { color: var(--text); }
.description { margin: .35rem 0 .8rem; font-size: 1rem; overflow-wrap: anywhere; }
.amount { display: flex; align-items: baseline; justify-content: space-between; border-top: 1px solid var(--line);
  padding-top: .75rem; margin-top: .25rem; }
.amount .value { font-size: 1.7rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.note { color: var(--muted); font-size: .85rem; }
table { width: 100%; border-collapse: collapse; font-size: .9rem; }
th, td { text-align: left; padding: .4rem .3rem; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
th { color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
details.receipt { margin-top: .8rem; }
details.receipt summary { cursor: pointer; color: var(--accent); }
details.receipt table { margin-top: .5rem; }
form.card { display: grid; gap: .9rem; }
fieldset { border: 0; padding: 0; margin: 0; display: grid; gap: .9rem; }
legend { font-weight: 700; font-size: 1.05rem; margin-bottom: .6rem; padding: 0; }
.row { display: grid; grid-template-columns: 1fr 1fr; gap: .9rem; }
.field { display: grid; gap: .25rem; }
label { font-weight: 600; font-size: .92rem; }
.hint { color: var(--muted); font-size: .8rem; }
input { font: inherit; font-size: 1.05rem; padding: .6rem .7rem; border: 1px solid #b8c2cf; border-radius: 8px;
  background: #fff; color: var(--text); width: 100%; }
input.digits { font-variant-numeric: tabular-nums; letter-spacing: .04em; }
input:focus-visible { outline: 3px solid var(--focus); outline-offset: 0; border-color: var(--accent); }
input[aria-invalid="true"] { border-color: var(--danger); background: #fffafa; }
.error { color: var(--danger); font-size: .85rem; font-weight: 600; }
.summary { border: 1px solid var(--danger); background: var(--danger-bg); border-radius: 8px; padding: .6rem .8rem; }
.summary ul { margin: .3rem 0 0; padding-left: 1.2rem; }
.summary a { color: var(--danger); }
.actions { display: grid; gap: .6rem; margin-top: .3rem; }
button, .button { font: inherit; font-weight: 700; font-size: 1.05rem; border-radius: 8px; padding: .75rem 1rem;
  cursor: pointer; border: 1px solid transparent; text-align: center; text-decoration: none; display: block; width: 100%; }
.primary { background: var(--accent); color: #fff; }
.primary:hover { background: var(--accent-dark); }
.secondary { background: #fff; color: var(--accent); border-color: #b8c2cf; font-weight: 600; font-size: .95rem; }
.secondary:hover { background: #f0f4fb; }
form.inline { margin: 0; }
.safety { color: var(--muted); font-size: .82rem; margin: .2rem 0 0; text-align: center; }
.cards td:first-child { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: nowrap;
  user-select: all; }
.status { border-radius: 8px; padding: .8rem 1rem; margin-bottom: 1rem; }
.status.ok { background: var(--ok-bg); color: var(--ok); }
.status.bad { background: var(--danger-bg); color: var(--danger); }
.status.wait { background: var(--warn-bg); color: #5a4100; }
.status p { margin: .25rem 0 0; color: var(--text); }
.code { font-size: 1.6rem; font-weight: 700; margin: 0 0 .4rem; color: var(--danger); }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa; border: 1px solid var(--line);
  border-radius: 8px; padding: .6rem .8rem; font-size: .82rem; }
footer { text-align: center; color: var(--muted); font-size: .8rem; padding: 0 1rem 2rem; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #12161c; --panel: #1b2129; --text: #e7ebf0; --muted: #a3adba; --line: #2e3742;
    --accent: #7fb0ff; --accent-dark: #a5c8ff; --danger: #ff8a80; --danger-bg: #3a1d1b; --ok: #7fd6a0;
    --ok-bg: #173325; --warn-bg: #3b3116; }
  input { background: #11151b; border-color: #465261; color: var(--text); }
  .primary { color: #0b1a33; }
  .secondary { background: transparent; border-color: #465261; }
  .secondary:hover { background: #222a35; }
  pre { background: #11151b; }
  .status p { color: var(--text); }
  .status.wait { color: #ffd77a; }
  .banner { color: #3d2c00; }
}
@media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
`;

/**
 * Submits a form marked data-autosubmit after the given delay (ms): the POST SuccessURL/FailURL
 * return, which Robokassa does with a self-submitting form. Without JS the visible button does it.
 */
export const AUTOSUBMIT_SCRIPT = `'use strict';
document.querySelectorAll('form[data-autosubmit]').forEach(function (form) {
  var delay = Number(form.getAttribute('data-autosubmit')) || 0;
  setTimeout(function () { form.submit(); }, delay);
});
document.querySelectorAll('a[data-autofollow]').forEach(function (link) {
  var delay = Number(link.getAttribute('data-autofollow')) || 0;
  setTimeout(function () { window.location.assign(link.href); }, delay);
});
`;

/** A striped "S" tile: the sandbox's own mark, deliberately unlike Robokassa's logo. */
export const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#ffd45c"/><text x="16" y="23" font-family="Arial,sans-serif" font-size="20" font-weight="700" text-anchor="middle" fill="#3d2c00">S</text></svg>`;
