// The test driver: what a test script given with `--test` uses to drive a
// mini-program headlessly (`miniProgram`), and `expect`. A failed expectation
// is counted for the exit code even if the script catches what it throws.
(function (global, framework, native) {
  'use strict';

  function describe(value) {
    try {
      return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) === undefined ? String(value) : JSON.stringify(value);
    } catch (e) {
      return String(value);
    }
  }

  function equal(a, b) {
    if (Object.is(a, b)) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (Array.isArray(a)) return a.length === b.length && Array.from(a).every((v, i) => equal(v, b[i]));
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every(k => Object.prototype.hasOwnProperty.call(b, k) && equal(a[k], b[k]));
  }

  function expect(actual) {
    function check(ok, message) {
      if (ok) return;
      native.fail(message);
      const error = new Error(message);
      error.name = 'ExpectationError';
      throw error;
    }
    return {
      toBe: expected => check(Object.is(actual, expected), 'expected ' + describe(actual) + ' to be ' + describe(expected)),
      toEqual: expected => check(equal(actual, expected), 'expected ' + describe(actual) + ' to equal ' + describe(expected)),
      toBeTruthy: () => check(!!actual, 'expected ' + describe(actual) + ' to be truthy'),
      toBeFalsy: () => check(!actual, 'expected ' + describe(actual) + ' to be falsy'),
      toContain: item => check(actual != null && typeof actual.indexOf === 'function' && actual.indexOf(item) >= 0, 'expected ' + describe(actual) + ' to contain ' + describe(item)),
      toMatch: pattern => check(typeof actual === 'string' && (pattern instanceof RegExp ? pattern.test(actual) : actual.includes(pattern)), 'expected ' + describe(actual) + ' to match ' + String(pattern)),
    };
  }

  // A WeChat-shaped event object, as a `bindtap` handler receives it.
  function event(type, options) {
    const dataset = options.dataset || {};
    const target = { id: options.id || '', dataset };
    return {
      type,
      timeStamp: Date.now(),
      target,
      currentTarget: target,
      detail: options.detail === undefined ? {} : options.detail,
      mark: options.mark || {},
      touches: [],
      changedTouches: [],
    };
  }

  const miniProgram = {
    /** The pages on the stack, bottom first (`getCurrentPages()`). */
    pages: () => global.getCurrentPages(),
    /** The page on top of the stack. */
    currentPage() {
      const pages = global.getCurrentPages();
      return pages[pages.length - 1];
    },
    /** Calls `page[handler]` with an event `{ type, currentTarget: { dataset }, detail }`. */
    trigger(page, handler, options) {
      options = options || {};
      if (!page || typeof page[handler] !== 'function') {
        throw new TypeError('the page ' + (page && page.route) + ' has no handler ' + JSON.stringify(handler));
      }
      return page[handler](event(options.type || 'tap', options));
    },
    /** `trigger` with type `tap`. */
    tap(page, handler, options) {
      return miniProgram.trigger(page, handler, Object.assign({}, options, { type: 'tap' }));
    },
    /** Sends the app to the background: page `onHide`, then App `onHide`. */
    hide: () => framework.enterBackground(),
    /** Brings it back: App `onShow`, then page `onShow`. */
    show: options => framework.enterForeground(options),
    /** `require` from the package root (`miniProgram.require('utils/store')`). */
    require: request => framework.requireFrom('app.js')(request),
    /** Resolves once nothing is pending: no timer, call, route or Promise job. */
    idle: () => new Promise(resolve => native.idle(resolve)),
    expect,
    /** The interact family's UI: what was shown, and answers queued ahead (scripted UI). */
    ui: {
      /** Everything shown, oldest first: `{ kind, at, title, ..., answer }`. */
      shown: () => native.uiShown(),
      /** The answer to the next modal: `{ confirm, content? }`. */
      answerModal: answer => native.uiAnswer('modal', answer),
      /** The answer to the next action sheet: an item index, or null to cancel. */
      answerActionSheet: index => native.uiAnswer('actionSheet', index === undefined ? null : index),
    },
  };

  global.miniProgram = miniProgram;
  global.expect = expect;
});
