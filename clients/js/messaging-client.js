// The JavaScript client of the messaging platform's wire protocol (PROTOCOL.md), for browsers and
// Node.js. It reconnects with jittered backoff (to the next endpoint), rejoins every room with
// `since`, resends unacknowledged sends with their `cid` (the server stores each once), drops
// duplicates, fills a gap from history, and renews its token before it expires, so a listener
// sees each room's messages once and in seq order.

/**
 * @typedef {object} ClientOptions
 * @property {string[]} endpoints Socket URLs (`ws://host/ws`), tried in turn.
 * @property {() => Promise<string> | string} token Returns a current JWT; called before every connection.
 * @property {typeof WebSocket} [WebSocket] A WebSocket class (defaults to the global one).
 * @property {number} [requestTimeout] Milliseconds a command waits for its answer (15000).
 * @property {number} [pingInterval] Milliseconds between pings (20000).
 * @property {number} [minDelay] First reconnect wait in ms (200); doubles per attempt.
 * @property {number} [maxDelay] Longest reconnect wait in ms (10000).
 * @property {number} [refreshMargin] Renew the connection this many ms before the token expires (60000).
 */

/**
 * @typedef {object} Message
 * @property {string} room
 * @property {number} seq
 * @property {string} from
 * @property {unknown} body
 * @property {number} ts
 * @property {string} [cid]
 */

/** The server refused a command; `code` is the protocol's error code. */
export class MessagingError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.name = 'MessagingError';
    this.code = code;
  }
}

/**
 * Events (each a CustomEvent whose `detail` is shown):
 * - `message`: {@link Message}, once per seq, in order per room;
 * - `signal`: `{room, from, body}`;
 * - `presence`: `{room, join, leave}`;
 * - `removed`: `{room, reason}` (kicked, banned, removed, deleted);
 * - `state`: `{state: 'connected' | 'reconnecting' | 'closed', endpoint, reason}`.
 */
export class MessagingClient extends EventTarget {
  /** @param {ClientOptions} options */
  constructor(options) {
    super();
    if (!options?.endpoints?.length || !options.token) {
      throw new TypeError('Give at least one endpoint and a token provider.');
    }

    this.options = {
      requestTimeout: 15000, pingInterval: 20000, minDelay: 200, maxDelay: 10000, refreshMargin: 60000, ...options,
    };
    this.WebSocket = options.WebSocket ?? globalThis.WebSocket;
    /** @type {'connecting' | 'connected' | 'reconnecting' | 'closed'} */
    this.state = 'connecting';
    this.user = null;
    this.connectionId = null;
    /** @type {WebSocket | null} */
    this.socket = null;
    this.nextId = 0;
    this.endpointIndex = 0;
    this.attempt = 0;
    this.stopped = false;
    /** @type {Map<number, {resolve: Function, reject: Function, send?: object}>} */
    this.pending = new Map();
    /** Room → {lastSeq, filling, held}. */
    this.rooms = new Map();
    /** Unacknowledged sends, in the order made: {cid, frame, resolve, reject}. */
    this.unacked = [];
    this.connectedWaiters = [];
    this.timers = new Set();
  }

  /** Connects (retrying) and resolves once welcomed; the client then stays connected until {@link close}. */
  connect() {
    this.#open();
    return this.#whenConnected();
  }

  /** Joins a room; its messages arrive as `message` events, and it is rejoined after every reconnect. */
  async join(room) {
    const isNew = !this.rooms.has(room);
    const cursor = this.#cursor(room);
    try {
      const answer = await this.#request(cursor.lastSeq >= 0 ? { type: 'join', room, since: cursor.lastSeq } : { type: 'join', room });
      return { room, seq: answer.seq, online: answer.online };
    } catch (error) {
      if (isNew && error.code !== 'unavailable') this.rooms.delete(room);
      throw error;
    }
  }

  async leave(room) {
    this.rooms.delete(room);
    await this.#request({ type: 'leave', room });
  }

  /**
   * Sends a message and resolves when it is stored (`{room, seq, cid}`). Across reconnects it is sent
   * again with the same cid until acknowledged, and stored once.
   */
  send(room, body, cid = newCid()) {
    return this.#sendReliably({ type: 'send', room, body, cid });
  }

  /** A direct message to `user`, with the same guarantees as {@link send}. */
  dm(user, body, cid = newCid()) {
    return this.#sendReliably({ type: 'dm', to: user, body, cid });
  }

  /** An ephemeral signal (typing, positions) to a joined room: not answered, dropped while disconnected. */
  signal(room, body) {
    this.#write({ type: 'signal', room, body });
  }

  /** Up to `limit` messages before `before` (exclusive; omitted: the latest), ascending. */
  async history(room, { before, limit = 50 } = {}) {
    const command = { type: 'history', room, limit };
    if (before !== undefined && before !== null) command.before = before;
    const answer = await this.#request(command);
    return answer.messages.map((m) => ({ room, ...m }));
  }

  async presence(room) {
    const answer = await this.#request({ type: 'presence', room });
    return { room, online: answer.online, users: answer.users };
  }

