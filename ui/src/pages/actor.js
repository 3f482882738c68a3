// /ui/actors/{id}: one actor across articles: names, roles, country, the articles it appears
// in, its quotes and its relations as a network (the last two from the cross-article endpoints,
// with a clear message when this server has no such endpoint).
import { api, mapLimited, query } from "../api.js";
import { h, actorPath, articlePath, formatDate, notice } from "../dom.js";
import { networkSvg, neighbours } from "../network.js";

const MAX_ARTICLES = 50;

function facts(actor) {
  const row = (label, value) => (value ? [h("dt", {}, label), h("dd", {}, value)] : []);
  return h("dl", { class: "facts" },
    row("Kind", actor.kind),
    row("Country", actor.country),
    row("Roles", (actor.roles || []).join("; ")),
    row("Also written", (actor.names || []).filter((name) => name !== actor.name).join(", ")),
    row("Seen in", `${actor.article_count} article${actor.article_count === 1 ? "" : "s"}, ${actor.quote_count} quotes, ${actor.event_count} events`));
}

async function articlesSection(actor, signal) {
  const section = h("section", { class: "panel", "aria-labelledby": "articles-heading" }, h("h2", { id: "articles-heading" }, "Articles"));
  const appearances = actor.appearances.slice(0, MAX_ARTICLES);
  const titles = await mapLimited(appearances, 4, (item) => api(`/v1/articles/${item.article_id}`, { signal }).catch(() => null));
  section.append(h("ul", { class: "plain" }, appearances.map((item, i) => h("li", {},
    h("a", { href: articlePath(item.article_id, item.version) }, titles[i]?.title || `Article ${item.article_id.slice(0, 8)}`),
    h("span", { class: "hint" }, ` · ${titles[i]?.published_at ? formatDate(titles[i].published_at) : "no date"} · as „${item.name}“, ${item.mention_count} mentions, ${item.quote_count} quotes, ${item.event_count} events`)))));
  if (actor.appearances.length > MAX_ARTICLES) section.append(h("p", { class: "hint" }, `The first ${MAX_ARTICLES} of ${actor.appearances.length}.`));
  return section;
}

/** The actor's quotes: GET /v1/quotes?actor=… when the server has it, else from the extractions. */
async function quotesOf(actor, signal) {
  try {
    const page = await api(`/v1/quotes${query({ actor: actor.id, limit: 100 })}`, { signal });
    return page.items.map((item) => ({ articleId: item.article_id, version: item.version, publishedAt: item.published_at,
      id: item.quote_id, kind: item.kind, text: item.text, cue: item.cue }));
  } catch (error) {
    if (error.status !== 404) throw error;
  }
  const withQuotes = actor.appearances.filter((item) => item.quotes?.length).slice(0, MAX_ARTICLES);
  const documents = await mapLimited(withQuotes, 4, (item) => api(item.links.extraction, { signal }));
  return withQuotes.flatMap((item, i) => documents[i].quotes.filter((quote) => item.quotes.includes(quote.id)).map((quote) => ({
    articleId: item.article_id, version: item.version, publishedAt: documents[i].published_at, id: quote.id,
    kind: quote.kind, text: quote.text, cue: quote.cue?.text })));
}

async function quotesSection(actor, signal) {
  const section = h("section", { class: "panel", "aria-labelledby": "actor-quotes-heading", id: "actor-quotes" },
    h("h2", { id: "actor-quotes-heading" }, "Quotes"));
  const quotes = await quotesOf(actor, signal);
  if (!quotes.length) section.append(h("p", { class: "hint" }, "No quotes of this actor."));
  else {
    section.append(h("ul", { class: "quotes" }, quotes.map((quote) => h("li", {},
      h("blockquote", { lang: "de" }, quote.text),
      h("p", { class: "hint" }, `${formatDate(quote.publishedAt) || "no date"} · ${quote.kind}${quote.cue ? ` · „${quote.cue}“` : ""} · `,
        h("a", { href: `${articlePath(quote.articleId, quote.version)}#quote-${quote.id}` }, "in the article"))))));
  }
  return section;
}

function relationsTable(relations) {
  return h("table", { class: "list" },
    h("caption", {}, "Relations, most frequent first"),
    h("thead", {}, h("tr", {}, ["Actor", "Through", "Direction", "Count", "Published"].map((label) => h("th", { scope: "col" }, label)))),
    h("tbody", {}, relations.map((relation) => h("tr", {},
      h("td", {}, h("a", { href: actorPath(relation.actor.id) }, relation.actor.name)),
      h("td", {}, relation.via === "quote" ? "quote" : relation.type),
      h("td", {}, relation.direction),
      h("td", {}, String(relation.count)),
      h("td", {}, [formatDate(relation.first_published_at), formatDate(relation.last_published_at)].filter(Boolean)
        .filter((value, i, all) => all.indexOf(value) === i).join(" – "))))));
}

async function networkSection(actor, signal) {
  const section = h("section", { class: "panel wide", "aria-labelledby": "network-heading", id: "network" },
    h("h2", { id: "network-heading" }, "Who deals with whom"));
  let answer;
  try {
    answer = await api(`/v1/actors/${encodeURIComponent(actor.id)}/relations?limit=60`, { signal });
  } catch (error) {
    if (error.status !== 404) throw error;
    section.append(notice("The network is not available: this server has no relations endpoint (GET /v1/actors/{id}/relations).", "info"));
    return section;
  }
  if (!answer.relations.length) {
    section.append(h("p", { class: "hint" }, "No relations to other actors yet."));
    return section;
  }
  section.append(
    h("p", { class: "hint" }, `${neighbours(answer.relations).length} actors linked through events (by PLOVER type) and quotes; arrows point from who acts or speaks to whom. Select an actor to open its page.`),
    h("div", { class: "network-wrap" }, networkSvg(answer.actor, answer.relations, document.getElementById("main").clientWidth - 60)),
    h("details", {}, h("summary", {}, "The relations as a table"), relationsTable(answer.relations)));
  if (answer.truncated) section.append(h("p", { class: "hint" }, "Only the most frequent relations are shown."));
  return section;
}

export async function render(main, [actorId], { title, signal }) {
  title("Actor");
  main.append(notice("Loading the actor…"));
  let actor;
  try {
    actor = await api(`/v1/actors/${encodeURIComponent(actorId)}`, { signal });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    main.replaceChildren(h("h1", {}, "Actor not found"), notice(error.status === 404 ? "There is no actor with this id (or it is not yours)." : error.message, "error"));
    return;
  }
  title(actor.name);
  const placeholder = (label) => h("section", { class: "panel" }, notice(`Loading ${label}…`));
  const slots = [placeholder("the network"), placeholder("the quotes"), placeholder("the articles")];
  main.replaceChildren(
    h("p", { class: "crumbs" }, h("a", { href: "/ui/actors" }, "Actors")),
    h("h1", {}, actor.name),
    facts(actor),
    slots[0],
    h("div", { class: "columns" }, slots[1], slots[2]));
  const builders = [networkSection, quotesSection, articlesSection];
  await Promise.all(builders.map(async (build, i) => {
    try {
      slots[i].replaceWith(await build(actor, signal));
    } catch (error) {
      if (error.name === "AbortError") throw error;
      slots[i].replaceChildren(notice(`Could not load this part: ${error.message}`, "error"));
    }
  }));
}
