// The analyst's view: a small router over pages that each read the public API.
import "./style.css";
import { credentials, onKeyRefused } from "./api.js";
import { h, clear, notice } from "./dom.js";
import { hideTooltip } from "./tooltip.js";
import * as login from "./pages/login.js";
import * as articles from "./pages/articles.js";
import * as submit from "./pages/submit.js";
import * as article from "./pages/article.js";
import * as actors from "./pages/actors.js";
import * as actor from "./pages/actor.js";
import * as stories from "./pages/stories.js";

const ROUTES = [
  [/^\/ui\/login$/, login, false],
  [/^\/ui\/?$/, articles, true],
  [/^\/ui\/submit$/, submit, true],
  [/^\/ui\/articles\/([^/]+)$/, article, true],
  [/^\/ui\/actors$/, actors, true],
  [/^\/ui\/actors\/([^/]+)$/, actor, true],
  [/^\/ui\/stories$/, stories, true],
];
const NAV = [
  ["/ui/", "Articles"],
  ["/ui/submit", "Submit"],
  ["/ui/actors", "Actors"],
  ["/ui/stories", "Stories"],
];

let current = null; // the AbortController of the page on screen

export function navigate(href, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  route();
}

function renderNav() {
  const nav = clear(document.getElementById("nav"));
  if (!credentials.key) return;
  const here = location.pathname;
  const list = h("ul", {});
  for (const [href, label] of NAV) {
    const active = href === "/ui/" ? here === "/ui/" || here.startsWith("/ui/articles") : here.startsWith(href);
    list.append(h("li", {}, h("a", { href, "aria-current": active ? "page" : null }, label)));
  }
  const logout = h("button", { type: "button", class: "link-button" }, "Log out");
  logout.addEventListener("click", () => {
    credentials.clear();
    navigate("/ui/login");
  });
  list.append(h("li", {}, logout));
  nav.append(list);
}

async function route() {
  current?.abort();
  current = new AbortController();
  hideTooltip();
  const main = clear(document.getElementById("main"));
  const path = location.pathname;
  const found = ROUTES.map(([pattern, page, needsKey]) => [pattern.exec(path), page, needsKey]).find(([match]) => match);
  if (found && found[2] && !credentials.key) {
    navigate(`/ui/login?next=${encodeURIComponent(path + location.search)}`, { replace: true });
    return;
  }
  renderNav();
  const context = {
    signal: current.signal,
    params: new URLSearchParams(location.search),
    navigate,
    title(text) {
      document.title = text ? `${text} · Lagebild` : "Lagebild";
    },
  };
  if (!found) {
    context.title("Not found");
    main.append(h("h1", {}, "Page not found"), notice(`There is no page at ${path}.`, "error"),
      h("p", {}, h("a", { href: "/ui/" }, "Back to the articles")));
    return;
  }
  const [match, page] = found;
  try {
    await page.render(main, match.slice(1).map(decodeURIComponent), context);
  } catch (error) {
    if (error.name === "AbortError") return;
    main.append(notice(`Could not show this page: ${error.message}`, "error"));
  }
  // after a navigation, reading starts at the page's heading
  if (document.activeElement === document.body || !main.contains(document.activeElement)) {
    const heading = main.querySelector("h1");
    if (heading && heading.dataset.initial !== "skip") {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
  }
}

document.addEventListener("click", (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest("a");
  if (!link || link.target === "_blank") return;
  const href = link.getAttribute("href");
  if (!href || !href.startsWith("/ui/") || href.startsWith("/ui/assets/")) return;
  event.preventDefault();
  navigate(href);
});
window.addEventListener("popstate", route);
onKeyRefused(() => {
  credentials.clear();
  if (location.pathname !== "/ui/login") {
    navigate(`/ui/login?refused=1&next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
  }
});
route();
