// meldbot local web chat: three panes kept in sync with the server over Server-Sent Events.
// The team pane shows one team channel at a time: "team", which everyone is in, or a
// configured one that the persona joins (a newcomer gets meldbot's welcome in their chat).
//
// Safety: every message and form arrives as HTML rendered *and escaped* on the server
// (adapters/web/render.py). Anything this script adds itself (summaries, labels, errors,
// counts) goes in with textContent, never as markup.

import { Answers } from "./answers.js";
import { updateCounts, watchCounts } from "./counter.js";
import { clearFiles, filesOf, postWithFiles, setUpFiles } from "./files.js";

const data = JSON.parse(document.getElementById("client-data").textContent);
const labels = data.labels;

function t(key, values = {}) {
  return labels[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

/** Server-rendered, server-escaped HTML to nodes. */
function fromServer(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  return template.content;
}

const OPEN_CHANNEL = "team"; // the team channel everyone is in
const messages = new Map(); // id -> message JSON from the server
const channels = new Map(); // team channel -> Set of the personas who joined it
const homes = new Map(); // persona -> home HTML
const openThreads = new Set(); // root ids whose replies are shown
const freshThreads = new Set(); // root ids with replies not yet seen
const dismissed = new Set(); // private messages the person closed
const unread = new Map(); // persona -> new messages in their personal chat
const seen = new WeakMap(); // element -> the HTML it was built from
let homeFolded = false; // the home's explanation was folded for this persona's chat

const panes = {};
for (const section of document.querySelectorAll("[data-pane]")) {
  const name = section.dataset.pane;
  panes[name] = {
    name,
    section,
    title: section.querySelector("h2"),
    select: section.querySelector("[data-persona-for]"),
    list: section.querySelector("[data-list]"),
    scroll: section.querySelector("[data-scroll]"),
    home: section.querySelector("[data-home]"),
    notice: section.querySelector("[data-notice]"),
    channel: section.querySelector("[data-channel]"),
    membership: section.querySelector("[data-membership]"),
    composer: section.querySelector(":scope > [data-composer]"),
  };
}
for (const option of document.querySelectorAll("[data-persona-for] option")) {
  option.dataset.label = option.textContent;
}

// -- who is looking at which pane -----------------------------------------------------

function persona(pane) {
  return panes[pane].select.value;
}

function channelOf() {
  return panes.team.channel.value;
}

function channelLabel() {
  return panes.team.channel.selectedOptions[0]?.textContent ?? channelOf();
}

function isMember(channel, who) {
  return channel === OPEN_CHANNEL || (channels.get(channel)?.has(who) ?? false);
}

function conversationOf(pane) {
  if (pane === "chat") return `dm:${persona("chat")}`;
  return pane === "team" ? channelOf() : pane;
}

function paneOf(message) {
  if (message.conversation.startsWith("dm:")) return "chat";
  return message.conversation === "coordinators" ? "coordinators" : "team";
}

function shows(pane, message) {
  return (
    message.conversation === conversationOf(pane) &&
    (pane !== "team" || isMember(message.conversation, persona("team"))) &&
    (!message.visibleTo || message.visibleTo === persona(pane)) &&
    !dismissed.has(message.id)
  );
}

function bySeq(a, b) {
  return a.seq - b.seq;
}

// -- building the lists ---------------------------------------------------------------

/** Put `keys` into `list` in order, reusing children by data-key so focus is kept. */
function reconcile(list, keys, build, refresh) {
  const existing = new Map();
  for (const child of list.children) existing.set(child.dataset.key, child);
  let cursor = list.firstElementChild;
  for (const key of keys) {
    let node = existing.get(key);
    if (node) {
      existing.delete(key);
      refresh(node);
      if (node !== cursor) list.insertBefore(node, cursor);
      else cursor = cursor.nextElementSibling;
    } else {
      node = build(key);
      node.dataset.key = key;
      list.insertBefore(node, cursor);
    }
  }
  for (const stale of existing.values()) {
    rescueFocus(stale);
    stale.remove();
  }
}

/** If focus is inside `node`, which is about to go, move it somewhere sensible. */
function rescueFocus(node, replacement) {
  if (!node.contains(document.activeElement)) return;
  const target = replacement ?? node.closest("[data-pane]")?.querySelector("h2");
  requestAnimationFrame(() => target?.focus());
}

function articleFor(message) {
  const article = document.createElement("article");
  article.className = `msg msg--${message.author}`;
  if (message.visibleTo) article.classList.add("msg--private");
  article.dataset.messageId = message.id;
  article.tabIndex = -1;
  article.append(fromServer(message.html));
  if (message.visibleTo) {
    const close = document.createElement("button");
    close.type = "button";
    close.className = "btn btn--quiet msg__dismiss";
    close.dataset.dismiss = message.id;
    close.textContent = t("dismiss");
    article.append(close);
  }
  seen.set(article, message.html);
  return article;
}

/** Keep an item's article in step with its message. */
function refreshArticle(holder, message) {
  const current = holder.querySelector(":scope > article");
  if (current && seen.get(current) === message.html) return;
  const article = articleFor(message);
  if (current) {
    rescueFocus(current, article);
    current.replaceWith(article);
  } else {
    holder.prepend(article);
  }
}

function messageItem(message) {
  const item = document.createElement("li");
  item.className = "msg-item";
  item.append(articleFor(message));
  return item;
}

/** Replies shown in a pane, by the root they belong to (one pass over all messages). */
function repliesIn(pane) {
  const byRoot = new Map();
  for (const message of messages.values()) {
    if (!message.thread || !shows(pane, message)) continue;
    if (!byRoot.has(message.thread)) byRoot.set(message.thread, []);
    byRoot.get(message.thread).push(message);
  }
  for (const replies of byRoot.values()) replies.sort(bySeq);
  return byRoot;
}

function syncMessages(list, pane, items) {
  reconcile(
    list,
    items.map((m) => m.id),
    (id) => messageItem(messages.get(id)),
    (node) => refreshArticle(node, messages.get(node.dataset.key)),
  );
}

function replyCount(count) {
  if (count === 0) return t("no_replies");
  return count === 1 ? t("reply_one") : t("reply_many", { count });
}

function composerFor(rootId) {
  const form = document.createElement("form");
  form.className = "composer composer--reply";
  form.dataset.composer = "";
  form.dataset.thread = rootId;
  const id = `reply-${rootId}`;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = t("composer_reply");
  const text = document.createElement("textarea");
  text.id = id;
  text.name = "text";
  text.rows = 2;
  const error = document.createElement("p");
  error.className = "composer__error";
  error.id = `${id}-error`;
  error.setAttribute("role", "alert");
  const count = document.createElement("p");
  count.className = "count";
  count.id = `${id}-count`;
  Object.assign(count.dataset, {
    countFor: id,
    limit: data.limits.thread,
    near: labels.count_near, // templates: counter.js fills in the numbers
    over: labels.count_over,
  });
  text.setAttribute("aria-describedby", `${count.id} ${error.id}`);
  const send = document.createElement("button");
  send.type = "submit";
  send.className = "btn btn--primary";
  send.textContent = t("send");
  form.append(label, text, count, error, send);
  return form;
}

/** A root message with its private notes and (in the coordinator pane) its thread. */
function rootItem(pane, rootId, byRoot) {
  const item = document.createElement("li");
  item.className = pane === "coordinators" ? "case" : "msg-item";
  const privateNotes = document.createElement("ol");
  privateNotes.className = "private-notes";
  privateNotes.dataset.private = "";
  item.append(privateNotes);
  const replies = document.createElement("ol");
  replies.className = "replies";
  replies.dataset.replies = "";
  if (pane === "coordinators") {
    const thread = document.createElement("details");
    thread.className = "thread";
    thread.open = openThreads.has(rootId);
    const summary = document.createElement("summary");
    thread.append(summary, replies, composerFor(rootId));
    thread.addEventListener("toggle", () => {
      if (thread.open) {
        openThreads.add(rootId);
        freshThreads.delete(rootId);
        thread.classList.remove("thread--fresh");
      } else {
        openThreads.delete(rootId);
      }
    });
    item.append(thread);
  } else {
    item.append(replies);
  }
  refreshRoot(pane, item, rootId, byRoot);
  return item;
}

function refreshRoot(pane, item, rootId, byRoot) {
  refreshArticle(item, messages.get(rootId));
  const children = byRoot.get(rootId) ?? [];
  syncMessages(
    item.querySelector("[data-private]"),
    pane,
    children.filter((m) => m.visibleTo),
  );
  const replies = children.filter((m) => !m.visibleTo);
  syncMessages(item.querySelector("[data-replies]"), pane, replies);
  const thread = item.querySelector("details");
  if (thread) {
    thread.querySelector("summary").textContent = replyCount(replies.length);
    thread.classList.toggle("thread--fresh", freshThreads.has(rootId));
  }
}

function renderPane(pane) {
  const { list, scroll } = panes[pane];
  const nearBottom = scroll.scrollHeight - scroll.scrollTop - scroll.clientHeight < 80;
  const outside = pane === "team" && !isMember(channelOf(), persona("team"));
  const roots = [...messages.values()].filter((m) => !m.thread && shows(pane, m)).sort(bySeq);
  const keys = roots.map((m) => m.id);
  if (outside) keys.push(`outside:${channelOf()}`);
  else if (keys.length === 0) keys.push("empty");
  const placeholder = (key) => key === "empty" || key.startsWith("outside:");
  const byRoot = repliesIn(pane);
  reconcile(
    list,
    keys,
    (id) => (placeholder(id) ? emptyItem(pane, outside) : rootItem(pane, id, byRoot)),
    (node) => placeholder(node.dataset.key) || refreshRoot(pane, node, node.dataset.key, byRoot),
  );
  if (pane === "chat") {
    renderHome();
    foldHome();
  }
  if (pane === "team") renderMembership(outside);
  if (nearBottom) scroll.scrollTop = scroll.scrollHeight;
}

function emptyItem(pane, outside = false) {
  const item = document.createElement("li");
  item.className = "empty";
  item.textContent = outside ? t("not_member", { channel: channelLabel() }) : t(`empty_${pane}`);
  return item;
}

/** The join/leave button and the composer follow whether the persona is in the channel. */
function renderMembership(outside) {
  const { membership, composer } = panes.team;
  membership.hidden = channelOf() === OPEN_CHANNEL;
  membership.textContent = outside ? t("join") : t("leave");
  membership.classList.toggle("btn--primary", outside);
  composer.hidden = outside;
}

function renderHome() {
  const { home } = panes.chat;
  const html = homes.get(persona("chat")) ?? "";
  if (seen.get(home) === html) return;
  rescueFocus(home);
  home.replaceChildren(fromServer(html));
  home.hidden = html === "";
  seen.set(home, html);
  homeFolded = false;
  foldHome();
}

// The home's explanation is open for someone who has not talked with meldbot yet, and
// folds away (once) when their conversation starts; after that it is theirs to open.
function foldHome() {
  const more = panes.chat.home.querySelector("[data-home-more]");
  if (!more || homeFolded) return;
  const conversation = conversationOf("chat");
  const talking = [...messages.values()].some((m) => m.conversation === conversation);
  more.open = !talking;
  homeFolded = talking;
}

function renderAll() {
  for (const pane of Object.keys(panes)) renderPane(pane);
  renderUnread();
}

function renderUnread() {
  for (const option of panes.chat.select.options) {
    const count = unread.get(option.value) ?? 0;
    option.textContent = count
      ? `${option.dataset.label} — ${t("new_for", { count })}`
      : option.dataset.label;
  }
}

// -- changes from the server ----------------------------------------------------------

// Each announcement is a new line in the live region, so one that follows quickly does not
// cut off the one before; old lines go once they have been read.
const ANNOUNCED_MS = 15_000;

function announce(text) {
  if (!text) return;
  const line = document.createElement("p");
  line.textContent = text;
  document.getElementById("live").append(line);
  setTimeout(() => line.remove(), ANNOUNCED_MS);
}

const answers = new Answers(announce, () => dialog.open);
watchCounts(announce);

function upsert(message) {
  const before = messages.get(message.id);
  const isNew = !before;
  messages.set(message.id, message);
  const pane = paneOf(message);
  if (isNew && message.thread && !openThreads.has(message.thread) && !message.visibleTo) {
    freshThreads.add(message.thread);
  }
  if (isNew && pane === "chat" && message.conversation !== conversationOf("chat")) {
    const owner = message.conversation.slice(3);
    unread.set(owner, (unread.get(owner) ?? 0) + 1);
    renderUnread();
  }
  renderPane(pane);
  if (message.author !== "bot" || !shows(pane, message)) return;
  const changed = isNew || before.html !== message.html;
  if (changed && answers.takes(pane, message)) return; // said, and focused, as the answer
  if (isNew) {
    announce(t("live_new", { pane: panes[pane].title.textContent, summary: message.summary }));
  }
}

function setStatus(state) {
  const status = document.getElementById("status");
  status.dataset.state = state;
  status.textContent = t(state);
}

function connect() {
  const source = new EventSource("/web/api/stream");
  source.addEventListener("snapshot", (event) => {
    const snapshot = JSON.parse(event.data);
    messages.clear();
    for (const message of snapshot.messages) messages.set(message.id, message);
    homes.clear();
    for (const home of snapshot.homes) homes.set(home.persona, home.html);
    channels.clear();
    for (const channel of snapshot.channels) channels.set(channel.channel, new Set(channel.members));
    renderAll();
    setStatus("connected");
    document.body.dataset.ready = "true";
    arrive();
  });
  source.addEventListener("members", (event) => {
    const { channel, members } = JSON.parse(event.data);
    channels.set(channel, new Set(members));
    renderPane("team");
  });
  source.addEventListener("message", (event) => upsert(JSON.parse(event.data)));
  source.addEventListener("remove", (event) => {
    const { id } = JSON.parse(event.data);
    const message = messages.get(id);
    if (!message) return;
    messages.delete(id);
    renderPane(paneOf(message));
  });
  source.addEventListener("home", (event) => {
    const home = JSON.parse(event.data);
    homes.set(home.persona, home.html);
    renderHome();
  });
  source.addEventListener("close", () => {
    source.close();
    setStatus("disconnected");
    setTimeout(connect, 2000);
  });
  source.addEventListener("error", () => setStatus("disconnected"));
}

// -- talking to the server ------------------------------------------------------------

async function post(path, body) {
  let response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, error: t("error_network") };
  }
  try {
    return await response.json();
  } catch {
    return { ok: false, error: t("error_handler") };
  }
}

