// In-app browsers (webviews inside social and messenger apps) tend to swallow window.open or open
// a window that can never report back, so the element sends their buyers through the same tab.
const IN_APP = /Telegram|Instagram|FB(?:AN|AV|_IAB|IOS)|Messenger|VK(?:Client|AndroidApp)|com\.vkontakte|\bLine\/|WhatsApp|Snapchat|musical_ly|TikTok|BytedanceWebview|Pinterest|; wv\)/i;

/** True when the user agent string looks like an app's embedded browser. */
export const isInAppBrowser = (userAgent: string): boolean => IN_APP.test(userAgent);
