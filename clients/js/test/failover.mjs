// Failover check of the JavaScript client against real fronts, driven by ClientLibraryTests:
// FRONTS lists two socket URLs, TOKEN_WRITER/TOKEN_READER are JWTs. The writer (on the first
// front, then the second) sends COUNT messages; the test kills the first front after it prints
// "killable". Every send must be acknowledged, and both clients must see seq 1..COUNT+1 once, in order.
import { MessagingClient } from '../messaging-client.js';

const [first, second] = process.env.FRONTS.split(',');
const count = Number(process.env.COUNT ?? 40);
const room = process.env.ROOM ?? 'js-failover';
const options = { minDelay: 100, maxDelay: 2000, requestTimeout: 30000 };

function collect(client) {
  const seen = [];
  client.addEventListener('message', (e) => seen.push(e.detail.seq));
  return seen;
}

async function waitFor(predicate, ms) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const writer = new MessagingClient({ endpoints: [first, second], token: () => process.env.TOKEN_WRITER, ...options });
const reader = new MessagingClient({ endpoints: [second], token: () => process.env.TOKEN_READER, ...options });
await writer.connect();
await reader.connect();
await writer.join(room);
await reader.join(room);
const writerSeen = collect(writer);
const readerSeen = collect(reader);
const endpoints = new Set();
writer.addEventListener('state', (e) => { if (e.detail.state === 'connected') endpoints.add(e.detail.endpoint); });

// The rest of the sends wait until the writer has seen its front die, so some of them are
// always sent across the failover however fast the first ones are acknowledged.
const lost = new Promise((resolve) => {
  writer.addEventListener('state', (e) => { if (e.detail.state === 'reconnecting') resolve(); });
});
const sends = [];
for (let i = 0; i < count; i += 1) {
  sends.push(writer.send(room, `m${i}`, `c${i}`));
  if (i === Math.floor(count / 3)) {
    console.log('killable');
    await Promise.race([lost, new Promise((_, reject) => setTimeout(() => reject(new Error('the first front was never lost')), 30000))]);
  }
  await new Promise((r) => setTimeout(r, 25));
}

const acks = await Promise.all(sends);
await writer.send(room, 'end', 'end');
await waitFor(() => writerSeen.length >= count + 1 && readerSeen.length >= count + 1, 60000);

const expected = Array.from({ length: count + 1 }, (_, i) => i + 1).join(',');
const history = [];
let before;
for (;;) {
  const page = await reader.history(room, before === undefined ? { limit: 100 } : { before, limit: 100 });
  history.unshift(...page);
  if (page.length < 100) break;
  before = page[0].seq;
}

const result = {
  acked: new Set(acks.map((a) => a.seq)).size,
  writer: writerSeen.join(',') === expected,
  reader: readerSeen.join(',') === expected,
  stored: history.length,
  distinctCids: new Set(history.map((m) => m.cid)).size,
  movedTo: [...endpoints].includes(second),
};
console.log(JSON.stringify(result));
writer.close();
reader.close();
const ok = result.acked === count && result.writer && result.reader && result.stored === count + 1 && result.distinctCids === count + 1 && result.movedTo;
process.exit(ok ? 0 : 1);