function notify(pane, text) {
  panes[pane].notice.textContent = text ?? "";
}

async function openHome() {
  const result = await post("/web/api/home", { persona: persona("chat") });
  if (!result.ok) notify("chat", result.error);
}

// -- team channels --------------------------------------------------------------------

async function membership(channel, joining) {
  const who = persona("team");
  const button = panes.team.membership;
  button.disabled = true;
  notify("team", "");
  const result = await post(joining ? "/web/api/join" : "/web/api/leave", {
    persona: who,
    channel,
  });
  button.disabled = false;
  if (!result.ok) {
    notify("team", result.error);
    return;
  }
  // The live stream says so too; updating now keeps the button under the pointer steady.
  if (!channels.has(channel)) channels.set(channel, new Set());
  if (joining) channels.get(channel).add(who);
  else channels.get(channel).delete(who);
  renderPane("team");
  announce(t(joining ? "joined" : "left", { channel: channelLabel() }));
}

// Arriving with ?team=<channel> shows that channel and joins it, once per page load.
const arriving = new URLSearchParams(location.search).get("team");
let arrived = false;

function arrive() {
  if (arrived || !arriving) return;
  arrived = true;
  const select = panes.team.channel;
  if (![...select.options].some((o) => o.value === arriving)) {
    notify("team", t("error_channel"));
    return;
  }
  select.value = arriving;
  sessionStorage.setItem("meldbot.channel", arriving);
  renderPane("team");
  if (!isMember(arriving, persona("team"))) membership(arriving, true);
}

