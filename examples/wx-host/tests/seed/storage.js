// Verbatim from WeChat's "API" page (shared/seeds/api.md).
try {
  wx.setStorageSync("key", "value");
} catch (e) {
  console.error(e);
}
