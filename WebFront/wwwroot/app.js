// The demo app: pick a name, join rooms, chat with scroll-back, presence and typing, DMs, unread
// badges, and a visible reconnect. Everything from the server is put on the page as text
// (textContent), never as HTML.
import { MessagingClient } from './client/messaging-client.js';

const $ = (id) => document.getElementById(id);
const state = {
  client: null,
  user: null,
  current: null,
  /** room → {messages: Map(seq → message), unread, online: Set, typing: Map(user → timer), label} */
  rooms: new Map(),
};
window.demo = state;

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('login-error').textContent = '';
  const name = $('name').value.trim();
  const pasted = $('token').value.trim();
  try {
    const token = pasted ? () => pasted : () => devToken(name);
    await token();
    await start(token);
  } catch (error) {
    $('login-error').textContent = `Could not connect: ${error.message}`;
  }
});

async function devToken(name) {
  const response = await fetch('/dev/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: name }),
  });
  if (!response.ok) throw new Error(response.status === 404 ? 'this server issues no dev tokens; paste a token' : `token refused (${response.status})`);
  return (await response.json()).token;
}

async function start(token) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const client = new MessagingClient({ endpoints: [`${scheme}//${location.host}/ws`], token });
  state.client = client;
  state.token = token;
  client.addEventListener('state', (e) => {
    showStatus(e.detail);
    // Presence changes while offline were missed: ask again once back.
    if (e.detail.state === 'connected' && state.current) refreshPresence(state.current);
  });
  client.addEventListener('message', (e) => onMessage(e.detail));
  client.addEventListener('presence', (e) => onPresence(e.detail));
  client.addEventListener('signal', (e) => onSignal(e.detail));
  client.addEventListener('removed', (e) => onRemoved(e.detail));
  await client.connect();
  state.user = client.user;
  $('login').hidden = true;
  $('app').hidden = false;
  await loadUnread();
  await openRoom('lobby');
}

function showStatus({ state: connection, reason }) {
  const status = $('status');
  status.className = connection;
  status.textContent = connection === 'connected'
    ? `Connected as ${state.client.user}`
    : connection === 'reconnecting' ? `Reconnecting… (${reason ?? 'connection lost'})` : 'Disconnected';
}

/** Rooms the user belongs to or has read, with their unread counts, from the HTTP API. */
async function loadUnread() {
  try {
    const response = await fetch('/api/me/unread', { headers: { Authorization: `Bearer ${await state.token()}` } });
    if (!response.ok) return;
    for (const { room, unread } of (await response.json()).rooms) {
      entry(room).unread = unread;
    }

    renderRooms();
  } catch {
    // Badges are a convenience; the chat works without them.
  }
}

function entry(room) {
  let value = state.rooms.get(room);
  if (!value) {
    value = { messages: new Map(), unread: 0, online: new Set(), typing: new Map(), joined: false, label: labelFor(room) };
    state.rooms.set(room, value);
  }

  return value;
}

function labelFor(room) {
  if (!room.startsWith('dm:')) return `#${room}`;
  const [, a, b] = room.split(':');
  return `@${a === state.user ? b : a}`;
}

async function openRoom(room) {
  const value = entry(room);
  state.current = room;
  $('chat-error').textContent = '';
  try {
    if (!value.joined) {
      await state.client.join(room);
      value.joined = true;
      const page = await state.client.history(room, { limit: 50 });
      for (const message of page) value.messages.set(message.seq, message);
      const presence = await state.client.presence(room);
      value.online = new Set(presence.users);
    }
  } catch (error) {
    $('chat-error').textContent = `${room}: ${error.message}`;
  }

  markRead(room);
  renderRooms();
  renderChat();
}

function markRead(room) {
  const value = entry(room);
  value.unread = 0;
  const last = Math.max(0, ...value.messages.keys());
  if (last > 0) state.client.markRead(room, last);
}

function onMessage(message) {
  const value = entry(message.room);
  if (value.messages.has(message.seq)) return;
  value.messages.set(message.seq, message);
  value.typing.delete(message.from);
  if (message.room === state.current && document.visibilityState !== 'hidden') {
    markRead(message.room);
    appendMessage(message);
    renderTyping();
  } else if (message.from !== state.user) {
    value.unread += 1;
  }

  renderRooms();
}

async function refreshPresence(room) {
  try {
    const presence = await state.client.presence(room);
    entry(room).online = new Set(presence.users);
    if (room === state.current) renderPresence();
  } catch {
    // The next diff or rejoin corrects it.
  }
}

