import { progress } from '../../utils/format'

Component({
  data: {
    total: 0,
    done: 0,
    text: ''
  },

  pageLifetimes: {
    show() {
      const todos = getApp().globalData.todos
      this.setData({
        total: todos.length,
        done: todos.filter(t => t.done).length,
        text: progress(todos)
      })
    }
  },

  methods: {
    onLoad() {
      console.log('stats page loaded')
    },

    // bindtap="clearDone"
    clearDone() {
      const app = getApp()
      const done = app.globalData.todos.filter(t => t.done).length
      if (!done) {
        wx.showToast({ title: 'Nothing to clear', icon: 'none' })
        return
      }
      wx.showModal({
        title: 'Clear finished todos?',
        content: `${done} will be removed`,
        success: ({ confirm }) => {
          if (!confirm) return
          app.globalData.todos = app.globalData.todos.filter(t => !t.done)
          wx.setStorageSync('todos', app.globalData.todos)
          this.setData({ total: app.globalData.todos.length, done: 0, text: progress(app.globalData.todos) })
        }
      })
    }
  }
})
