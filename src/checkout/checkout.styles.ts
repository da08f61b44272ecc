// Public theming goes through --rk-* custom properties, copied on :host into private --_* names
// that the rules read (short, as the text ships in the embed: --_ac accent, --_on on-accent, --_tx
// text, --_mu muted, --_bg background, --_bd border, --_fr focus ring, --_er danger, --_ok success,
// --_bb/--_bt badge). radius, font and spacing have no dark value, so the rules read them directly.
// Colours meet WCAG AA (≥ 4.5:1 for text) in light and dark. The Visa and Mastercard marks are drawn
// here (brand colours kept in forced-colors mode), not as inline SVG: fewer nodes per element.
// a plain string: BaseElement turns it into one constructed stylesheet per page
export default `
:host{--_ac:var(--rk-accent,#1d4ed8);--_on:var(--rk-on-accent,#fff);--_tx:var(--rk-text,#1b1b1f);--_mu:var(--rk-muted,#52525b);--_bg:var(--rk-background,#fff);--_bd:var(--rk-border,#767676);--_fr:var(--rk-focus-ring,0 0 0 3px #fff,0 0 0 5px #1d4ed8);--_er:#b3261e;--_ok:#146c2e;--_bb:#fff3cd;--_bt:#5c4400;display:block;max-width:28rem;color:var(--_tx);background:var(--_bg);font:1rem/1.45 var(--rk-font,system-ui,-apple-system,'Segoe UI',Roboto,sans-serif)}
@media (prefers-color-scheme:dark){:host{--_ac:var(--rk-accent,#8ab4f8);--_on:var(--rk-on-accent,#0b1b33);--_tx:var(--rk-text,#ececf1);--_mu:var(--rk-muted,#b4b4bd);--_bg:var(--rk-background,#1c1c21);--_bd:var(--rk-border,#8e8e99);--_fr:var(--rk-focus-ring,0 0 0 3px #1c1c21,0 0 0 5px #8ab4f8);--_er:#ffb4ab;--_ok:#8fd9a4;--_bb:#4d3b00;--_bt:#ffe08a}}
:host([hidden]){display:none}
*{box-sizing:border-box}
.base{display:grid;gap:var(--rk-spacing,12px)}
.field{display:grid;gap:4px}
[part=email],[part=button],.link{font:inherit}
[part=badge]{justify-self:start;padding:2px 8px;border-radius:999px;background:var(--_bb);color:var(--_bt);font-size:.8125rem;font-weight:600}
[part=email]{color:var(--_tx);background:var(--_bg);border:1px solid var(--_bd);border-radius:var(--rk-radius,8px);padding:10px 12px;min-height:44px}
[part=email][aria-invalid=true]{border-color:var(--_er)}
.field-error,.error{color:var(--_er)}
.success{color:var(--_ok)}
[part=button]{display:inline-flex;align-items:center;justify-content:center;gap:.4em;width:100%;min-height:48px;padding:12px 20px;border:0;border-radius:var(--rk-radius,8px);background:var(--_ac);color:var(--_on);font-weight:600}
[part=button],.link,summary{cursor:pointer}
[aria-disabled=true]{cursor:progress}
:disabled{cursor:not-allowed;opacity:.55}
:focus-visible{outline:2px solid transparent;box-shadow:var(--_fr)}
.spinner{width:1em;height:1em;border:2px solid;border-right-color:transparent;border-radius:50%;animation:spin .8s linear infinite}
@keyframes spin{to{transform:rotate(1turn)}}
[part=logos]{display:flex;gap:8px;justify-content:center}
[part=logos] span{display:flex;align-items:center;justify-content:center;width:40px;height:25px;border-radius:3px;forced-color-adjust:none}
.visa{background:#1a1f71;color:#fff;font:italic 700 11.7px Arial,sans-serif}
.mc{background:#252525}
.mc:before,.mc:after{content:"";width:15px;height:15px;border-radius:50%;background:#eb001b}
.mc:after{margin-left:-6.7px;background:radial-gradient(circle 7.5px at -.8px,#ff5f00 100%,#f79e1b 0)}
[part=status]{min-height:1.45em;margin:0;text-align:center}
[part=notice],[part=help]{color:var(--_mu);font-size:.875rem}
p{margin:0 0 4px}
ul{margin:6px 0;padding-inline-start:1.25em}
a{color:inherit}
.link{background:none;border:0;padding:0 2px;text-decoration:underline}
.link,summary{min-height:24px}
summary{border-radius:4px}
.title,summary,.manual,.link{color:var(--_tx);font-weight:600}
@media (prefers-reduced-motion:reduce){.spinner{animation:none;border-right-color:currentColor;opacity:.6}}
`;

/**
 * For the elements past the eighth on a page (a catalog with a button per product): not styled, laid
 * out or painted while off screen (100 elements: the first frame ≈ 200–265 → 100–130 ms in-page).
 * Not for every element, as axe — and so Lighthouse — misreads the contrast of content skipped this
 * way (dequelabs/axe-core#2768), and a page with a few elements gains nothing. Its paint containment
 * would clip the focus ring drawn outside the button, so it applies only where overflow-clip-margin
 * lets the ring show.
 */
export const offscreenStyles = `@supports (overflow-clip-margin:1px){:host{content-visibility:auto;contain-intrinsic-block-size:auto 300px;overflow-clip-margin:12px}}`;

