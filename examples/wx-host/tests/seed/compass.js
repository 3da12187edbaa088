// Verbatim from WeChat's "API" page (shared/seeds/api.md).
wx.onCompassChange((res) => {
  console.log(res.direction);
});
