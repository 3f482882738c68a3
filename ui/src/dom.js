// Building the page from data without innerHTML: every text from the API goes in as a text node.
const SVG_NS = "http://www.w3.org/2000/svg";

function build(element, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else if (name === "dataset") {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

/** An HTML element: h("a", {href: "/ui/"}, "text", otherElement, [more]). */
export function h(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element, same arguments as h(). */
export function svg(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

/** "2024-10-16" → "16.10.2024"; other values (weeks, months, years) stay as they are. */
export function formatDate(value) {
  if (!value) return "";
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  return day ? `${day[3]}.${day[2]}.${day[1]}` : value;
}

export function formatTimestamp(value) {
  if (!value) return "";
  const stamp = new Date(value);
  return Number.isNaN(stamp.getTime()) ? value : stamp.toLocaleString("de-DE", { dateStyle: "medium", timeStyle: "short" });
}

/** A status line for a region that is loading, failed or empty. */
export function notice(text, kind = "info") {
  return h("p", { class: `notice notice-${kind}`, role: kind === "error" ? "alert" : "status" }, text);
}

export function actorPath(globalId) {
  return `/ui/actors/${encodeURIComponent(globalId)}`;
}

export function articlePath(articleId, version) {
  return `/ui/articles/${encodeURIComponent(articleId)}${version ? `?version=${version}` : ""}`;
}
