// /ui/articles/{id}: the text with every actor, quote and event marked; quotes by speaker and
// events on a timeline beside it; a version switcher when there are several versions.
import { api, collect } from "../api.js";
import { h, actorPath, articlePath, formatDate, notice } from "../dom.js";
import { highlightedText, spansOf } from "../highlight.js";
import { actorName, describeTime, detailsFor, indexOf, participants } from "../details.js";
import { hideTooltip, showTooltip } from "../tooltip.js";

const POLL_MS = 2000;

function legend() {
  return h("ul", { class: "legend", "aria-label": "Legend" },
    [["actor", "Actor"], ["quote", "Quote"], ["event", "Event trigger"]].map(([kind, label]) =>
      h("li", {}, h("mark", { class: `hl hl-${kind}` }, label))));
}

/** Focus the first mark of a highlight in the text (from a side panel). */
function showInText(kind, id) {
  const mark = document.querySelector(`.article-text mark[data-kind="${kind}"][data-id="${CSS.escape(id)}"]`);
  if (!mark) return;
  mark.scrollIntoView({ block: "center" });
  mark.focus({ preventScroll: true });
}

function jumpButton(kind, id, label) {
  const button = h("button", { type: "button", class: "link-button jump" }, "show in text", h("span", { class: "visually-hidden" }, `: ${label}`));
  button.addEventListener("click", () => showInText(kind, id));
  return button;
}