panes.team.membership.addEventListener("click", () => {
  const channel = channelOf();
  membership(channel, !isMember(channel, persona("team")));
});

// -- the form dialog ------------------------------------------------------------------

const dialog = document.getElementById("form-dialog");
let formOpener = null;
let formPane = null;

function showForm(form, pane, opener) {
  dialog.replaceChildren(fromServer(form.html));
  const title = dialog.querySelector("h2");
  if (title) dialog.setAttribute("aria-labelledby", title.id);
  if (pane) formPane = pane;
  if (opener) formOpener = opener;
  if (!dialog.open) dialog.showModal();
  updateCounts(dialog, announce);
  const target =
    dialog.querySelector('[aria-invalid="true"]') ??
    dialog.querySelector("input:not([type=hidden]), textarea, select");
  (target ?? dialog.querySelector("button"))?.focus();
}

// Closed: back to where the form was opened, then on to meldbot's answer when there is one.
dialog.addEventListener("close", () => {
  dialog.replaceChildren();
  const back = formOpener?.isConnected ? formOpener : panes[formPane]?.title;
  formOpener = null;
  back?.focus();
  answers.land();
});

dialog.addEventListener("click", (event) => {
  if (event.target.closest("[data-close]")) dialog.close();
});

dialog.addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const submit = form.querySelector('button[type="submit"]');
  const values = {};
  for (const [name, value] of new FormData(form)) values[name] = String(value);
  submit.disabled = true;
  answers.expect(formPane, formOpener?.isConnected ? formOpener : panes[formPane]?.title);
  const result = await post("/web/api/form", { token: form.dataset.token, values });
  submit.disabled = false;
  answers.replied(result.ok && !result.form);
  if (result.form) {
    showForm(result.form);
  } else if (result.ok) {
    dialog.close();
  } else {
    const error = form.querySelector(".form__error");
    error.textContent = result.error ?? t("error_handler");
    submit.focus();
  }
});

