// Work the element puts off past its first render, batched: with many elements on a page, one
// MessageChannel and one idle callback serve them all, instead of a channel and an idle callback
// made per element in the render task.

const soon: Array<() => void> = [];
const idle: Array<() => void> = [];
let channel: MessagePort | undefined;

function drain(queue: Array<() => void>): void {
  // callbacks queued while draining wait for the next turn; one that throws is reported, and the
  // rest still run
  for (const fn of queue.splice(0)) {
    try {
      fn();
    } catch (e) {
      queueMicrotask(() => {
        throw e;
      });
    }
  }
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
