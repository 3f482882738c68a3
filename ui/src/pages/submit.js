// /ui/submit: paste a text or upload a file, then follow the job until the extraction is done.
import { api } from "../api.js";
import { h, articlePath, notice } from "../dom.js";

const STEPS = { queued: "Queued: waiting for a worker…", running: "Running: the pipeline is reading the article…" };

function field(id, label, control, hint) {
  return h("div", { class: "field" }, h("label", { for: id }, label), control,
    hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null);
}

/** Long-poll the job monitor (`Prefer: wait`) until the job is done; report every status. */
async function follow(job, onStatus, signal) {
  let current = job;
  onStatus(current);
  while (current.status === "queued" || current.status === "running") {
    current = await api(current.links.self, { headers: { Prefer: "wait=20" }, signal });
    onStatus(current);
  }
  return current;
}

export async function render(main, _match, { title, signal }) {
  title("Submit an article");
  const heading = h("input", { id: "s-title", name: "title", type: "text", maxlength: 1000 });
  const published = h("input", { id: "s-published", name: "published_at", type: "date", "aria-describedby": "s-published-hint" });
  const text = h("textarea", { id: "s-text", name: "text", rows: 12, "aria-describedby": "s-text-hint" });
  const file = h("input", { id: "s-file", name: "file", type: "file", accept: ".txt,text/plain", "aria-describedby": "s-file-hint" });
  const button = h("button", { type: "submit" }, "Submit");
  const progress = h("div", { class: "progress", "aria-live": "polite" });
  const form = h("form", { class: "card", novalidate: true },
    field("s-title", "Title (optional)", heading),
    field("s-published", "Published on", published, "Anchors relative dates such as “am Dienstag”."),
    field("s-text", "Text", text, "Paste the article, or choose a file below."),
    field("s-file", "… or a text file", file, "UTF-8 plain text; used instead of the pasted text."),
    button, progress);
  main.append(h("h1", {}, "Submit an article"), form);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    progress.replaceChildren();
    const chosen = file.files && file.files[0];
    if (!chosen && !text.value.trim()) {
      progress.append(notice("Paste a text or choose a file.", "error"));
      text.focus();
      return;
    }
    button.disabled = true;
    const status = h("p", { role: "status" }, "Sending…");
    const bar = h("progress", { "aria-label": "Extraction progress" });
    progress.append(status, bar);
    try {
      let accepted;
      if (chosen) {
        const body = new FormData();
        body.append("file", chosen);
        if (heading.value.trim()) body.append("title", heading.value.trim());
        if (published.value) body.append("published_at", published.value);
        accepted = await api("/v1/articles", { method: "POST", body, signal });
      } else {
        const json = { text: text.value };
        if (heading.value.trim()) json.title = heading.value.trim();
        if (published.value) json.published_at = published.value;
        accepted = await api("/v1/articles", { method: "POST", json, signal });
      }
      const done = await follow(accepted.job, (job) => {
        status.textContent = STEPS[job.status] || `Job ${job.status}.`;
      }, signal);
      bar.remove();
      if (done.status === "succeeded") {
        status.textContent = `Done: version ${done.extraction_version} of the article is ready.`;
        progress.append(h("p", {}, h("a", { href: articlePath(accepted.id), class: "button", id: "open-article" }, "Read the article")));
      } else {
        status.replaceWith(notice(`The extraction failed: ${done.error?.detail || done.error?.title || "unknown error"}`, "error"));
      }
    } catch (error) {
      if (error.name === "AbortError") return;
      bar.remove();
      const fields = (error.problem?.errors || []).map((item) => `${item.field}: ${item.message}`).join("; ");
      status.replaceWith(notice(`Not accepted: ${error.message}${fields ? ` (${fields})` : ""}`, "error"));
    } finally {
      button.disabled = false;
    }
  });
}
