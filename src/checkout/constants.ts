// Names shared with the backend's return pages. They equal RETURN_MESSAGE_TYPE and RETURN_CHANNEL in
// src/protocol/contract.ts (a test checks it); importing values from there would pull zod into the bundle.
export const RETURN_MESSAGE_TYPE = 'robokassa-checkout:return';
export const RETURN_CHANNEL = 'robokassa-checkout';
/** The window name: a second pay() in another tab reuses the same payment window. */
export const WINDOW_NAME = 'robokassa-checkout';
/** sessionStorage key of an attempt that left this tab for the payment page. */
export const STORAGE_KEY = 'robokassa-checkout:attempt';
/** Query parameters the backend adds to returnUrl when it sends the buyer back (redirect mode). */
export const RETURN_PARAM_ID = 'rk_payment';
export const RETURN_PARAM_OUTCOME = 'rk_outcome';
