// Verbatim from WeChat's "API" page (shared/seeds/api.md).
wx.login({
  success: (res) => {
    console.log(res.code);
  },
});
