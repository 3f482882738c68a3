// The article text with its actors, quotes and events marked, displaCy-style.
//
// The API's offsets count Unicode code points (Python str indices); JavaScript strings count
// UTF-16 code units, so a character outside the BMP (an emoji, 𝔄) shifts every later offset
// by one. `utf16Offsets` maps one to the other before the text is cut.
import { h } from "./dom.js";

/** offsets[i] = the UTF-16 index of code point i (offsets[length] = text.length). */
export function utf16Offsets(text) {
  const offsets = [];
  let unit = 0;
  for (const character of text) {
    offsets.push(unit);
    unit += character.length;
  }
  offsets.push(unit);
  return offsets;
}

// quotes are outermost (they contain names and triggers), event triggers innermost
const NESTING = { quote: 0, actor: 1, event: 2 };

/** Every highlight of an extraction: {kind, id, start, end} in code points. */
export function spansOf(extraction) {
  const spans = [];
  for (const actor of extraction.actors) {
    for (const mention of actor.mentions) spans.push({ kind: "actor", id: actor.id, start: mention.start, end: mention.end });
  }
  for (const quote of extraction.quotes) spans.push({ kind: "quote", id: quote.id, start: quote.start, end: quote.end });
  for (const event of extraction.events) {
    const triggers = event.mentions && event.mentions.length ? event.mentions : [event.trigger];
    for (const mention of triggers) spans.push({ kind: "event", id: event.id, start: mention.start, end: mention.end });
  }
  return spans;
}

function outerFirst(a, b) {
  return NESTING[a.kind] - NESTING[b.kind] || a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * A fragment with `text` and a <mark data-kind data-id> per span. Overlapping spans nest
 * (quote ⊃ actor ⊃ event); a span that crosses another's boundary is split into several
 * marks, the first of which takes keyboard focus. data-start/data-end are the API's offsets.
 */
export function highlightedText(text, codePointSpans) {
  const offsets = utf16Offsets(text);
  const last = offsets.length - 1;
  const seen = new Set();
  const spans = codePointSpans
    .filter((span) => {
      const key = `${span.kind} ${span.id} ${span.start} ${span.end}`;
      return !seen.has(key) && seen.add(key);
    })
    .filter((span) => span.start >= 0 && span.end <= last && span.start < span.end)
    .map((span) => ({ ...span, from: span.start, to: span.end, start: offsets[span.start], end: offsets[span.end] }))
    .sort(outerFirst);
  const cuts = [...new Set([0, text.length, ...spans.flatMap((span) => [span.start, span.end])])].sort((a, b) => a - b);
  const root = document.createDocumentFragment();
  const open = []; // [{span, element}] from outermost to innermost
  const started = new Set();
  for (let index = 0; index + 1 < cuts.length; index += 1) {
    const from = cuts[index];
    const to = cuts[index + 1];
    const active = spans.filter((span) => span.start <= from && span.end >= to);
    let shared = 0;
    while (shared < open.length && shared < active.length && open[shared].span === active[shared]) shared += 1;
    open.length = shared;
    let parent = shared ? open[shared - 1].element : root;
    for (const span of active.slice(shared)) {
      const first = !started.has(span);
      started.add(span);
      const element = h("mark", { class: `hl hl-${span.kind}${first ? "" : " hl-continued"}`,
        dataset: { kind: span.kind, id: span.id, start: span.from, end: span.to }, tabindex: first ? "0" : null });
      parent.append(element);
      open.push({ span, element });
      parent = element;
    }
    parent.append(document.createTextNode(text.slice(from, to)));
  }
  return root;
}
