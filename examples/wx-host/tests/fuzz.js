// A seeded fuzzer through the reference host: every wx API and every method of
// every object they return, called with hostile arguments. Each async call gets
// counting callbacks; at the end every one must have settled exactly once
// (one success or fail, one complete), and the process must still be here.
// `SEED`, `CALLS` and `SYNC` (the sync APIs' names) are defined by whoever runs
// it (examples/wx-host/tests/fuzz.rs).

let state = SEED >>> 0 || 1;
const random = () => {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state / 4294967296;
};
const pick = (list) => list[Math.floor(random() * list.length)];

function hostile(depth = 0) {
  const shapes = [
    () => undefined, () => null, () => true, () => 0, () => -0, () => NaN, () => Infinity,
    () => -1, () => 1e300, () => 2 ** 53 + 1, () => '', () => 'x'.repeat(100000),
    () => '\uD800', () => 'a\u0000b', () => 'http://127.0.0.1:9/', () => 'wxfile://usr/../x',
    () => 'GET', () => Symbol('s'), () => 10n,
    () => Object.freeze(() => {}),
    () => { const a = []; a.length = 2 ** 31 - 1; return a; },
    () => new Uint8Array(1024), () => new ArrayBuffer(16), () => new Date(NaN),
    () => ({ get url() { throw new Error('getter') } }),
    () => new Proxy({}, { get() { return 'proxied' }, ownKeys() { return ['key'] },
                          getOwnPropertyDescriptor() { return { value: 'proxied', enumerable: true, configurable: true } } }),
    () => { const o = {}; o.self = o; return o; },
    () => ({ '$wx::Date': 5, keep: 1 }),
  ];
  if (depth < 2) {
    shapes.push(() => [hostile(depth + 1), hostile(depth + 1)]);
    shapes.push(() => ({ url: hostile(depth + 1), key: hostile(depth + 1), data: hostile(depth + 1),
                         timeout: hostile(depth + 1), method: hostile(depth + 1) }));
  }
  return pick(shapes)();
}

const calls = [];
function counted(name) {
  const c = { name, success: 0, fail: 0, complete: 0 };
  return [c, {
    success: () => { c.success++ },
    fail: () => { c.fail++ },
    complete: () => { c.complete++ },
  }];
}

const names = Object.keys(wx).filter(n => typeof wx[n] === 'function');
const methods = ['abort', 'send', 'close', 'onHeadersReceived', 'offHeadersReceived', 'onProgressUpdate',
                 'onOpen', 'onMessage', 'onClose', 'onError', 'onChunkReceived'];
let thrown = 0;
for (let i = 0; i < CALLS; i++) {
  const name = pick(names);
  if (name.startsWith('on') || name.startsWith('off')) {
    // A listener, removed at once: nothing is left running.
    try { wx[name](hostile()) } catch (e) { thrown++ }
    try { wx['off' + name.replace(/^o(n|ff)/, '')]?.() } catch (e) { thrown++ }
    continue;
  }
  // Counting callbacks; a call that returns data (a sync API) does not use them.
  const [count, callbacks] = counted(name);
  const options = random() < 0.3 ? hostile()
    : Object.assign({ key: hostile(), url: hostile(), data: hostile(), timeout: hostile() }, callbacks);
  let returned, threw = false;
  try { returned = wx[name](options, hostile()) } catch (e) { thrown++; threw = true }
  const isTask = returned && typeof returned === 'object' && Object.values(returned).some(v => typeof v === 'function');
  const isPromise = returned && typeof returned.then === 'function';
  // Async APIs never throw: a throw (or data returned) marks a sync API.
  const async = !threw && !SYNC.has(name) && (returned === undefined || isTask || isPromise);
  if (async && options && options.complete === callbacks.complete) calls.push(count);
  if (returned && typeof returned.then === 'function') returned.then(() => {}, () => {});
  if (returned && typeof returned === 'object') {
    for (const m of methods) {
      if (typeof returned[m] === 'function' && random() < 0.5) {
        try { returned[m](hostile()) } catch (e) { thrown++ }
      }
    }
  }
}

setTimeout(() => {
  const bad = calls.filter(c => c.success + c.fail !== 1 || c.complete !== 1);
  console.log(`fuzz.js: seed ${SEED}, ${CALLS} calls, ${calls.length} async calls checked, ${thrown} thrown, ${bad.length} not settled exactly once`);
  for (const c of bad.slice(0, 10)) console.log('  ', JSON.stringify(c));
}, 3000);
