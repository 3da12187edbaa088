const store = require('/utils/store')

Page({
  data: {
    todo: null,
    openedFrom: ''
  },

  onLoad(query) {
    const id = Number(query.id)
    const todo = getApp().globalData.todos.find(t => t.id === id)
    this.setData({ todo })
    this.channel = this.getOpenerEventChannel()
    this.channel.on('opened', ({ from }) => this.setData({ openedFrom: from }))
  },

  // bindtap="toggle"
  toggle() {
    const todos = getApp().globalData.todos
    const todo = todos.find(t => t.id === this.data.todo.id)
    todo.done = !todo.done
    store.save(todos)
    this.setData({ 'todo.done': todo.done })
    this.channel.emit('changed', { id: todo.id, done: todo.done })
  },

  // bindtap="back"
  back() {
    wx.navigateBack()
  }
})
