// /ui/stories: happenings across articles on a timeline, each with the reports of it.
import { api, collect, query } from "../api.js";
import { h, actorPath, articlePath, formatDate, notice } from "../dom.js";

function when(story) {
  const time = story.time;
  if (!time?.start) return null;
  return time.end && time.end !== time.start ? `${formatDate(time.start)} – ${formatDate(time.end)}` : formatDate(time.start);
}

function storyCard(story, titles) {
  return h("li", { class: "story", id: `story-${story.id}`, tabindex: "-1" },
    h("p", { class: "when" }, when(story) || "no date", story.time?.value && story.time.granularity !== "day" ? h("span", { class: "hint" }, ` · ${story.time.value}`) : null),
    h("h2", { class: "story-title" }, h("span", { class: "type" }, story.type), story.mode ? ` (${story.mode})` : "", " · ",
      story.participants.length ? story.participants.map((actor, i) => [i ? ", " : "",
        actor.global_id ? h("a", { href: actorPath(actor.global_id) }, actor.name) : actor.name]) : "no participants",
      story.place ? ` · in ${story.place.name}` : ""),
    h("p", { class: "hint" }, `${story.report_count} report${story.report_count === 1 ? "" : "s"} in ${story.article_count} article${story.article_count === 1 ? "" : "s"}, published ${formatDate(story.first_report)}${story.last_report && story.last_report !== story.first_report ? ` – ${formatDate(story.last_report)}` : ""}`),
    h("ul", { class: "reports" }, story.reports.map((report) => h("li", {},
      h("p", {}, h("a", { href: `${articlePath(report.article_id, report.version)}#event-${report.event_id}` }, titles.get(report.article_id) || `Article ${report.article_id.slice(0, 8)}`),
        h("span", { class: "hint" }, ` · ${formatDate(report.published_at) || "no date"} · ${report.modality}${report.time?.text ? ` · „${report.time.text}“` : ""}`)),
      h("blockquote", { class: "evidence", lang: "de" }, report.evidence.text)))));
}

export async function render(main, _match, { params, navigate, title, signal }) {
  title("Stories");
  const q = h("input", { id: "st-q", name: "q", type: "search", value: params.get("q") || "" });
  const from = h("input", { id: "st-from", name: "from", type: "date", value: params.get("from") || "" });
  const to = h("input", { id: "st-to", name: "to", type: "date", value: params.get("to") || "" });
  const form = h("form", { class: "filters", role: "search", "aria-label": "Filter stories" },
    h("div", { class: "field" }, h("label", { for: "st-q" }, "Search"), q),
    h("div", { class: "field" }, h("label", { for: "st-from" }, "From"), from),
    h("div", { class: "field" }, h("label", { for: "st-to" }, "To"), to),
    h("button", { type: "submit" }, "Filter"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    navigate(`/ui/stories${query({ q: q.value.trim(), from: from.value, to: to.value })}`);
  });
  const results = h("div", {}, notice("Loading the stories…"));
  main.append(h("h1", {}, "Stories"),
    h("p", { class: "hint" }, "One story is one happening, however many articles report it; ordered by when it happened."), form, results);
  let stories;
  try {
    stories = await collect(`/v1/stories${query({ q: params.get("q"), from: params.get("from"), to: params.get("to"), limit: 100 })}`, { max: 300, signal });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    results.replaceChildren(error.status === 404
      ? notice("Stories are not available: this server has no stories endpoint (GET /v1/stories).", "info")
      : notice(`Could not list the stories: ${error.message}`, "error"));
    return;
  }
  if (!stories.length) {
    results.replaceChildren(notice("No stories match."));
    return;
  }
  const articleIds = [...new Set(stories.flatMap((story) => story.reports.map((report) => report.article_id)))];
  const titles = new Map();
  // the titles of the reporting articles, from the list the articles page reads (one page of 100 is plenty for most)
  for (const article of await collect("/v1/articles?limit=100", { max: 1000, signal })) {
    if (articleIds.includes(article.id) && article.title) titles.set(article.id, article.title);
  }
  const key = (story) => story.time?.start || "9999";
  const dated = stories.filter((story) => story.time?.start).sort((a, b) => key(a).localeCompare(key(b)));
  const undated = stories.filter((story) => !story.time?.start).sort((a, b) => (a.first_report || "").localeCompare(b.first_report || ""));
  results.replaceChildren(
    h("p", { class: "hint", role: "status" }, `${stories.length} stories, ${dated.length} with a date.`),
    dated.length ? h("ol", { class: "timeline stories" }, dated.map((story) => storyCard(story, titles))) : null,
    undated.length ? [h("h2", {}, "Without a date"), h("ol", { class: "timeline stories undated" }, undated.map((story) => storyCard(story, titles)))] : null);
  // a link to one story (#story-…, from an article's timeline) opens the list there
  const target = location.hash.length > 1 && document.getElementById(location.hash.slice(1));
  if (target) {
    target.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  }
}
