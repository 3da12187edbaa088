// The host's JS side: console formatting and timer argument plumbing.
// Native entry points (installed before this runs): __wx_print(level, text),
// __wx_timer(callback, delay, repeat) -> id, __wx_clear_timer(id).
(function (global) {
  'use strict';
  const print = global.__wx_print;
  const timer = global.__wx_timer;
  const clearTimer = global.__wx_clear_timer;
  delete global.__wx_print;
  delete global.__wx_timer;
  delete global.__wx_clear_timer;

  function quote(s) {
    return "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n') + "'";
  }

  function formatError(e) {
    const head = (e && e.name ? e.name : 'Error') + (e && e.message !== undefined && e.message !== '' ? ': ' + e.message : '');
    const stack = e && typeof e.stack === 'string' ? e.stack.replace(/\s+$/, '') : '';
    return stack ? head + '\n' + stack : head;
  }

  // Roughly Node's util.inspect: what a developer expects from console.log.
  function inspect(value, depth, seen) {
    switch (typeof value) {
      case 'string': return depth === 0 ? value : quote(value);
      case 'number': return Object.is(value, -0) ? '-0' : String(value);
      case 'bigint': return String(value) + 'n';
      case 'undefined': case 'boolean': return String(value);
      case 'symbol': return value.toString();
      case 'function': return '[Function: ' + (value.name || '(anonymous)') + ']';
    }
    if (value === null) return 'null';
    if (value instanceof Error) return depth === 0 ? formatError(value) : '[' + (value.name || 'Error') + ': ' + value.message + ']';
    if (value instanceof Date) return isNaN(value) ? 'Invalid Date' : value.toISOString();
    if (value instanceof RegExp) return String(value);
    if (value instanceof ArrayBuffer) {
      const bytes = Array.from(new Uint8Array(value).slice(0, 50), b => b.toString(16).padStart(2, '0'));
      return 'ArrayBuffer { [Uint8Contents]: <' + bytes.join(' ') + (value.byteLength > 50 ? ' ...' : '') + '>, byteLength: ' + value.byteLength + ' }';
    }
    if (seen.indexOf(value) >= 0) return '[Circular]';
    if (depth > 2) return Array.isArray(value) ? '[Array]' : '[Object]';
    seen.push(value);
    let out;
    if (Array.isArray(value)) {
      const items = value.slice(0, 100).map(v => inspect(v, depth + 1, seen));
      if (value.length > 100) items.push('... ' + (value.length - 100) + ' more items');
      out = items.length ? '[ ' + items.join(', ') + ' ]' : '[]';
    } else {
      const keys = Object.keys(value);
      const items = keys.map(k => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k)) + ': ' + inspect(value[k], depth + 1, seen));
      out = items.length ? '{ ' + items.join(', ') + ' }' : '{}';
    }
    seen.pop();
    return out;
  }

  function format(args) {
    return Array.prototype.map.call(args, a => inspect(a, 0, [])).join(' ');
  }

  const console = {};
  for (const level of ['log', 'info', 'debug', 'warn', 'error']) {
    console[level] = function () { print(level, format(arguments)); };
  }
  global.console = console;

  function schedule(callback, delay, args, repeat) {
    if (typeof callback !== 'function') throw new TypeError('The callback must be a function. Received ' + inspect(callback, 1, []));
    const run = args.length ? () => callback.apply(undefined, args) : callback;
    return timer(run, Number(delay) > 0 ? Number(delay) : 0, repeat);
  }
  global.setTimeout = function (callback, delay, ...args) { return schedule(callback, delay, args, false); };
  global.setInterval = function (callback, delay, ...args) { return schedule(callback, delay, args, true); };
  global.clearTimeout = global.clearInterval = function (id) { if (id !== undefined && id !== null) clearTimer(Number(id)); };

  // How the host reports an uncaught value: an Error with its stack, anything else inspected.
  return { describe: v => (v instanceof Error ? formatError(v) : inspect(v, 1, [])) };
})(globalThis);
