// /ui/: the articles, newest first, filtered by status, publication dates and a text search.
import { api, query } from "../api.js";
import { h, articlePath, formatDate, formatTimestamp, notice } from "../dom.js";

const STATUSES = ["", "queued", "running", "succeeded", "failed"];
const SEARCH_PAGES = 10;

function field(id, label, control) {
  return h("div", { class: "field" }, h("label", { for: id }, label), control);
}

/** The text search looks in what the list shows: title, source and external id. */
function matches(article, words) {
  const haystack = [article.title, article.source, article.external_id, article.id].filter(Boolean).join(" ").toLowerCase();
  return words.every((word) => haystack.includes(word));
}

export async function render(main, _match, { params, navigate, title, signal }) {
  title("Articles");
  const filters = {
    status: params.get("status") || "",
    published_after: params.get("published_after") || "",
    published_before: params.get("published_before") || "",
    q: params.get("q") || "",
  };
  const status = h("select", { id: "f-status", name: "status" },
    STATUSES.map((value) => h("option", { value, selected: value === filters.status }, value || "any")));
  const after = h("input", { id: "f-after", name: "published_after", type: "date", value: filters.published_after });
  const before = h("input", { id: "f-before", name: "published_before", type: "date", value: filters.published_before });
  const search = h("input", { id: "f-q", name: "q", type: "search", value: filters.q });
  const form = h("form", { class: "filters", role: "search", "aria-label": "Filter articles" },
    field("f-q", "Title, source or id contains", search), field("f-status", "Status", status),
    field("f-after", "Published from", after), field("f-before", "Published until", before),
    h("button", { type: "submit" }, "Filter"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    navigate(`/ui/${query({ q: search.value.trim(), status: status.value, published_after: after.value,
      published_before: before.value })}`);
  });

  const summary = h("p", { class: "hint", role: "status" });
  const body = h("tbody", {});
  const table = h("table", { class: "list" },
    h("caption", { class: "visually-hidden" }, "Articles, newest first"),
    h("thead", {}, h("tr", {}, ["Title", "Published", "Status", "Version", "Source", "Submitted"].map((label) => h("th", { scope: "col" }, label)))),
    body);
  const more = h("button", { type: "button", class: "secondary", hidden: true }, "Load more");
  main.append(h("div", { class: "page-head" }, h("h1", {}, "Articles"), h("a", { class: "button", href: "/ui/submit" }, "Submit an article")),
    form, summary, h("div", { class: "table-wrap" }, table), more);

  const words = filters.q.toLowerCase().split(/\s+/).filter(Boolean);
  let next = `/v1/articles${query({ limit: 100, status: filters.status, published_after: filters.published_after,
    published_before: filters.published_before })}`;
  let shown = 0;
  let scanned = 0;

  async function loadPage() {
    more.disabled = true;
    summary.textContent = "Loading…";
    let page;
    try {
      page = await api(next, { signal });
    } catch (error) {
      if (error.name === "AbortError") return;
      summary.replaceWith(notice(`Could not list the articles: ${error.message}`, "error"));
      return;
    }
    scanned += page.items.length;
    for (const article of page.items.filter((item) => matches(item, words))) {
      shown += 1;
      body.append(h("tr", {},
        h("td", {}, h("a", { href: articlePath(article.id) }, article.title || `Untitled (${article.id.slice(0, 8)})`)),
        h("td", {}, formatDate(article.published_at)),
        h("td", {}, h("span", { class: `status status-${article.status}` }, article.status)),
        h("td", {}, article.latest_version ?? "–"),
        h("td", {}, article.source || ""),
        h("td", {}, formatTimestamp(article.created_at))));
    }
    next = page.next;
    more.hidden = !next;
    more.disabled = false;
    summary.textContent = shown ? `${shown} article${shown === 1 ? "" : "s"}${next ? " so far" : ""}` +
      (words.length ? ` matching “${filters.q}” (of ${scanned} read)` : "")
      : (next ? `No match in the ${scanned} newest; load more to search further.` : "No articles match.");
  }
  // a search reads on until it has a page of matches (the API filters by status and dates only;
  // words are matched here, in what the list shows), at most SEARCH_PAGES pages at a time
  async function loadMatches() {
    const wanted = shown + 20;
    for (let pages = 0; pages < (words.length ? SEARCH_PAGES : 1); pages += 1) {
      await loadPage();
      if (!next || shown >= wanted || signal.aborted) break;
    }
  }
  more.addEventListener("click", loadMatches);
  await loadMatches();
}
