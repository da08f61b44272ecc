// Names the backend's return pages and the element must agree on. No imports, so the browser
// bundle can take them without pulling zod (contract.ts re-exports them).

/** `type` of the message the return pages post to the opener and on the channel. */
export const RETURN_MESSAGE_TYPE = 'robokassa-checkout:return';
/** BroadcastChannel the return pages post on (same-origin tabs). */
export const RETURN_CHANNEL = 'robokassa-checkout';
/** Query parameters the backend adds to returnUrl when it sends the buyer back (redirect mode). */
export const RETURN_PARAM_ID = 'rk_payment';
export const RETURN_PARAM_OUTCOME = 'rk_outcome';
