// One tooltip for the whole page: details of the highlight under the pointer or in focus.
import { append, clear } from "./dom.js";

let owner = null;

function box() {
  return document.getElementById("tooltip");
}

/** Show `content` (nodes) next to `anchor` and describe the anchor by it. */
export function showTooltip(anchor, content) {
  const tip = box();
  if (owner && owner !== anchor) owner.removeAttribute("aria-describedby");
  owner = anchor;
  append(clear(tip), [content]);
  tip.hidden = false;
  anchor.setAttribute("aria-describedby", "tooltip");
  const rect = anchor.getBoundingClientRect();
  const width = tip.offsetWidth;
  const left = Math.max(8, Math.min(window.scrollX + rect.left, window.scrollX + document.documentElement.clientWidth - width - 8));
  let top = window.scrollY + rect.bottom + 6;
  if (rect.bottom + tip.offsetHeight + 12 > window.innerHeight && rect.top > tip.offsetHeight + 12) {
    top = window.scrollY + rect.top - tip.offsetHeight - 6;
  }
  tip.style.left = `${left}px`; // CSSOM, allowed by style-src 'self' (no style attribute in markup)
  tip.style.top = `${top}px`;
}

export function hideTooltip(anchor) {
  if (anchor && anchor !== owner) return;
  const tip = box();
  if (tip) tip.hidden = true;
  owner?.removeAttribute("aria-describedby");
  owner = null;
}

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") hideTooltip();
});