function quotePanel(extraction, index) {
  const groups = new Map();
  for (const quote of extraction.quotes) {
    const key = quote.speaker?.actor || `text:${quote.speaker?.text || "unknown"}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(quote);
  }
  const ordered = [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
  const section = h("section", { class: "panel", "aria-labelledby": "quotes-heading", id: "quotes" },
    h("h2", { id: "quotes-heading" }, `Who said what (${extraction.quotes.length})`));
  if (!ordered.length) section.append(h("p", { class: "hint" }, "No quotes in this article."));
  for (const [key, quotes] of ordered) {
    const actor = key.startsWith("text:") ? null : index.actors.get(key);
    const name = actor ? actor.name : key.slice(5);
    const heading = actor?.global_id ? h("a", { href: actorPath(actor.global_id), class: "speaker-link" }, name) : name;
    section.append(h("h3", { class: "speaker" }, heading, actor?.roles?.length ? h("span", { class: "hint" }, ` · ${actor.roles[0]}`) : null),
      h("ul", { class: "quotes" }, quotes.map((quote) => h("li", { id: `quote-${quote.id}`, tabindex: "-1", dataset: { quote: quote.id } },
        h("blockquote", { lang: "de" }, quote.text),
        h("p", { class: "hint" }, `${quote.kind}`, quote.cue ? ` · „${quote.cue.text}“` : "", " · ",
          jumpButton("quote", quote.id, `quote ${quote.id} of ${name}`))))));
  }
  return section;
}

function timeline(extraction, index) {
  const dated = extraction.events.filter((event) => event.time?.value)
    .sort((a, b) => a.time.value.localeCompare(b.time.value) || a.trigger.start - b.trigger.start);
  const undated = extraction.events.filter((event) => !event.time?.value).sort((a, b) => a.trigger.start - b.trigger.start);
  const item = (event) => h("li", { id: `event-${event.id}`, tabindex: "-1", class: `modality-${event.modality}`, dataset: { event: event.id } },
    event.time?.value ? h("p", { class: "when" }, formatDate(event.time.value), event.time.text ? h("span", { class: "hint" }, ` · ${event.time.text}`) : null)
      : event.time?.text ? h("p", { class: "when" }, event.time.text) : null,
    h("p", { class: "what" }, h("strong", {}, event.type), event.mode ? ` (${event.mode})` : "", " · ", h("span", { class: "modality" }, event.modality)),
    h("p", {}, participants(index, event) || h("span", { class: "hint" }, "no participants")),
    event.location ? h("p", { class: "hint" }, `in ${event.location.actor ? actorName(index, event.location.actor) : event.location.text}`) : null,
    h("p", { class: "hint" }, `„${event.trigger.text}“ · `, jumpButton("event", event.id, `event ${event.id}, ${event.type}`)));
  return h("section", { class: "panel", "aria-labelledby": "events-heading", id: "events" },
    h("h2", { id: "events-heading" }, `Events (${extraction.events.length})`),
    extraction.events.length ? null : h("p", { class: "hint" }, "No events in this article."),
    dated.length ? h("ol", { class: "timeline" }, dated.map(item)) : null,
    undated.length ? [h("h3", {}, "Without a date"), h("ol", { class: "timeline undated" }, undated.map(item))] : null);
}

function wireHighlights(container, index, navigate) {
  const markOf = (event) => event.target.closest?.("mark[data-kind]");
  const show = (mark) => {
    const details = detailsFor(mark, index);
    if (details) showTooltip(mark, details);
  };
  container.addEventListener("mouseover", (event) => { const mark = markOf(event); if (mark) show(mark); });
  container.addEventListener("mouseout", (event) => { const mark = markOf(event); if (mark && !mark.contains(event.relatedTarget)) hideTooltip(mark); });
  container.addEventListener("focusin", (event) => { const mark = markOf(event); if (mark) show(mark); });
  container.addEventListener("focusout", (event) => { const mark = markOf(event); if (mark) hideTooltip(mark); });
  const activate = (mark) => {
    const { kind, id } = mark.dataset;
    if (kind === "actor") {
      const globalId = index.actors.get(id)?.global_id;
      if (globalId) navigate(actorPath(globalId));
      return;
    }
    const target = document.getElementById(`${kind}-${id}`);
    if (target) {
      target.scrollIntoView({ block: "nearest" });
      target.focus({ preventScroll: true });
    }
  };
  container.addEventListener("click", (event) => { const mark = markOf(event); if (mark) activate(mark); });
  container.addEventListener("keydown", (event) => {
    const mark = markOf(event);
    if (mark && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      activate(mark);
    }
  });
}

function versionSwitcher(articleId, versions, shown, navigate) {
  if (versions.length < 2) return null;
  const select = h("select", { id: "version" }, versions.map((item) =>
    h("option", { value: item.version, selected: item.version === shown }, `${item.version} · ${formatDate(item.created_at.slice(0, 10))} · ${item.counts.actors}/${item.counts.events}/${item.counts.quotes}`)));
  select.addEventListener("change", () => navigate(articlePath(articleId, select.value)));
  return h("div", { class: "field inline" }, h("label", { for: "version" }, "Version"), select,
    h("span", { class: "hint" }, "(actors/events/quotes)"));
}

async function waitForExtraction(articleId, main, signal) {
  const status = h("p", { role: "status" });
  main.append(status, h("progress", { "aria-label": "Extraction progress" }));
  for (;;) {
    const article = await api(`/v1/articles/${encodeURIComponent(articleId)}`, { signal });
    if (article.latest_version || article.status === "failed") return article;
    status.textContent = `The extraction is ${article.status}; this page updates when it is done.`;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (signal.aborted) throw new DOMException("aborted", "AbortError");
  }
}

export async function render(main, [articleId], { params, navigate, title, signal }) {
  title("Article");
  const loading = notice("Loading the article…");
  main.append(loading);
  let article;
  try {
    article = await api(`/v1/articles/${encodeURIComponent(articleId)}`, { signal });
    if (!article.latest_version && article.status !== "failed") article = await waitForExtraction(articleId, main, signal);
  } catch (error) {
    if (error.name === "AbortError") throw error;
    main.replaceChildren(h("h1", {}, "Article not found"), notice(error.status === 404 ? "There is no article with this id (or it is not yours)." : error.message, "error"));
    return;
  }
  if (!article.latest_version) {
    main.replaceChildren(h("h1", {}, article.title || "Article"), notice("The extraction of this article failed; it has no version to show.", "error"));
    return;
  }
  const wanted = /^[1-9][0-9]*$/.test(params.get("version") || "") ? params.get("version") : "latest";
  const base = `/v1/articles/${encodeURIComponent(articleId)}/extractions`;
  const [extraction, versions] = await Promise.all([api(`${base}/${wanted}`, { signal }), collect(`${base}?limit=100`, { signal })]);
  const index = indexOf(extraction);
  title(article.title || "Article");

  const text = h("div", { class: "article-text", lang: article.language || "de" }, highlightedText(article.text, spansOf(extraction)));
  wireHighlights(text, index, navigate);
  main.replaceChildren(
    h("p", { class: "crumbs" }, h("a", { href: "/ui/" }, "Articles")),
    h("h1", {}, article.title || `Article ${article.id.slice(0, 8)}`),
    h("div", { class: "meta" },
      h("span", {}, article.published_at ? `Published ${formatDate(article.published_at)}` : "No publication date"),
      article.source ? h("span", {}, article.source) : null,
      h("span", {}, `Version ${extraction.version}${versions.length > 1 ? ` of ${versions.length}` : ""}`),
      h("span", {}, `${extraction.actors.length} actors · ${extraction.quotes.length} quotes · ${extraction.events.length} events`),
      versionSwitcher(article.id, versions, extraction.version, navigate)),
    h("div", { class: "article-layout" },
      h("section", { class: "article-body", "aria-labelledby": "text-heading" },
        h("h2", { id: "text-heading", class: "visually-hidden" }, "Text"),
        legend(),
        h("p", { class: "hint" }, "Hover or focus (Tab) a highlight for its details; Enter opens an actor's page or the quote or event beside the text."),
        text),
      h("div", { class: "side" }, quotePanel(extraction, index), timeline(extraction, index))));
  // a link to one quote or event (#quote-Q2, from the actor page) opens the article there
  const target = location.hash.length > 1 && document.getElementById(location.hash.slice(1));
  if (target) {
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }
}