  /** Records that this user has read `room` up to `seq` (not answered). */
  markRead(room, seq) {
    this.#write({ type: 'read', room, seq });
  }

  /** `action`: kick, ban, unban, mute or unmute. */
  moderate(room, action, user, reason) {
    return this.#request(reason === undefined ? { type: 'moderate', room, action, user } : { type: 'moderate', room, action, user, reason });
  }

  ping() {
    return this.#request({ type: 'ping' });
  }

  /** Closes the connection for good; unacknowledged sends fail. */
  close() {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.socket?.close(1000, 'bye');
    this.#failPending(new MessagingError('closed', 'The client was closed.'));
    for (const send of this.unacked.splice(0)) send.reject(new MessagingError('closed', 'The client was closed.'));
    this.#setState('closed', null, 'closed');
  }

  /** Drops the current connection as a network failure would (for tests and demos); the client reconnects. */
  dropConnection() {
    this.socket?.close(4000, 'dropped by the client');
  }

  async #open() {
    if (this.stopped) return;
    const endpoint = this.options.endpoints[this.endpointIndex % this.options.endpoints.length];
    let token;
    try {
      token = await this.options.token();
    } catch (error) {
      this.#scheduleReconnect(endpoint, `token: ${error.message}`, false);
      return;
    }

    const url = new URL(endpoint);
    url.searchParams.set('access_token', token);
    let socket;
    try {
      socket = new this.WebSocket(url.toString());
    } catch (error) {
      this.#scheduleReconnect(endpoint, error.message, false);
      return;
    }

    this.socket = socket;
    let welcomed = false;
    let renewing = false;
    const timers = [];
    socket.onmessage = (event) => {
      let frame;
      try {
        frame = JSON.parse(typeof event.data === 'string' ? event.data : new TextDecoder().decode(event.data));
      } catch {
        return;
      }

      if (frame.type === 'welcome') {
        welcomed = true;
        this.attempt = 0;
        this.user = frame.user;
        this.connectionId = frame.conn;
        this.#setState('connected', endpoint, null);
        timers.push(this.#every(this.options.pingInterval, () => this.ping().catch(() => {})));
        const refresh = refreshDelay(token, this.options.refreshMargin);
        if (refresh !== null) {
          timers.push(this.#after(refresh, () => {
            renewing = true;
            socket.close(1000, 'token refresh');
          }));
        }

        for (const waiter of this.connectedWaiters.splice(0)) waiter.resolve();
        this.#resume();
        return;
      }

