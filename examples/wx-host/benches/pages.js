// The baseline of `cargo bench --bench pages`: a page stack in plain JS making
// the same lifecycle calls the host's route family makes, with none of its
// rules, checks or Rust.
(function (global) {
  const stack = [];
  const definitions = {};
  global.PlainPage = (route, options) => { definitions[route] = options; };
  function open(route, query) {
    const page = Object.assign({ route, options: query, data: JSON.parse(JSON.stringify(definitions[route].data || {})) }, definitions[route]);
    stack.push(page);
    page.onLoad && page.onLoad(query);
    page.onShow && page.onShow();
    page.onReady && page.onReady();
  }
  global.plainLaunch = (app, route) => {
    stack.length = 0;
    app.onLaunch && app.onLaunch({ path: route, query: {}, scene: 1001 });
    app.onShow && app.onShow({ path: route, query: {}, scene: 1001 });
    open(route, {});
  };
  global.plainNavigateTo = (route, query) => {
    const top = stack[stack.length - 1];
    top.onHide && top.onHide();
    open(route, query);
    return Promise.resolve({ errMsg: 'navigateTo:ok' });
  };
  global.plainNavigateBack = () => {
    const page = stack.pop();
    page.onUnload && page.onUnload();
    const top = stack[stack.length - 1];
    top.onShow && top.onShow();
    return Promise.resolve({ errMsg: 'navigateBack:ok' });
  };
})(globalThis);

async function plainRoundTrips(n) {
  for (let i = 0; i < n; i++) {
    await plainNavigateTo('pages/detail/detail', { id: '2' });
    await plainNavigateBack();
  }
}

async function wxRoundTrips(n) {
  for (let i = 0; i < n; i++) {
    await wx.navigateTo({ url: '/pages/detail/detail?id=2' });
    await wx.navigateBack();
  }
}
