// /ui/actors: find an actor by any spelling of its name, kind or country.
import { api, query } from "../api.js";
import { h, actorPath, notice } from "../dom.js";

const KINDS = ["", "person", "organization", "state", "location", "group", "other"];

export async function render(main, _match, { params, navigate, title, signal }) {
  title("Actors");
  const q = h("input", { id: "a-q", name: "q", type: "search", value: params.get("q") || "" });
  const kind = h("select", { id: "a-kind", name: "kind" }, KINDS.map((value) => h("option", { value, selected: value === (params.get("kind") || "") }, value || "any")));
  const form = h("form", { class: "filters", role: "search", "aria-label": "Find actors" },
    h("div", { class: "field" }, h("label", { for: "a-q" }, "Name"), q),
    h("div", { class: "field" }, h("label", { for: "a-kind" }, "Kind"), kind),
    h("button", { type: "submit" }, "Search"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    navigate(`/ui/actors${query({ q: q.value.trim(), kind: kind.value })}`);
  });
  const results = h("div", {});
  main.append(h("h1", {}, "Actors"), form, results);
  try {
    const page = await api(`/v1/actors${query({ q: params.get("q"), kind: params.get("kind"), limit: 100 })}`, { signal });
    if (!page.items.length) results.append(notice("No actors match."));
    results.append(h("ul", { class: "plain actors" }, page.items.map((actor) => h("li", {},
      h("a", { href: actorPath(actor.id) }, actor.name),
      h("span", { class: "hint" }, ` · ${actor.kind}${actor.country ? ` · ${actor.country}` : ""}${actor.roles?.length ? ` · ${actor.roles[0]}` : ""}`)))));
    if (page.next) results.append(h("p", { class: "hint" }, "The 100 newest; narrow the search to see others."));
  } catch (error) {
    if (error.name === "AbortError") throw error;
    results.append(notice(`Could not list the actors: ${error.message}`, "error"));
  }
}
