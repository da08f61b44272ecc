// Card marks drawn for this element as small inline SVG (no network, no CSP exceptions).
// Both are decorative: the logos part carries the accessible name.
import { svg } from 'lit';

export const visa = svg`<svg viewBox="0 0 48 30" width="40" height="25" aria-hidden="true" focusable="false"><rect width="48" height="30" rx="4" fill="#1a1f71"/><text x="24" y="20.5" fill="#fff" font-family="Arial,sans-serif" font-size="14" font-style="italic" font-weight="700" text-anchor="middle">VISA</text></svg>`;

export const mastercard = svg`<svg viewBox="0 0 48 30" width="40" height="25" aria-hidden="true" focusable="false"><rect width="48" height="30" rx="4" fill="#252525"/><circle cx="19" cy="15" r="9" fill="#eb001b"/><circle cx="29" cy="15" r="9" fill="#f79e1b"/><path d="M24 7.5a9 9 0 0 1 0 15 9 9 0 0 1 0-15z" fill="#ff5f00"/></svg>`;
