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
    // Opened by the list with navigateTo: a channel back to it. Opened from a
    // shared link, the channel is an empty object.
    this.channel = this.getOpenerEventChannel()
    if (this.channel.on) {
      this.channel.on('opened', ({ from }) => this.setData({ openedFrom: from }))
    }
  },

  // bindtap="toggle"
  toggle() {
    const todos = getApp().globalData.todos
    const todo = todos.find(t => t.id === this.data.todo.id)
    todo.done = !todo.done
    wx.showLoading({ title: 'Saving' })
    store.save(todos)
    wx.hideLoading()
    wx.showToast({ title: todo.done ? 'Done!' : 'Not done', icon: 'none' })
    this.setData({ 'todo.done': todo.done })
    if (this.channel.emit) {
      this.channel.emit('changed', { id: todo.id, done: todo.done })
    }
  },

  // bindtap="back"
  back() {
    if (getCurrentPages().length > 1) {
      wx.navigateBack()
    } else {
      wx.switchTab({ url: '/pages/todos/todos' })
    }
  }
})
