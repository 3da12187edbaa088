// A tour of what the reference host offers, one API family at a time.
// Run: cargo run --release -p wx-host -- examples/demo.js

console.log('== base: canIUse answers from the registry');
console.log('getStorageSync', wx.canIUse('getStorageSync'));
console.log('setStorage.object.encrypt', wx.canIUse('setStorage.object.encrypt'));
console.log('getStorageInfo.success.limitSize', wx.canIUse('getStorageInfo.success.limitSize'));
console.log('request.object.method.PATCH (not a WeChat method)', wx.canIUse('request.object.method.PATCH'));

console.log('== system: one device profile behind every form');
const info = wx.getSystemInfoSync();
console.log('device:', info.brand, info.model, info.platform, '|', info.system, '|', info.language);
console.log('window:', info.windowWidth + 'x' + info.windowHeight, '@' + info.pixelRatio, 'safe area top', wx.getWindowInfo().safeArea.top);
console.log('base library', wx.getAppBaseInfo().SDKVersion, 'for', wx.getAppBaseInfo().host.appId);

console.log('== storage: sync and async, with WeChat\'s value rules');
wx.setStorageSync('visits', (wx.getStorageSync('visits') || 0) + 1);
console.log('visits so far:', wx.getStorageSync('visits'));
wx.setStorage({
  key: 'profile',
  data: { name: 'Mini', since: new Date(Date.UTC(2024, 0, 1)), tags: ['demo'] },
  success() {
    // Nested values are stored as JSON.stringify would: the Date comes back as its ISO string.
    const profile = wx.getStorageSync('profile');
    console.log('profile:', profile.name, typeof profile.since, profile.since);
  },
});
// A Date at the top level keeps its type.
wx.setStorageSync('since', new Date(Date.UTC(2024, 0, 1)));
console.log('top-level Date:', wx.getStorageSync('since') instanceof Date);
wx.getStorage({ key: 'no-such-key', fail: (res) => console.log('missing key:', res.errMsg) });
// As in WeChat, a key that is not a string reads nothing instead of throwing.
console.log('getStorageSync(1):', wx.getStorageSync(1));
wx.getStorageInfo().then((info) => console.log('storage info:', info));

console.log('== open: login');
wx.login({
  success: (res) => console.log('login code length:', res.code.length),
  complete: (res) => console.log('login complete:', res.errMsg),
});

console.log('== network: a RequestTask, and how a failure reads (no server needed)');
const task = wx.request({
  url: 'http://127.0.0.1:9/nothing-listens-here',
  timeout: 2000,
  fail: (res) => console.log('request failed:', res.errMsg),
});
console.log('task methods:', typeof task.abort, typeof task.onHeadersReceived);

console.log('== device: compass (stops after three readings)');
let readings = 0;
function onCompass(res) {
  console.log('compass direction:', res.direction, res.accuracy);
  if (++readings === 3) wx.offCompassChange(onCompass);
}
wx.onCompassChange(onCompass);

setTimeout(() => console.log('== a timer fired after 100 ms'), 100);