function onPresence({ room, join, leave }) {
  const value = entry(room);
  for (const user of join) value.online.add(user);
  for (const user of leave) value.online.delete(user);
  if (room === state.current) renderPresence();
}

function onSignal({ room, from, body }) {
  if (!body || body.typing !== true) return;
  const value = entry(room);
  clearTimeout(value.typing.get(from));
  value.typing.set(from, setTimeout(() => {
    value.typing.delete(from);
    renderTyping();
  }, 3000));
  if (room === state.current) renderTyping();
}

function onRemoved({ room, reason }) {
  const value = entry(room);
  value.joined = false;
  if (room === state.current) $('chat-error').textContent = `You left ${room}: ${reason}.`;
}

function renderRooms() {
  const list = $('rooms');
  list.replaceChildren();
  for (const [room, value] of state.rooms) {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.room = room;
    button.textContent = value.label;
    if (room === state.current) button.setAttribute('aria-current', 'true');
    if (value.unread > 0) {
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.dataset.testid = 'unread';
      badge.textContent = String(value.unread);
      badge.setAttribute('aria-label', `${value.unread} unread`);
      button.append(badge);
    }

    button.addEventListener('click', () => openRoom(room));
    item.append(button);
    list.append(item);
  }
}

function renderChat() {
  const value = entry(state.current);
  $('room-title').textContent = value.label;
  const list = $('messages');
  list.replaceChildren();
  for (const seq of [...value.messages.keys()].sort((a, b) => a - b)) list.append(messageItem(value.messages.get(seq)));
  list.scrollTop = list.scrollHeight;
  const oldest = Math.min(...value.messages.keys());
  $('older').hidden = !(oldest > 1);
  $('text').disabled = !value.joined;
  $('send-form').querySelector('button').disabled = !value.joined;
  renderPresence();
  renderTyping();
}

function appendMessage(message) {
  const list = $('messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const items = [...list.children];
  const after = items.findLast((li) => Number(li.dataset.seq) < message.seq);
  const item = messageItem(message);
  if (after) after.after(item); else list.prepend(item);
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function messageItem(message) {
  const item = document.createElement('li');
  item.dataset.seq = String(message.seq);
  const from = document.createElement('span');
  from.className = 'from';
  from.textContent = message.from;
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = typeof message.body === 'string' ? message.body : (message.body?.text ?? JSON.stringify(message.body));
  const seq = document.createElement('span');
  seq.className = 'seq';
  seq.textContent = `#${message.seq}`;
  item.append(from, text, seq);
  return item;
}

function renderPresence() {
  const list = $('presence');
  list.replaceChildren();
  for (const user of [...entry(state.current).online].sort()) {
    const item = document.createElement('li');
    item.textContent = user;
    list.append(item);
  }
}

function renderTyping() {
  const typing = [...entry(state.current).typing.keys()].filter((user) => user !== state.user);
  $('typing').textContent = typing.length === 0 ? '' : `${typing.join(', ')} ${typing.length === 1 ? 'is' : 'are'} typing…`;
}

$('older').addEventListener('click', async () => {
  const value = entry(state.current);
  const oldest = Math.min(...value.messages.keys());
  const page = await state.client.history(state.current, { before: oldest, limit: 50 });
  for (const message of page) value.messages.set(message.seq, message);
  renderChat();
  $('messages').scrollTop = 0;
});

$('messages').addEventListener('scroll', () => {
  if ($('messages').scrollTop === 0 && !$('older').hidden) $('older').click();
});

$('join-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const room = $('room-name').value.trim();
  $('room-name').value = '';
  if (room) openRoom(room);
});

$('dm-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const user = $('dm-user').value.trim();
  $('dm-user').value = '';
  if (!user || user === state.user) return;
  const room = `dm:${[state.user, user].sort().join(':')}`;
  entry(room);
  openRoom(room);
});

let lastTyping = 0;
$('text').addEventListener('input', () => {
  const now = Date.now();
  if (state.current && now - lastTyping > 1000 && !state.current.startsWith('dm:')) {
    lastTyping = now;
    state.client.signal(state.current, { typing: true });
  }
});

$('send-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('text').value;
  if (!text.trim() || !state.current) return;
  $('text').value = '';
  const room = state.current;
  try {
    if (room.startsWith('dm:')) {
      const [, a, b] = room.split(':');
      await state.client.dm(a === state.user ? b : a, { text });
    } else {
      await state.client.send(room, { text });
    }
  } catch (error) {
    $('chat-error').textContent = `Not sent: ${error.message}`;
  }
});

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && state.current) {
    markRead(state.current);
    renderRooms();
  }
});
