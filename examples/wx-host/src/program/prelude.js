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
  // `refs` numbers the objects that are met again inside themselves (cycles).
  function inspect(value, depth, seen, refs) {
    refs = refs || new Map();
    switch (typeof value) {
      case 'string': return depth === 0 ? value : quote(value);
      case 'number': return Object.is(value, -0) ? '-0' : String(value);
      case 'bigint': return String(value) + 'n';
      case 'undefined': case 'boolean': return String(value);
      case 'symbol': return value.toString();
      case 'function': {
        const isClass = /^class[\s{]/.test(Function.prototype.toString.call(value));
        return '[' + (isClass ? 'class ' : 'Function: ') + (value.name || '(anonymous)') + ']';
      }
    }
    if (value === null) return 'null';
    if (value instanceof Error) return depth === 0 ? formatError(value) : '[' + (value.name || 'Error') + ': ' + value.message + ']';
    if (value instanceof Date) return isNaN(value) ? 'Invalid Date' : value.toISOString();
    if (value instanceof RegExp) return String(value);
    if (value instanceof ArrayBuffer) {
      const bytes = Array.from(new Uint8Array(value).slice(0, 50), b => b.toString(16).padStart(2, '0'));
      return 'ArrayBuffer { [Uint8Contents]: <' + bytes.join(' ') + (value.byteLength > 50 ? ' ...' : '') + '>, byteLength: ' + value.byteLength + ' }';
    }
    if (value instanceof Promise) return 'Promise { <pending> }';
    if (seen.indexOf(value) >= 0) {
      if (!refs.has(value)) refs.set(value, refs.size + 1);
      return '[Circular *' + refs.get(value) + ']';
    }
    if (depth > 2) return Array.isArray(value) ? '[Array]' : '[Object]';
    seen.push(value);
    const inner = v => inspect(v, depth + 1, seen, refs);
    const list = (items, open, close, more) => {
      if (more > 0) items.push('... ' + more + ' more item' + (more > 1 ? 's' : ''));
      return items.length ? open + ' ' + items.join(', ') + ' ' + close : open + close;
    };
    let out;
    if (Array.isArray(value)) {
      out = list(value.slice(0, 100).map(inner), '[', ']', value.length - 100);
    } else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const name = value.constructor.name;
      out = name + '(' + value.length + ') ' + list(Array.from(value.slice(0, 100), v => inspect(v, 1, [], refs)), '[', ']', value.length - 100);
    } else if (value instanceof Map) {
      const items = [];
      for (const [k, v] of value) { if (items.length >= 100) break; items.push(inner(k) + ' => ' + inner(v)); }
      out = 'Map(' + value.size + ') ' + list(items, '{', '}', value.size - 100);
    } else if (value instanceof Set) {
      const items = [];
      for (const v of value) { if (items.length >= 100) break; items.push(inner(v)); }
      out = 'Set(' + value.size + ') ' + list(items, '{', '}', value.size - 100);
    } else {
      const proto = Object.getPrototypeOf(value);
      const name = proto === null ? '[Object: null prototype]'
        : proto !== Object.prototype && proto.constructor && proto.constructor.name ? proto.constructor.name : '';
      const keys = Object.keys(value);
      const items = keys.map(k => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k)) + ': ' + inner(value[k]));
      out = (name ? name + ' ' : '') + (items.length ? '{ ' + items.join(', ') + ' }' : '{}');
    }
    seen.pop();
    if (refs.has(value)) out = '<ref *' + refs.get(value) + '> ' + out;
    return out;
  }

  // Node's console format: `%s %d %i %f %o %O %c %%` in a leading string.
  function format(args) {
    args = Array.prototype.slice.call(args);
    let head = '';
    if (typeof args[0] === 'string' && args[0].indexOf('%') >= 0) {
      const pattern = args.shift();
      head = pattern.replace(/%([sdifoOc%])/g, (match, type) => {
        if (type === '%') return '%';
        if (args.length === 0) return match;
        const v = args.shift();
        switch (type) {
          case 's': return typeof v === 'string' ? v : typeof v === 'object' && v !== null ? inspect(v, 1, []) : String(v);
          case 'd': return typeof v === 'object' && v !== null ? 'NaN' : String(Number(v));
          case 'i': return String(parseInt(v, 10));
          case 'f': return String(parseFloat(v));
          case 'o': case 'O': return inspect(v, 1, []);
          case 'c': return ''; // CSS: nothing to style in a terminal
        }
        return match;
      });
      if (args.length === 0) return indent(head);
    }
    const rest = args.map(a => inspect(a, 0, []));
    return indent((head ? [head] : []).concat(rest).join(' '));
  }

  // console.group indentation.
  let groupIndent = '';
  function indent(text) {
    return groupIndent ? text.split('\n').map(line => groupIndent + line).join('\n') : text;
  }

  // console.table: a box-drawing table of an array or object of rows.
  function table(data, columns) {
    if (data === null || typeof data !== 'object') return format([data]);
    const rows = Object.keys(data);
    const keys = [];
    let hasValues = false;
    for (const r of rows) {
      const row = data[r];
      if (row !== null && typeof row === 'object') {
        for (const k of Object.keys(row)) if (keys.indexOf(k) < 0) keys.push(k);
      } else {
        hasValues = true;
      }
    }
    const cols = columns || keys;
    const header = ['(index)'].concat(cols, hasValues ? ['Values'] : []);
    const cell = v => (v === undefined ? '' : inspect(v, 1, []));
    const body = rows.map(r => {
      const row = data[r];
      const isObject = row !== null && typeof row === 'object';
      return [r].concat(cols.map(k => (isObject ? cell(row[k]) : '')), hasValues ? [isObject ? '' : cell(row)] : []);
    });
    const widths = header.map((h, i) => Math.max(h.length, ...body.map(b => b[i].length)) + 2);
    const pad = (text, w) => { const left = Math.floor((w - text.length) / 2); return ' '.repeat(left) + text + ' '.repeat(w - text.length - left); };
    const line = (l, m, r) => l + widths.map(w => '─'.repeat(w)).join(m) + r;
    const out = [line('┌', '┬', '┐'), '│' + header.map((h, i) => pad(h, widths[i])).join('│') + '│', line('├', '┼', '┤')];
    for (const b of body) out.push('│' + b.map((c, i) => pad(c, widths[i])).join('│') + '│');
    out.push(line('└', '┴', '┘'));
    return indent(out.join('\n'));
  }

  const console = {};
  for (const level of ['log', 'info', 'debug', 'warn', 'error']) {
    console[level] = function () { print(level, format(arguments)); };
  }
  console.dir = value => print('log', indent(typeof value === 'string' ? quote(value) : inspect(value, 0, [])));
  console.table = (data, columns) => print('log', table(data, columns));
  console.trace = function () {
    const stack = new Error().stack.split('\n').slice(1).join('\n');
    print('error', indent('Trace' + (arguments.length ? ': ' + format(arguments) : '') + '\n' + stack));
  };
  console.assert = function (condition, ...rest) {
    if (condition) return;
    print('error', rest.length ? 'Assertion failed: ' + format(rest) : 'Assertion failed');
  };
  const counts = new Map();
  console.count = (label = 'default') => {
    const n = (counts.get(String(label)) || 0) + 1;
    counts.set(String(label), n);
    print('log', indent(label + ': ' + n));
  };
  console.countReset = (label = 'default') => counts.delete(String(label));
  const timers = new Map();
  console.time = (label = 'default') => {
    if (timers.has(String(label))) return print('warn', "Warning: Label '" + label + "' already exists for console.time()");
    timers.set(String(label), Date.now());
  };
  const elapsed = label => {
    const start = timers.get(String(label));
    if (start === undefined) { print('warn', "Warning: No such label '" + label + "' for console.timeEnd()"); return null; }
    return (Date.now() - start).toFixed(3) + 'ms';
  };
  console.timeLog = (label = 'default', ...rest) => {
    const t = elapsed(label);
    if (t !== null) print('log', indent(label + ': ' + t + (rest.length ? ' ' + format(rest) : '')));
  };
  console.timeEnd = (label = 'default') => {
    const t = elapsed(label);
    if (t !== null) { timers.delete(String(label)); print('log', indent(label + ': ' + t)); }
  };
  console.group = console.groupCollapsed = function () {
    if (arguments.length) print('log', format(arguments));
    groupIndent += '  ';
  };
  console.groupEnd = () => { groupIndent = groupIndent.slice(2); };
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
