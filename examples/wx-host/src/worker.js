// The worker side of `wx.createWorker`: the `worker` global and `require`
// inside a worker script. Native entry points are passed in as `native`:
// post(value), compile(path), resolve(from, request), report(error).
(function (global, native) {
  'use strict';
  const handlers = [];
  const modules = Object.create(null);

  function dirname(path) {
    const at = path.lastIndexOf('/');
    return at < 0 ? '' : path.slice(0, at);
  }

  function load(path) {
    const cached = modules[path];
    if (cached) return cached.exports; // a cycle gets the exports so far
    const module = { id: path, exports: {} };
    modules[path] = module;
    try {
      const wrapper = native.compile(path);
      wrapper.call(module.exports, module.exports, requireFrom(path), module, path, dirname(path));
    } catch (error) {
      delete modules[path];
      throw error;
    }
    return module.exports;
  }

  function requireFrom(from) {
    return function require(request) {
      const path = native.resolve(from, String(request));
      if (path == null) {
        throw new Error('module "' + request + '" is not defined, require args is \'' + request + '\' (from ' + from + ')');
      }
      return load(path);
    };
  }

  global.worker = {
    // Appends: every handler gets every message (WeChat's worker side).
    onMessage(fn) {
      if (typeof fn === 'function') handlers.push(fn);
    },
    postMessage(value) {
      native.post(value);
    },
  };

  return {
    start: path => load(path),
    deliver(value) {
      for (const handler of handlers.slice()) {
        try {
          handler(value);
        } catch (error) {
          native.report(error);
        }
      }
    },
  };
});