      this.#dispatch(frame);
    };
    socket.onclose = (event) => {
      for (const timer of timers) this.#clear(timer);
      if (this.socket === socket) this.socket = null;
      this.#failPending(new MessagingError('unavailable', 'The connection was lost.'));
      if (this.stopped) return;
      // A refreshed or expired token, or a draining front: connect again at once.
      const immediate = welcomed && (renewing || event.code === 4001 || event.code === 1001);
      this.#scheduleReconnect(endpoint, `closed ${event.code} ${event.reason ?? ''}`.trim(), immediate);
    };
    socket.onerror = () => {};
  }

  #scheduleReconnect(endpoint, reason, immediate) {
    this.#setState('reconnecting', endpoint, reason);
    if (immediate) {
      this.#after(0, () => this.#open());
      return;
    }

    // The next attempt goes to the next endpoint, after a jittered, growing wait.
    this.endpointIndex += 1;
    const ceiling = Math.min(this.options.maxDelay, this.options.minDelay * 2 ** Math.min(this.attempt, 20));
    this.attempt += 1;
    this.#after(ceiling * (0.5 + Math.random() / 2), () => this.#open());
  }

  /** After a (re)connection: every room is joined again from its last seq, then unacknowledged sends go out again in order. */
  #resume() {
    for (const [room, cursor] of this.rooms) {
      const since = cursor.lastSeq;
      this.#request(since >= 0 ? { type: 'join', room, since } : { type: 'join', room })
        .then((answer) => (answer.recovered === false ? this.#fillGap(room, cursor, since, answer.seq) : undefined))
        .catch((error) => {
          if (error.code === 'not_found' || error.code === 'forbidden') {
            this.rooms.delete(room);
            this.#emit('removed', { room, reason: error.code });
          }
        });
    }

    for (const send of [...this.unacked]) this.#transmit(send);
  }

  /** More than 1000 missed: page them from history, holding live messages of the room until done. */
  async #fillGap(room, cursor, after, until) {
    cursor.filling = true;
    const missed = [];
    try {
      let before = until + 1;
      while (before > after + 1) {
        const page = await this.history(room, { before, limit: 100 });
        if (page.length === 0) break;
        missed.unshift(...page.filter((m) => m.seq > after));
        before = page[0].seq;
      }
    } finally {
      cursor.filling = false;
      const held = cursor.held.splice(0);
      for (const message of [...missed, ...held]) this.#deliver(cursor, message);
    }
  }

  #dispatch(frame) {
    if (typeof frame.id === 'number' && this.pending.has(frame.id)) {
      const request = this.pending.get(frame.id);
      this.pending.delete(frame.id);
      if (frame.type === 'joined') {
        const cursor = this.rooms.get(frame.room);
        // Live messages follow `joined` on the same path; a fresh join starts after its seq.
        if (cursor && cursor.lastSeq < 0) cursor.lastSeq = frame.seq;
      }

      if (frame.type === 'error') request.reject(new MessagingError(frame.code, frame.message));
      else request.resolve(frame);
      return;
    }

    switch (frame.type) {
      case 'message': {
        const { type, ...message } = frame;
        this.#deliver(this.#cursor(frame.room), message);
        break;
      }
      case 'signal':
        this.#emit('signal', { room: frame.room, from: frame.from, body: frame.body });
        break;
      case 'presence':
        this.#emit('presence', { room: frame.room, join: frame.join ?? [], leave: frame.leave ?? [] });
        break;
      case 'left':
        this.rooms.delete(frame.room);
        this.#emit('removed', { room: frame.room, reason: frame.reason });
        break;
      default:
        break;
    }
  }

  /** Delivers a message once, in seq order: repeats from a rejoin that overlaps what was seen are dropped. */
  #deliver(cursor, message) {
    if (cursor.filling) {
      cursor.held.push(message);
      return;
    }

    if (cursor.lastSeq >= 0 && message.seq <= cursor.lastSeq) return;
    cursor.lastSeq = message.seq;
    this.#emit('message', message);
  }

  #cursor(room) {
    let cursor = this.rooms.get(room);
    if (!cursor) {
      cursor = { lastSeq: -1, filling: false, held: [] };
      this.rooms.set(room, cursor);
    }

    return cursor;
  }

  #sendReliably(command) {
    return new Promise((resolve, reject) => {
      const send = { command, resolve, reject };
      send.resolve = (ack) => { this.#forget(send); resolve({ room: ack.room, seq: ack.seq, cid: command.cid }); };
      send.reject = (error) => { this.#forget(send); reject(error); };
      this.unacked.push(send);
      // Sent now when connected; otherwise the next connection sends it with the rest.
      if (this.state === 'connected') this.#transmit(send);
    });
  }

  #transmit(send) {
    const id = ++this.nextId;
    this.pending.set(id, {
      resolve: (ack) => send.resolve(ack),
      reject: (error) => { if (error.code !== 'unavailable') send.reject(error); },
    });
    if (!this.#write({ ...send.command, id })) this.pending.delete(id);
  }

  #forget(send) {
    const index = this.unacked.indexOf(send);
    if (index >= 0) this.unacked.splice(index, 1);
  }

  async #request(command) {
    await this.#whenConnected(this.options.requestTimeout);
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      const timer = this.#after(this.options.requestTimeout, () => {
        this.pending.delete(id);
        reject(new MessagingError('timeout', `No answer within ${this.options.requestTimeout} ms.`));
      });
      this.pending.set(id, {
        resolve: (frame) => { this.#clear(timer); resolve(frame); },
        reject: (error) => { this.#clear(timer); reject(error); },
      });
      if (!this.#write({ ...command, id })) {
        this.pending.delete(id);
        this.#clear(timer);
        reject(new MessagingError('unavailable', 'Not connected.'));
      }
    });
  }

  #write(frame) {
    const socket = this.socket;
    if (!socket || socket.readyState !== 1 || this.state !== 'connected') return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  #whenConnected(timeout) {
    if (this.state === 'connected') return Promise.resolve();
    if (this.stopped) return Promise.reject(new MessagingError('closed', 'The client was closed.'));
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject };
      this.connectedWaiters.push(waiter);
      if (timeout) {
        this.#after(timeout, () => {
          const index = this.connectedWaiters.indexOf(waiter);
          if (index >= 0) {
            this.connectedWaiters.splice(index, 1);
            reject(new MessagingError('timeout', 'Not connected in time.'));
          }
        });
      }
    });
  }

  #failPending(error) {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const request of pending) request.reject(error);
  }

  #setState(state, endpoint, reason) {
    if (this.state === 'closed') return;
    this.state = state;
    this.#emit('state', { state, endpoint, reason });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  #after(ms, action) {
    const timer = setTimeout(() => { this.timers.delete(timer); action(); }, ms);
    this.timers.add(timer);
    return timer;
  }

  #every(ms, action) {
    const timer = setInterval(action, ms);
    this.timers.add(timer);
    return timer;
  }

  #clear(timer) {
    clearTimeout(timer);
    clearInterval(timer);
    this.timers.delete(timer);
  }
}

function newCid() {
  return globalThis.crypto?.randomUUID ? globalThis.crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** Milliseconds until the connection should be renewed: `margin` before the token's `exp`, or null when it has none. */
function refreshDelay(token, margin) {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    if (typeof payload.exp !== 'number') return null;
    return Math.max(1000, payload.exp * 1000 - Date.now() - margin);
  } catch {
    return null;
  }
}
