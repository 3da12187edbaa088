// Loops the js_calls benchmark runs; each checks its own results so a broken
// call cannot make a fast benchmark.
function loopBare(n) {
  let r;
  for (let i = 0; i < n; i++) r = bareEcho('some-storage-key');
  if (r !== 'some-storage-key') throw new Error('bare');
}
function loopSync(n) {
  let r;
  for (let i = 0; i < n; i++) r = wx.benchEchoSync('some-storage-key');
  if (r !== 'some-storage-key') throw new Error('sync');
}
function loopBareNumber(n) {
  let r = 0;
  for (let i = 0; i < n; i++) r += bareNumber(1.5);
  if (r !== 1.5 * n) throw new Error('bare number');
}
function loopSyncNumber(n) {
  let r = 0;
  for (let i = 0; i < n; i++) r += wx.benchNumberSync(1.5);
  if (r !== 1.5 * n) throw new Error('sync number');
}
const OPTIONS = { key: 'some-storage-key', count: 3 };
function loopBareOptions(n) {
  let r;
  for (let i = 0; i < n; i++) r = bareOptions(OPTIONS);
  if (r !== 'some-storage-key') throw new Error('bare options');
}
function loopSyncOptions(n) {
  let r;
  for (let i = 0; i < n; i++) r = wx.benchOptionsSync(OPTIONS);
  if (r !== 'some-storage-key') throw new Error('sync options');
}
function loopCallbacks(n) {
  let done = 0;
  const success = () => { if (++done === n) globalThis.lastDone = done; };
  for (let i = 0; i < n; i++) wx.benchNoop({ success });
}
function loopPromises(n) {
  let done = 0;
  for (let i = 0; i < n; i++) wx.benchNoop().then(() => { if (++done === n) globalThis.lastDone = done; });
}
function loopBareCallbacks(n) {
  let done = 0;
  const success = () => { if (++done === n) globalThis.lastDone = done; };
  for (let i = 0; i < n; i++) bareAsync({ success });
}
function loopBarePromises(n) {
  let done = 0;
  for (let i = 0; i < n; i++) bareAsyncPromise().then(() => { if (++done === n) globalThis.lastDone = done; });
}
