// The element's own names; those shared with the backend's return pages come from the protocol
// (return-names.ts imports nothing, so no zod reaches the bundle).
export { RETURN_MESSAGE_TYPE, RETURN_CHANNEL, RETURN_PARAM_ID, RETURN_PARAM_OUTCOME } from '../protocol/return-names.js';
/** The window name: a second pay() in another tab reuses the same payment window. */
export const WINDOW_NAME = 'robokassa-checkout';
/** sessionStorage key of an attempt that left this tab for the payment page. */
export const STORAGE_KEY = 'robokassa-checkout:attempt';
