// /ui/login: the key stays in this browser tab's session storage and nowhere else.
import { api, credentials } from "../api.js";
import { h, notice } from "../dom.js";

export async function render(main, _match, { params, navigate, title }) {
  title("Log in");
  const input = h("input", { id: "api_key", name: "api_key", type: "password", autocomplete: "off", required: true,
    spellcheck: "false", "aria-describedby": "api_key_help" });
  const message = h("div", { id: "login-message", "aria-live": "polite" });
  const button = h("button", { type: "submit" }, "Log in");
  const form = h("form", { class: "card narrow", novalidate: true },
    h("div", { class: "field" },
      h("label", { for: "api_key" }, "API key"),
      input,
      h("p", { id: "api_key_help", class: "hint" },
        "The key `make start` printed, or one from `lagebild keys create`. It is kept in this tab only ",
        "and sent as ", h("code", {}, "Authorization: Bearer"), " on every API call.")),
    button, message);
  if (params.get("refused")) message.append(notice("The service refused your key; log in again.", "error"));
  main.append(h("h1", {}, "Log in to Lagebild"), form);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.replaceChildren();
    const key = input.value.trim();
    if (!key) {
      message.append(notice("Enter an API key.", "error"));
      input.focus();
      return;
    }
    button.disabled = true;
    try {
      await api("/v1/articles?limit=1", { key });
      credentials.set(key);
      const next = params.get("next");
      navigate(next && next.startsWith("/ui/") && !next.startsWith("/ui/login") ? next : "/ui/", { replace: true });
    } catch (error) {
      const text = error.status === 401 ? "Wrong API key: the service does not know this key (or it was revoked)."
        : `Could not log in: ${error.message}`;
      message.append(notice(text, "error"));
      input.setAttribute("aria-invalid", "true");
      input.focus();
    } finally {
      button.disabled = false;
    }
  });
}
