// The relations of one actor drawn as a network: the actor in the middle, the actors it deals
// with around it, an edge per neighbour labelled with the event types (or "quote") between them.
// Plain SVG laid out here (no library): nodes are links to the neighbours' pages.
import { svg, actorPath } from "./dom.js";

const MAX_WIDTH = 960;
const MIN_WIDTH = 340;
const NODE_RADIUS = 9;
const CENTER_RADIUS = 18;

/** The relations grouped by neighbour: [{actor, labels, outgoing, incoming, count}]. */
export function neighbours(relations) {
  const byActor = new Map();
  for (const relation of relations) {
    const key = relation.actor.id;
    if (!byActor.has(key)) byActor.set(key, { actor: relation.actor, labels: new Map(), outgoing: false, incoming: false, count: 0 });
    const entry = byActor.get(key);
    const label = relation.via === "quote" ? "quote" : relation.type;
    entry.labels.set(label, (entry.labels.get(label) || 0) + relation.count);
    entry.count += relation.count;
    // `joint`: both acted together (sources of one event), drawn without an arrow
    if (relation.direction === "outgoing") entry.outgoing = true;
    if (relation.direction === "incoming") entry.incoming = true;
  }
  return [...byActor.values()].sort((a, b) => b.count - a.count || a.actor.name.localeCompare(b.actor.name));
}

function edgeLabel(entry) {
  return [...entry.labels.entries()].map(([label, count]) => (count > 1 ? `${label} ×${count}` : label)).join(", ");
}

/** Positions on one or two ellipses around the centre, the most frequent partners first;
 * as wide as the space they get (names need about 75 px on either side of a node). */
function layout(count, width) {
  const reach = width / 2 - 75;
  const inner = Math.min(count, 12);
  const rings = count > inner ? [[inner, 105], [count - inner, 185]] : [[count, 120]];
  const positions = [];
  rings.forEach(([size, radius], ring) => {
    for (let i = 0; i < size; i += 1) {
      const angle = -Math.PI / 2 + (2 * Math.PI * i) / size + (ring ? Math.PI / size : 0);
      const across = rings.length > 1 && ring === 0 ? reach * 0.6 : reach;
      positions.push({ x: Math.cos(angle) * across, y: Math.sin(angle) * radius });
    }
  });
  return { positions, height: 2 * rings[rings.length - 1][1] + 100 };
}

export function networkSvg(center, relations, available = MAX_WIDTH) {
  const entries = neighbours(relations);
  const width = Math.round(Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, available)));
  const { positions, height } = layout(entries.length, width);
  const cx = width / 2;
  const cy = height / 2;
  // one arrow head whose tip sits on the line's end; at the start it is turned round
  const arrow = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "10", refY: "5",
    markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" }, svg("path", { d: "M0,0 L10,5 L0,10 z", class: "arrow" }));
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "network", role: "group",
    "aria-label": `Network of ${center.name}: ${entries.length} related actors` },
  svg("defs", {}, arrow));
  const edges = svg("g", { class: "edges" });
  const nodes = svg("g", { class: "nodes" });
  entries.forEach((entry, i) => {
    const x = cx + positions[i].x;
    const y = cy + positions[i].y;
    const radius = NODE_RADIUS + Math.min(8, entry.count);
    // the line runs between the circles' rims, so that arrow heads are not hidden under them
    const length = Math.hypot(x - cx, y - cy) || 1;
    const ux = (x - cx) / length;
    const uy = (y - cy) / length;
    edges.append(svg("line", { x1: cx + ux * (CENTER_RADIUS + 3), y1: cy + uy * (CENTER_RADIUS + 3),
      x2: x - ux * (radius + 3), y2: y - uy * (radius + 3), class: "edge",
      "marker-end": entry.outgoing ? "url(#arrow)" : null, "marker-start": entry.incoming ? "url(#arrow)" : null }));
    edges.append(svg("text", { x: (cx + x) / 2, y: (cy + y) / 2 - 4, class: "edge-label", "text-anchor": "middle" }, edgeLabel(entry)));
    const below = y >= cy;
    nodes.append(svg("a", { href: actorPath(entry.actor.id), class: "node", "aria-label": `${entry.actor.name}: ${edgeLabel(entry)}` },
      svg("title", {}, `${entry.actor.name} (${edgeLabel(entry)})`),
      svg("circle", { cx: x, cy: y, r: radius }),
      svg("text", { x, y: below ? y + 28 : y - 20, "text-anchor": "middle", class: "node-label" }, entry.actor.name)));
  });
  nodes.append(svg("g", { class: "node center" },
    svg("circle", { cx, cy, r: CENTER_RADIUS }),
    svg("text", { x: cx, y: cy + 38, "text-anchor": "middle", class: "node-label" }, center.name)));
  root.append(edges, nodes);
  return root;
}