// -- what people do -------------------------------------------------------------------

document.addEventListener("click", async (event) => {
  const dismiss = event.target.closest("[data-dismiss]");
  if (dismiss) {
    dismissed.add(dismiss.dataset.dismiss);
    renderPane(dismiss.closest("[data-pane]").dataset.pane);
    return;
  }
  const button = event.target.closest("button[data-action-id]");
  if (!button || dialog.contains(button)) return;
  const pane = button.closest("[data-pane]").dataset.pane;
  const holder = button.closest("[data-message-id]");
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  notify(pane, "");
  answers.expect(pane, button);
  const result = await post("/web/api/action", {
    pane,
    persona: persona(pane),
    message: holder ? holder.dataset.messageId : null,
    action: button.dataset.actionId,
    value: button.dataset.value ?? "",
  });
  button.disabled = false;
  button.removeAttribute("aria-busy");
  answers.replied(result.ok && !result.form); // a form that opens is the answer itself
  if (!result.ok) notify(pane, result.error);
  if (result.form) showForm(result.form, pane, button);
});

document.addEventListener("submit", async (event) => {
  const form = event.target.closest("[data-composer]");
  if (!form) return;
  event.preventDefault();
  const pane = form.closest("[data-pane]").dataset.pane;
  const text = form.querySelector("textarea");
  const error = form.querySelector(".composer__error");
  const send = form.querySelector('button[type="submit"]');
  const files = filesOf(form);
  if (!text.value.trim() && files.length === 0) {
    error.textContent = t("error_text_empty");
    text.focus();
    return;
  }
  error.textContent = "";
  send.disabled = true;
  send.textContent = t("sending");
  answers.expect(pane, text);
  const body = {
    pane,
    persona: persona(pane),
    text: text.value,
    thread: form.dataset.thread ?? null,
    channel: pane === "team" ? channelOf() : null,
  };
  const result = files.length
    ? await postWithFiles("/web/api/message", body, files, t("error_network"), t("error_handler"))
    : await post("/web/api/message", body);
  send.disabled = false;
  send.textContent = t("send");
  answers.replied(result.ok && !result.form);
  if (result.ok) {
    text.value = "";
    updateCounts(form, announce);
    clearFiles(form, t);
  } else {
    error.textContent = result.error ?? t("error_handler");
    text.focus();
  }
  if (result.form) showForm(result.form, pane, text);
});

