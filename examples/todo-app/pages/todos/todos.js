import titleCase, { progress } from '../../utils/format'
const store = require('../../utils/store')

const app = getApp()

Page({
  data: {
    todos: [],
    summary: ''
  },

  onLoad() {
    this.refresh()
  },

  onShow() {
    this.refresh()
  },

  refresh() {
    const todos = app.globalData.todos
    this.setData({
      todos: todos.map(t => ({ ...t, title: titleCase(t.title) })),
      summary: progress(todos)
    })
  },

  // bindtap="openTodo" data-id="{{item.id}}"
  openTodo(e) {
    const id = e.currentTarget.dataset.id
    wx.navigateTo({
      url: `../detail/detail?id=${id}`,
      events: {
        // The detail page tells us when a todo changed.
        changed: ({ id, done }) => {
          const index = this.data.todos.findIndex(t => t.id === id)
          this.setData({ [`todos[${index}].done`]: done, summary: progress(app.globalData.todos) })
        }
      },
      success: res => {
        res.eventChannel.emit('opened', { from: 'todos' })
      }
    })
  },

  // bindconfirm="addTodo" on the input
  addTodo(e) {
    const title = e.detail.value.trim()
    if (!title) return
    const todos = app.globalData.todos
    todos.push({ id: todos.reduce((max, t) => Math.max(max, t.id), 0) + 1, title, done: false })
    store.save(todos)
    this.refresh()
    wx.showToast({ title: '已添加' })
  },

  // bindlongpress="todoActions" data-id="{{item.id}}"
  todoActions(e) {
    const id = e.currentTarget.dataset.id
    const todo = app.globalData.todos.find(t => t.id === id)
    wx.showActionSheet({
      itemList: ['Open', 'Delete'],
      success: ({ tapIndex }) => {
        if (tapIndex === 0) {
          this.openTodo(e)
        } else {
          this.confirmDelete(todo)
        }
      },
      fail: () => {} // dismissed: nothing to do
    })
  },

  confirmDelete(todo) {
    wx.showModal({
      title: 'Delete this todo?',
      content: todo.title,
      confirmText: '删除',
      confirmColor: '#E64340',
      success: ({ confirm }) => {
        if (!confirm) return
        app.globalData.todos = app.globalData.todos.filter(t => t.id !== todo.id)
        store.save(app.globalData.todos)
        this.refresh()
        wx.showToast({ title: '已删除' })
      }
    })
  }
})
