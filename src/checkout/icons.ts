// Card marks drawn for this element as small inline SVG (no network, no CSP exceptions).
// Both are decorative: the logos part carries the accessible name.
import { svg } from 'lit';

export const visa = svg`<svg viewBox="0 0 48 30" width="40" height="25" aria-hidden="true" focusable="false"><rect width="48" height="30" rx="4" fill="#1a1f71"/><path fill="#fff" d="M9 10h3.2l2 7.4 2.6-7.4H20l-4.3 10.4h-3.1zM21.2 10h3l-1.9 10.4h-3zM33 10.3l-.5 2.5c-.8-.4-1.8-.6-2.6-.6-.9 0-1.4.4-1.4.8 0 1.3 4 1.4 3.6 4.3-.3 2.1-2.3 3.3-4.7 3.3-1.2 0-2.4-.3-3.2-.7l.5-2.6c.8.5 1.9.8 2.8.8 1 0 1.6-.4 1.6-.9.1-1.3-3.9-1.5-3.5-4.4.3-1.9 2.2-3 4.5-3 1 0 2.1.2 2.7.5zM36.7 10h2.6l2.3 10.4h-2.8l-.3-1.5h-3.6l-.6 1.5h-3.1zm.3 6.6h2.2l-.8-3.9z"/></svg>`;

export const mastercard = svg`<svg viewBox="0 0 48 30" width="40" height="25" aria-hidden="true" focusable="false"><rect width="48" height="30" rx="4" fill="#252525"/><circle cx="19" cy="15" r="9" fill="#eb001b"/><circle cx="29" cy="15" r="9" fill="#f79e1b"/><path d="M24 7.5a9 9 0 0 1 0 15 9 9 0 0 1 0-15z" fill="#ff5f00"/></svg>`;
