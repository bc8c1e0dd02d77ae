// meldbot local web chat: files with a message (photos, screenshots, PDFs).
//
// The chat composer has a real <label> + <input type=file multiple>: Tab reaches it and
// Space or Enter opens the picker. Chosen files are listed, each with a button that takes
// it off again; they go with the message as multipart/form-data, and stay listed when
// sending fails, so nothing is lost. Names are put in with textContent, never as markup.

const chosen = new WeakMap(); // composer form -> the File objects chosen for it

function sizeText(bytes) {
  const mb = bytes / (1024 * 1024);
  const lang = document.documentElement.lang || "nl";
  if (mb >= 1) return `${mb.toLocaleString(lang, { maximumFractionDigits: 1 })} MB`;
  return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString(lang)} kB`;
}

function render(form, label) {
  const list = form.querySelector("[data-chosen]");
  const files = chosen.get(form) ?? [];
  list.replaceChildren(
    ...files.map((file, index) => {
      const item = document.createElement("li");
      const name = document.createElement("span");
      name.textContent = `${file.name} (${sizeText(file.size)})`;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn--quiet";
      remove.textContent = "×";
      remove.setAttribute("aria-label", label("file_remove", { name: file.name }));
      remove.dataset.removeFile = String(index);
      item.append(name, remove);
      return item;
    }),
  );
}

/** Wire every file input on the page; `label(key, values)` gives the page's wording. */
export function setUpFiles(label) {
  for (const input of document.querySelectorAll("[data-file-input]")) {
    const form = input.form;
    chosen.set(form, []);
    input.addEventListener("change", () => {
      chosen.get(form).push(...input.files);
      input.value = ""; // the same file can be chosen again after removing it
      render(form, label);
    });
    form.querySelector("[data-chosen]").addEventListener("click", (event) => {
      const button = event.target.closest("[data-remove-file]");
      if (!button) return;
      const files = chosen.get(form);
      const index = Number(button.dataset.removeFile);
      files.splice(index, 1);
      render(form, label);
      const buttons = form.querySelectorAll("[data-remove-file]");
      (buttons[Math.min(index, buttons.length - 1)] ?? input).focus();
    });
  }
}

export function filesOf(form) {
  return chosen.get(form) ?? [];
}

export function clearFiles(form, label) {
  if (!chosen.has(form)) return;
  chosen.set(form, []);
  render(form, label);
}

/** POSTs the message's fields and files as multipart/form-data; the answer as JSON. */
export async function postWithFiles(path, body, files, networkError, handlerError) {
  const data = new FormData();
  for (const [name, value] of Object.entries(body)) {
    if (value !== null && value !== undefined) data.append(name, String(value));
  }
  for (const file of files) data.append("files", file, file.name);
  let response;
  try {
    response = await fetch(path, { method: "POST", body: data });
  } catch {
    return { ok: false, error: networkError };
  }
  try {
    return await response.json();
  } catch {
    return { ok: false, error: handlerError };
  }
}
