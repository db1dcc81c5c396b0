// The box an element scrolls in: the nearest ancestor whose overflow scrolls. The window
// scrolls its content inside one such box (between the classification banners), so
// "is this chart near the screen" must be asked of that box, not of the viewport: an
// observer rooted at the viewport sees everything clipped by the box as out of sight,
// margin or not.

/** The nearest ancestor of `element` that scrolls vertically, or null (the viewport). */
export function scrollingBox(element: Element): Element | null {
  for (let e = element.parentElement; e; e = e.parentElement) {
    const overflow = getComputedStyle(e).overflowY;
    if (overflow === "auto" || overflow === "scroll" || overflow === "overlay") return e;
  }
  return null;
}
