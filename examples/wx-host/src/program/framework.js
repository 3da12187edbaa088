// The mini-program framework of the logic layer, as WeChat's base library gives
// it: `require` and the module cache, `App`/`getApp`, `Page`/`Component` pages,
// `getCurrentPages`, `setData`, EventChannel, and the lifecycle calls the page
// stack (wx-apis' route family, in Rust) asks for. Route rules are not here:
// Rust decides which page is loaded, shown, hidden or unloaded; this file only
// runs what it is told. Native entry points are passed in as `native`.
(function (global, native) {
  'use strict';

  // ---- errors -------------------------------------------------------------

  function knownError(message) {
    const error = new Error('APP-SERVICE-Engine:' + message);
    error.type = 'AppServiceEngineKnownError';
    return error;
  }

  // A lifecycle hook or handler that throws is reported (wx.onError, App.onError,
  // the console) and the run goes on, as the base library's try/catch does.
  function guard(fn, self, args) {
    try {
      return fn.apply(self, args);
    } catch (error) {
      native.report(error);
      return undefined;
    }
  }

  // ---- modules ------------------------------------------------------------

  const modules = Object.create(null); // package path -> module
  const loading = []; // the stack of package paths being evaluated

  function dirname(path) {
    const at = path.lastIndexOf('/');
    return at < 0 ? '' : path.slice(0, at);
  }

  function record(path) {
    return modules[path] || (modules[path] = { id: path, filename: path, exports: {}, loaded: false });
  }

  function load(path) {
    const cached = modules[path];
    // A cycle gets the exports so far, as in Node. An ES module reached by
    // `import` first has a record but no exports until it is read here.
    if (cached && (cached.loaded || !cached.esm)) return cached.exports;
    const module = record(path);
    loading.push(path);
    try {
      if (path.endsWith('.json')) {
        try {
          module.exports = JSON.parse(native.source(path));
        } catch (error) {
          throw new SyntaxError(path + ': ' + error.message);
        }
      } else if (native.isModule(path)) {
        const before = module.exports = module.esm ? module.exports : {};
        module.esm = true;
        const namespace = native.evalModule(path);
        // A file that mixes `import` with `module.exports =` (WeChat DevTools
        // compiles both to CommonJS) gives what it assigned; else its namespace.
        const assigned = module.exports !== before || Object.keys(before).length > 0;
        if (!assigned) module.exports = namespace;
      } else {
        const wrapper = native.compile(path);
        wrapper.call(module.exports, module.exports, requireFrom(path), module, path, dirname(path));
      }
      module.loaded = true;
    } catch (error) {
      delete modules[path]; // a failed module is tried again by the next require
      throw error;
    } finally {
      loading.pop();
    }
    return module.exports;
  }

  // What an ES module's `require`, `module` and `exports` are: its own.
  function moduleScope(path) {
    const module = record(path);
    module.esm = true;
    return { require: requireFrom(path), module, exports: module.exports };
  }

  function requireFrom(from) {
    function require(request) {
      if (typeof request !== 'string') throw new TypeError('require args must be a string, got ' + typeof request);
      const path = native.resolve(from, request);
      if (path == null) {
        throw new Error('module "' + request.replace(/^\//, '') + '" is not defined, require args is \'' + request + '\' (from ' + from + ')');
      }
      return load(path);
    }
    require.resolve = request => native.resolve(from, request);
    return require;
  }

  // ---- App ----------------------------------------------------------------

  let app; // the instance, once App() ran
  let defaultApp = {}; // getApp({ allowDefault: true }) before App()
  let launchOptions = { path: '', query: {}, scene: 1001, referrerInfo: {} };
  const appHandlers = { onError: 'onError', onUnhandledRejection: 'onUnhandledRejection', onPageNotFound: 'onPageNotFound', onThemeChange: 'onThemeChange' };

  function copy(value) {
    return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  }

  function App(options) {
    if (options === null || typeof options !== 'object') {
      throw knownError('Options is not object: ' + JSON.stringify(options) + ' in app.js');
    }
    Object.assign(options, defaultApp);
    defaultApp = {};
    const instance = {};
    for (const key of Object.keys(options)) {
      const value = options[key];
      if (key === 'getCurrentPage') {
        console.warn("App's getCurrentPage is write-protected");
        continue;
      }
      instance[key] = typeof value === 'function' ? function () { return guard(value, instance, arguments); } : value;
    }
    app = instance;
    // Registered before onLaunch runs, as the base library does.
    for (const key of Object.keys(appHandlers)) {
      if (typeof options[key] === 'function' && typeof wx[appHandlers[key]] === 'function') {
        wx[appHandlers[key]](instance[key]);
      }
    }
    if (typeof options.onLaunch === 'function') instance.onLaunch(copy(launchOptions));
    if (typeof options.onShow === 'function') instance.onShow(copy(launchOptions));
    fire('onAppShow', copy(launchOptions));
  }

  function getApp(options) {
    if (app) return app;
    return options && options.allowDefault ? defaultApp : undefined;
  }

  function fire(event, payload) {
    for (const listener of native.listeners(event)) guard(listener, undefined, [payload]);
  }

  // ---- pages --------------------------------------------------------------

  const definitions = Object.create(null); // route -> { kind, options }
  const instances = new Map(); // page id -> instance
  let pendingChannel = null; // navigateTo's target end, for the next page created
  const pageRoutes = new Set();

  function registering(constructorName) {
    const file = loading[loading.length - 1];
    const route = file && file.endsWith('.js') ? file.slice(0, -3) : null;
    if (!route || !pageRoutes.has(route)) {
      if (constructorName === 'Component') return null; // a plain component: nothing to run headlessly
      throw knownError('Please do not call Page constructor in files that not listed in "pages" section of app.json or plugin.json');
    }
    if (definitions[route]) throw knownError('Please do not register multiple Pages in ' + route + '.js');
    return route;
  }

  function Page(options) {
    const route = registering('Page');
    if (options === null || typeof options !== 'object') {
      throw knownError('Options is not object: ' + JSON.stringify(options) + ' in ' + route + '.js');
    }
    definitions[route] = { kind: 'page', options };
  }

  function Component(options) {
    const route = registering('Component');
    if (route === null) return;
    if (options === null || typeof options !== 'object') {
      throw knownError('Options is not object: ' + JSON.stringify(options) + ' in ' + route + '.js');
    }
    definitions[route] = { kind: 'component', options };
  }

  function Behavior(options) {
    return options;
  }

  function deepCopy(value) {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map(deepCopy);
    if (value instanceof Date) return new Date(value.getTime());
    const out = {};
    for (const key of Object.keys(value)) out[key] = deepCopy(value[key]);
    return out;
  }

  // 'a.b[2].c' -> ['a', 'b', 2, 'c'] (WeChat's data path syntax).
  function parsePath(path) {
    const parts = [];
    const pattern = /([^.[\]]+)|\[(\d+)\]/g;
    let match;
    let last = 0;
    while ((match = pattern.exec(path)) !== null) {
      const between = path.slice(last, match.index);
      if (between !== '' && between !== '.') throw new Error('setData: invalid data path "' + path + '"');
      parts.push(match[2] !== undefined ? Number(match[2]) : match[1]);
      last = pattern.lastIndex;
    }
    if (parts.length === 0 || last !== path.length) throw new Error('setData: invalid data path "' + path + '"');
    // A path through `__proto__` would write onto Object.prototype.
    if (parts.indexOf('__proto__') >= 0) throw new Error('setData: invalid data path "' + path + '"');
    return parts;
  }

  function setPath(data, path, value) {
    const parts = parsePath(path);
    let node = data;
    for (let i = 0; i < parts.length - 1; i++) {
      const key = parts[i];
      const own = Object.prototype.hasOwnProperty.call(node, key);
      if (!own || node[key] === null || typeof node[key] !== 'object') node[key] = typeof parts[i + 1] === 'number' ? [] : {};
      node = node[key];
    }
    node[parts[parts.length - 1]] = value;
  }

  function setData(patch, callback) {
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
      throw new TypeError('setData: the data to set must be an object, not ' + (patch === null ? 'null' : typeof patch));
    }
    for (const key of Object.keys(patch)) {
      if (patch[key] === undefined) console.warn('Setting data field "' + key + '" to undefined is invalid.');
      setPath(this.data, key, patch[key]);
    }
    if (typeof callback === 'function') {
      const self = this;
      setTimeout(() => guard(callback, self, []), 0); // after the (absent) view has rendered
    }
  }

  const channels = new WeakMap(); // page -> the EventChannel it was opened with
  const pageProto = {
    setData,
    getOpenerEventChannel() { return channels.get(this) || {}; },
  };

  function makeInstance(id, route, query, definition) {
    const options = definition ? definition.options : {};
    // `setData` and `getOpenerEventChannel` come from the prototype, as in
    // WeChat: code that wraps `this.setData` assigns its own.
    const instance = Object.create(pageProto);
    Object.assign(instance, { route, __route__: route, __wxWebviewId__: id });
    channels.set(instance, pendingChannel || {});
    pendingChannel = null;
    instance.options = deepCopy(query);
    if (definition && definition.kind === 'component') {
      const behaviors = Array.isArray(options.behaviors) ? options.behaviors : [];
      const data = {};
      for (const b of behaviors.concat([options])) Object.assign(data, deepCopy(b.data || {}));
      const properties = options.properties || {};
      for (const name of Object.keys(properties)) {
        const spec = properties[name];
        const initial = spec && typeof spec === 'object' && 'value' in spec ? spec.value : undefined;
        data[name] = name in query ? query[name] : deepCopy(initial);
      }
      instance.data = data;
      instance.properties = data;
      for (const b of behaviors.concat([options])) {
        const methods = b.methods || {};
        for (const name of Object.keys(methods)) if (typeof methods[name] === 'function') instance[name] = methods[name];
      }
      const lifetimes = Object.assign({}, options, options.lifetimes || {});
      const pageLifetimes = options.pageLifetimes || {};
      instance.__hooks__ = {
        created: lifetimes.created, attached: lifetimes.attached, ready: lifetimes.ready, detached: lifetimes.detached,
        show: pageLifetimes.show, hide: pageLifetimes.hide,
      };
    } else {
      for (const key of Object.keys(options)) {
        const value = options[key];
        if (key === 'data') continue;
        instance[key] = typeof value === 'function' ? value : deepCopy(value);
      }
      instance.data = deepCopy(options.data || {});
    }
    return instance;
  }

  function call(instance, name, args) {
    if (instance && typeof instance[name] === 'function') guard(instance[name], instance, args || []);
  }

  function hook(instance, name) {
    const fn = instance && instance.__hooks__ && instance.__hooks__[name];
    if (typeof fn === 'function') guard(fn, instance, []);
  }

  // One lifecycle call the page stack asks for.
  function step(kind, id, route, query) {
    let page = instances.get(id);
    switch (kind) {
      case 'load': {
        const definition = definitions[route];
        if (!definition) {
          native.report(new Error('Page[' + route + '] not found. May be caused by: 1. Forgot to add page route in app.json. 2. Invoking Page() in async task.'));
        }
        page = makeInstance(id, route, query, definition);
        instances.set(id, page);
        hook(page, 'created');
        hook(page, 'attached');
        call(page, 'onLoad', [deepCopy(query)]);
        break;
      }
      case 'show': call(page, 'onShow'); hook(page, 'show'); break;
      case 'ready': hook(page, 'ready'); call(page, 'onReady'); break;
      case 'hide': call(page, 'onHide'); hook(page, 'hide'); break;
      case 'unload':
        call(page, 'onUnload');
        hook(page, 'detached');
        instances.delete(id);
        break;
    }
  }

  function getCurrentPages() {
    const pages = [];
    for (const id of native.pages()) {
      const page = instances.get(id);
      if (page) pages.push(page);
    }
    return pages;
  }

  // ---- EventChannel -------------------------------------------------------

  // One store per direction. An emit with no listener array for its name is
  // cached and replayed to the first `on`/`once`; an emit to an emptied array is dropped.
  function Store() {
    this.listeners = Object.create(null);
    this.cached = Object.create(null);
  }

  Store.prototype.add = function (name, fn, once) {
    const list = this.listeners[name] || (this.listeners[name] = []);
    list.push({ fn, once });
    const cached = this.cached[name];
    if (cached) {
      delete this.cached[name];
      for (const args of cached) {
        if (!list.length) break; // a `once` listener took the first; the rest are lost, as in WeChat
        this.deliver(name, args);
      }
    }
  };

  Store.prototype.deliver = function (name, args) {
    const list = this.listeners[name];
    if (!list) {
      (this.cached[name] || (this.cached[name] = [])).push(args);
      return;
    }
    for (const entry of list.slice()) {
      if (typeof entry.fn === 'function') guard(entry.fn, entry.fn, args);
    }
    this.listeners[name] = list.filter(entry => !entry.once);
  };

  Store.prototype.remove = function (name, fn) {
    if (fn === undefined) {
      delete this.listeners[name];
      return;
    }
    const list = this.listeners[name];
    if (list) {
      const at = list.findIndex(entry => entry.fn === fn);
      if (at >= 0) list.splice(at, 1);
    }
  };

  function facade(own, other) {
    return {
      emit(name, ...args) { other.deliver(name, args); },
      on(name, fn) { own.add(name, fn, false); },
      once(name, fn) { own.add(name, fn, true); },
      off(name, fn) { own.remove(name, fn); },
    };
  }

  // navigateTo: the opener's end (returned to Rust for `success`) and the
  // target's end (handed to the next page created).
  function openChannel(events) {
    const opener = new Store();
    const target = new Store();
    for (const name of Object.keys(events)) opener.add(name, events[name], false);
    pendingChannel = facade(target, opener);
    return facade(opener, target);
  }

  // ---- the app's foreground and background --------------------------------

  function topPage() {
    const pages = getCurrentPages();
    return pages[pages.length - 1];
  }

  function showOptions(overrides) {
    const top = topPage();
    return Object.assign(copy(launchOptions), top ? { path: top.route, query: deepCopy(top.options) } : {}, overrides || {});
  }

  function enterBackground() {
    call(topPage(), 'onHide');
    hook(topPage(), 'hide');
    if (app) call(app, 'onHide');
    fire('onAppHide', {});
  }

  function enterForeground(overrides) {
    const options = showOptions(overrides);
    if (app) call(app, 'onShow', [options]);
    fire('onAppShow', options);
    call(topPage(), 'onShow');
    hook(topPage(), 'show');
  }

  function pageNotFound(payload) {
    const listeners = native.listeners('onPageNotFound');
    if (!listeners.length) {
      console.error('onPageNotFound error: page "' + payload.path + '" is not found.');
      return;
    }
    for (const listener of listeners) guard(listener, undefined, [payload]);
  }

  global.App = App;
  global.getApp = getApp;
  global.Page = Page;
  global.Component = Component;
  global.Behavior = Behavior;
  global.getCurrentPages = getCurrentPages;
  // Plugins are code from other accounts that WeChat downloads: not here.
  global.requirePlugin = function requirePlugin(name) {
    throw new Error('requirePlugin(' + JSON.stringify(name) + '): wx-host does not run mini-program plugins');
  };
  Object.defineProperty(global, '__wxRequire', { value: load }); // what `import` of a CommonJS module reads
  Object.defineProperty(global, '__wxModuleScope', { value: moduleScope }); // `require`, `module`, `exports` inside an ES module

  return {
    load,
    requireFrom,
    step,
    openChannel,
    enterBackground,
    enterForeground,
    pageNotFound,
    fire,
    hasApp: () => app !== undefined,
    watch(promise) { promise.then(undefined, error => native.report(error)); },
    setPages(routes) { for (const route of routes) pageRoutes.add(route); },
    setLaunch(options) { launchOptions = options; },
    setConfig(config) { Object.defineProperty(global, '__wxConfig', { value: config, configurable: true }); },
    page: id => instances.get(id),
  };
});
