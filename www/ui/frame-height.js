// When the app runs inside an iframe (a course page's <trainlab-demo>), it
// tells its parent how tall its content is, so the frame can fit the demo
// instead of a fixed height. The message carries a number only; the parent
// checks where it came from (see www/embed.js).

export const HEIGHT_MESSAGE = "trainlab:height";

/** The page's content height in CSS pixels (the root box, not the viewport). */
function contentHeight() {
  return Math.ceil(document.documentElement.getBoundingClientRect().height);
}

/**
 * Starts reporting the content height to the parent window whenever it
 * changes. Does nothing at the top level. Returns a stop function.
 */
export function reportHeightToParent(win = window) {
  if (win.parent === win) return () => {};
  let last = -1;
  const post = () => {
    const height = contentHeight();
    if (height === last) return;
    last = height;
    // The height is no secret, and the app cannot know the parent's origin
    // in every browser (ancestorOrigins is not in Firefox): any origin.
    win.parent.postMessage({ type: HEIGHT_MESSAGE, height }, "*");
  };
  post();
  if (typeof ResizeObserver === "function") {
    const observer = new ResizeObserver(post);
    observer.observe(document.documentElement);
    return () => observer.disconnect();
  }
  // Without ResizeObserver: any change to the page, or to the frame's width.
  let queued = false;
  const soon = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      post();
    });
  };
  const mutations = new MutationObserver(soon);
  mutations.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
  win.addEventListener("resize", soon);
  return () => {
    mutations.disconnect();
    win.removeEventListener("resize", soon);
  };
}
