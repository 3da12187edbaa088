// Drives examples/todo-app headlessly:
//   cargo run -p wx-host -- examples/todo-app --test examples/todo-app.test.js

// Start from the seed list, whatever an earlier run left in storage.
wx.clearStorageSync()
getApp().globalData.todos = miniProgram.require('utils/store').load()
await wx.reLaunch({ url: '/pages/todos/todos' })

const list = miniProgram.currentPage()
expect(list.route).toBe('pages/todos/todos')
expect(list.data.summary).toBe('0/3 done')

// Tap the second todo: the detail page opens with ?id=2.
miniProgram.tap(list, 'openTodo', { dataset: { id: 2 } })
await miniProgram.idle()
const detail = miniProgram.currentPage()
expect(detail.route).toBe('pages/detail/detail')
expect(detail.options).toEqual({ id: '2' })
expect(detail.data.todo.title).toBe('Write the report')
expect(detail.data.openedFrom).toBe('todos') // emitted by the opener in success

// Toggle it: the opener hears about it through the EventChannel.
miniProgram.tap(detail, 'toggle')
expect(list.data.todos[1].done).toBe(true)
expect(wx.getStorageSync('todos')[1].done).toBe(true)

miniProgram.tap(detail, 'back')
await miniProgram.idle()
expect(getCurrentPages().length).toBe(1)
expect(miniProgram.currentPage().data.summary).toBe('1/3 done')

// Long-press a todo, pick "Delete", then decline the confirmation: nothing goes.
miniProgram.ui.answerActionSheet(1)
miniProgram.ui.answerModal({ confirm: false })
miniProgram.trigger(miniProgram.currentPage(), 'todoActions', { type: 'longpress', dataset: { id: 3 } })
await miniProgram.idle()
expect(miniProgram.currentPage().data.todos.length).toBe(3)
const asked = miniProgram.ui.shown().filter(e => e.kind === 'modal').pop()
expect([asked.title, asked.content, asked.confirmText]).toEqual(['Delete this todo?', 'Call the bank', '删除'])

// The stats tab (a Component page) counts the same list; clearing asks first.
await wx.switchTab({ url: '/pages/stats/stats' })
const stats = miniProgram.currentPage()
expect(stats.data.text).toBe('1/3 done')
miniProgram.tap(stats, 'clearDone')      // nothing queued: the scripted UI confirms
await miniProgram.idle()
expect(stats.data.total).toBe(2)
const toasts = miniProgram.ui.shown().filter(e => e.kind === 'toast').map(e => e.title)
expect(toasts).toEqual(['Done!'])

// Background and back again.
miniProgram.hide()
miniProgram.show()
console.log('todo-app: all checks passed')
