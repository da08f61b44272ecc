// Public theming goes through --rk-* custom properties, copied on :host into private --_* names
// that the rules read. Colours meet WCAG AA (≥ 4.5:1 for text) in light and dark.
// a plain string: BaseElement turns it into one constructed stylesheet per page
export default `
:host{--_accent:var(--rk-accent,#1d4ed8);--_on-accent:var(--rk-on-accent,#fff);--_text:var(--rk-text,#1b1b1f);--_muted:var(--rk-muted,#52525b);--_background:var(--rk-background,#fff);--_border:var(--rk-border,#767676);--_radius:var(--rk-radius,8px);--_font:var(--rk-font,system-ui,-apple-system,'Segoe UI',Roboto,sans-serif);--_spacing:var(--rk-spacing,12px);--_focus-ring:var(--rk-focus-ring,0 0 0 3px #fff,0 0 0 5px #1d4ed8);--_danger:#b3261e;--_success:#146c2e;--_badge-bg:#fff3cd;--_badge-text:#5c4400;display:block;max-width:28rem;color:var(--_text);background:var(--_background);font:1rem/1.45 var(--_font)}
@media (prefers-color-scheme:dark){:host{--_accent:var(--rk-accent,#8ab4f8);--_on-accent:var(--rk-on-accent,#0b1b33);--_text:var(--rk-text,#ececf1);--_muted:var(--rk-muted,#b4b4bd);--_background:var(--rk-background,#1c1c21);--_border:var(--rk-border,#8e8e99);--_focus-ring:var(--rk-focus-ring,0 0 0 3px #1c1c21,0 0 0 5px #8ab4f8);--_danger:#ffb4ab;--_success:#8fd9a4;--_badge-bg:#4d3b00;--_badge-text:#ffe08a}
}
:host([hidden]){display:none}
*{box-sizing:border-box}
.base{display:grid;gap:var(--_spacing)}
[part=badge]{justify-self:start;padding:2px 8px;border-radius:999px;background:var(--_badge-bg);color:var(--_badge-text);font-size:.8125rem;font-weight:600}
.field{display:grid;gap:4px}
[part=email]{font:inherit;color:var(--_text);background:var(--_background);border:1px solid var(--_border);border-radius:var(--_radius);padding:10px 12px;min-height:44px}
[part=email][aria-invalid=true]{border-color:var(--_danger)}
.field-error,.error{color:var(--_danger)}
[part=button]{display:inline-flex;align-items:center;justify-content:center;gap:.4em;width:100%;min-height:48px;padding:12px 20px;border:0;border-radius:var(--_radius);background:var(--_accent);color:var(--_on-accent);font:inherit;font-weight:600;cursor:pointer}
:is([part=button],summary,a,.link,[part=email]):focus-visible{outline:2px solid transparent;box-shadow:var(--_focus-ring)}
[part=button][aria-disabled=true]{cursor:progress}
[part=button]:disabled{cursor:not-allowed;opacity:.55}
.spinner{width:1em;height:1em;border:2px solid currentColor;border-right-color:transparent;border-radius:50%;animation:spin .8s linear infinite}
@keyframes spin{to{transform:rotate(1turn)}}
[part=logos]{display:flex;gap:8px;justify-content:center}
[part=status]{min-height:1.45em;margin:0;text-align:center}
.success{color:var(--_success)}
[part=notice],[part=help]{color:var(--_muted);font-size:.875rem}
[part=notice] p,[part=help] p{margin:0 0 4px}
.title{color:var(--_text);font-weight:600}
summary{cursor:pointer;color:var(--_text);font-weight:600;border-radius:4px;min-height:24px}
ul{margin:6px 0;padding-inline-start:1.25em}
a{color:inherit;text-decoration:underline}
a.manual,.link{color:var(--_text);font-weight:600}
.link{font:inherit;font-weight:600;background:none;border:0;padding:0 2px;min-height:24px;text-decoration:underline;cursor:pointer}
@media (prefers-reduced-motion:reduce){.spinner{animation:none;border-right-color:currentColor;opacity:.6}}
`;
