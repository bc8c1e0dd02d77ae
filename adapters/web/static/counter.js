// Character counts near a field's limit, for the composers and the form fields.
//
// Nothing here has a maxlength: a browser cuts a pasted text at it without a word. Instead
// each field has a count (<p class="count" data-count-for="<field id>" data-limit …>) that
// its aria-describedby names: empty while the text is short, "2.450 van de 3.000 tekens"
// near the limit, and a clear "too many, nothing has been cut" above it, said once through
// the live region when the text goes over. The server refuses what is too long, and the
// text stays in the field.

const NEAR = 0.8; // the count shows from 80% of the limit

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
}

/** Bring the count of `field` up to date; `announce` says it once when it goes over. */
export function updateCount(field, announce) {
  const count = field.id ? document.getElementById(`${field.id}-count`) : null;
  if (!count || count.dataset.countFor !== field.id) return;
  const limit = Number(count.dataset.limit);
  const length = [...field.value].length; // code points, as the server counts
  const over = length > limit;
  const format = new Intl.NumberFormat(field.closest("[lang]")?.lang || undefined);
  const values = {
    length: format.format(length),
    limit: format.format(limit),
    over: format.format(length - limit),
  };
  const near = length >= limit * NEAR;
  count.textContent = over ? fill(count.dataset.over, values) : near ? fill(count.dataset.near, values) : "";
  count.classList.toggle("count--over", over);
  if (over && count.dataset.said !== "over") announce(count.textContent);
  count.dataset.said = over ? "over" : "";
}

/** Update every count inside `root` (after a form or a composer was filled by the page). */
export function updateCounts(root, announce) {
  for (const count of root.querySelectorAll("[data-count-for]")) {
    const field = document.getElementById(count.dataset.countFor);
    if (field) updateCount(field, announce);
  }
}

export function watchCounts(announce) {
  document.addEventListener("input", (event) => {
    if (event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLInputElement) {
      updateCount(event.target, announce);
    }
  });
}
