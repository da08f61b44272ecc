// Work the element puts off past its first render, batched: with many elements on a page, one
// MessageChannel and one idle callback serve them all (a channel or an idle callback per element
// measured ≈ 0.2 ms each in Chromium, most of the gap to a bare button with 100 elements).

const soon: Array<() => void> = [];
const idle: Array<() => void> = [];
let channel: MessagePort | undefined;

function drain(queue: Array<() => void>): void {
  // callbacks queued while draining wait for the next turn
  for (const fn of queue.splice(0)) fn();
}

/**
 * Runs `fn` in a task of its own, after the current one. A message, not a timer: a busy page's
 * message tasks would starve a timer.
 */
export function nextTask(fn: () => void): void {
  if (soon.push(fn) > 1) return;
  if (!channel) {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => drain(soon);
    channel = port2;
  }
  channel.postMessage(0);
}

/** Runs `fn` when the page is idle (a timer where there is no requestIdleCallback, as in Safari). */
export function whenIdle(fn: () => void): void {
  if (idle.push(fn) === 1) (window.requestIdleCallback ?? setTimeout)(() => drain(idle));
}