document.addEventListener("keydown", (event) => {
  const text = event.target.closest?.("[data-composer] textarea");
  if (!text || event.key !== "Enter" || event.isComposing) return;
  if (event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
  event.preventDefault();
  text.form.requestSubmit();
});

for (const pane of Object.values(panes)) {
  const key = `meldbot.persona.${pane.name}`;
  const remembered = sessionStorage.getItem(key);
  if (remembered && [...pane.select.options].some((o) => o.value === remembered)) {
    pane.select.value = remembered;
  }
  pane.select.addEventListener("change", () => {
    sessionStorage.setItem(key, pane.select.value);
    notify(pane.name, "");
    if (pane.name === "chat") {
      homeFolded = false;
      seen.delete(pane.home);
      unread.delete(pane.select.value);
      renderUnread();
      openHome();
    }
    renderPane(pane.name);
  });
}

{
  const select = panes.team.channel;
  select.closest(".channel-bar").hidden = select.options.length < 2; // only "team": no choice
  const remembered = sessionStorage.getItem("meldbot.channel");
  if (remembered && [...select.options].some((o) => o.value === remembered)) {
    select.value = remembered;
  }
  select.addEventListener("change", () => {
    sessionStorage.setItem("meldbot.channel", select.value);
    notify("team", "");
    renderPane("team");
  });
}

setUpFiles(t);
setStatus("connecting");
connect();
openHome();
