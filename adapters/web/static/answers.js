// meldbot's answer to what a person just sent: it takes the focus and is said once.
//
// After a message, a button or a form is sent, the first message meldbot answers with in
// that pane (a new one, or the one it replaced, such as the receipt in place of a draft)
// gets the focus, so a keyboard or screen reader user is at the answer and not at the top
// of the page, and its summary is announced through the polite live region. The focus only
// moves when it is still where the person left it: someone who is typing again, or went
// elsewhere, hears the answer announced and keeps their place.

const SETTLE_MS = 80; // messages of one answer arrive together; they land as one
const LINGER_MS = 2000; // after the server replied, its answer may still be on the stream

function articleOf(id) {
  return document.querySelector(`article[data-message-id="${CSS.escape(id)}"]`);
}

function shown(element) {
  return Boolean(element?.getClientRects().length); // not inside a closed thread
}

export class Answers {
  /** `announce(text)` speaks; `held()` is true while something (the form dialog) is open. */
  constructor(announce, held) {
    this.announce = announce;
    this.held = held;
    this.waiting = null;
  }

  /** A person sent something in `pane` while the focus was on (or returns to) `anchor`. */
  expect(pane, anchor) {
    this.stop();
    const waiting = { pane, anchor, found: [], settle: 0, linger: 0, back: false };
    // Someone who went back to the composer they sent from (to type again) chose their
    // place. Other anchors get the focus back from meldbot itself, when a form closes.
    waiting.onBack = () => (waiting.back = true);
    if (anchor instanceof HTMLTextAreaElement) anchor.addEventListener("focusin", waiting.onBack);
    this.waiting = waiting;
  }

  /** The server answered the send; on a refusal there is no answer to go to. */
  replied(ok) {
    const waiting = this.waiting;
    if (!waiting) return;
    if (!ok) {
      this.stop();
      return;
    }
    clearTimeout(waiting.linger);
    waiting.linger = setTimeout(() => {
      this.land();
      if (this.waiting === waiting) this.stop();
    }, LINGER_MS);
  }

  /** Whether `message`, just shown in `pane`, is the awaited answer (then it is said here). */
  takes(pane, message) {
    const waiting = this.waiting;
    if (!waiting || waiting.pane !== pane) return false;
    if (!waiting.found.some((m) => m.id === message.id)) waiting.found.push(message);
    clearTimeout(waiting.settle);
    waiting.settle = setTimeout(() => this.land(), SETTLE_MS);
    return true;
  }

  /** Focus and announce what was found; waits while the form dialog is still open. */
  land() {
    const waiting = this.waiting;
    if (!waiting || waiting.found.length === 0 || this.held()) return;
    const found = waiting.found;
    waiting.found = [];
    const target = found.map((m) => articleOf(m.id)).find(shown);
    this.announce(found.map((m) => m.summary).join(" — "));
    if (target && this.mayMove(waiting, found)) {
      // From its first line: a long answer is read from the top, not from where it ends.
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "start" });
    }
  }

  mayMove({ pane, anchor, back }, found) {
    const active = document.activeElement;
    if (!active || active === document.body) return true;
    // A composer the person returned to, or has started typing in again, keeps the focus.
    if (active === anchor) {
      return !back && !(anchor instanceof HTMLTextAreaElement && anchor.value.trim());
    }
    const article = active.closest("article[data-message-id]");
    if (article && found.some((m) => m.id === article.dataset.messageId)) return true;
    // Where the focus went when the element it was on vanished (a replaced message).
    return active === document.querySelector(`[data-pane="${pane}"] h2`);
  }

  stop() {
    const waiting = this.waiting;
    if (!waiting) return;
    clearTimeout(waiting.settle);
    clearTimeout(waiting.linger);
    waiting.anchor?.removeEventListener("focusin", waiting.onBack);
    this.waiting = null;
  }
}
