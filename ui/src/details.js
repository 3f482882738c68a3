// What a highlight means, in words: the tooltip of the article page and its side panels.
import { h, formatDate } from "./dom.js";

const KIND_LABEL = { person: "person", organization: "organisation", state: "state", location: "place", group: "group", other: "other" };

export function describeTime(time) {
  if (!time) return null;
  const value = time.value ? formatDate(time.value) : null;
  return value && value !== time.text ? `${time.text} (${value})` : time.text || value;
}

function row(label, ...value) {
  const parts = value.flat().filter((part) => part !== null && part !== undefined && part !== "");
  return parts.length ? [h("dt", {}, label), h("dd", {}, ...parts)] : [];
}

/** Lookups over one extraction: actors by local id. */
export function indexOf(extraction) {
  return {
    actors: new Map(extraction.actors.map((actor) => [actor.id, actor])),
    quotes: new Map(extraction.quotes.map((quote) => [quote.id, quote])),
    events: new Map(extraction.events.map((event) => [event.id, event])),
  };
}

export function actorName(index, localId) {
  return index.actors.get(localId)?.name || localId;
}

export function participants(index, event) {
  const names = (ids) => (ids || []).map((id) => actorName(index, id)).join(", ");
  const source = names(event.source);
  const target = names(event.target);
  if (source && target) return `${source} → ${target}`;
  return source || (target ? `→ ${target}` : "");
}

export function actorDetails(actor) {
  return h("div", {},
    h("p", { class: "tip-title" }, h("span", { class: "tip-kind tip-actor" }, "Actor"), " ", actor.name),
    h("dl", {},
      row("Kind", KIND_LABEL[actor.kind] || actor.kind),
      row("Role", (actor.roles || []).join("; ")),
      row("Country", actor.country),
      row("Mentions", String(actor.mentions.length))),
    actor.global_id ? h("p", { class: "tip-hint" }, "Enter or click: open the actor's page") : null);
}

export function quoteDetails(quote, index) {
  const speaker = quote.speaker
    ? (quote.speaker.actor ? `${actorName(index, quote.speaker.actor)} (“${quote.speaker.text}”)` : quote.speaker.text)
    : "unknown";
  return h("div", {},
    h("p", { class: "tip-title" }, h("span", { class: "tip-kind tip-quote" }, "Quote"), " ", quote.kind),
    h("dl", {},
      row("Speaker", speaker),
      row("Cue", quote.cue?.text),
      row("Addressee", quote.addressee ? actorName(index, quote.addressee) : null)));
}

export function eventDetails(event, index) {
  return h("div", {},
    h("p", { class: "tip-title" }, h("span", { class: "tip-kind tip-event" }, "Event"), " ", event.type,
      event.mode ? ` (${event.mode})` : ""),
    h("dl", {},
      row("Participants", participants(index, event)),
      row("Place", event.location ? (event.location.actor ? actorName(index, event.location.actor) : event.location.text) : null),
      row("Time", describeTime(event.time)),
      row("Modality", event.modality),
      row("Trigger", event.trigger?.text)));
}

export function detailsFor(mark, index) {
  const { kind, id } = mark.dataset;
  if (kind === "actor" && index.actors.has(id)) return actorDetails(index.actors.get(id));
  if (kind === "quote" && index.quotes.has(id)) return quoteDetails(index.quotes.get(id), index);
  if (kind === "event" && index.events.has(id)) return eventDetails(index.events.get(id), index);
  return null;
}
