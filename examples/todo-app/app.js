// The todo app: the list is kept in storage, so it survives a restart.
const store = require('./utils/store')

App({
  globalData: {
    launchedAt: 0,
    todos: []
  },

  onLaunch(options) {
    this.globalData.launchedAt = Date.now()
    this.globalData.todos = store.load()
    console.log('launched on', options.path, 'scene', options.scene, 'with', this.globalData.todos.length, 'todos')
  },

  onShow() {
    console.log('app shown')
  },

  onHide() {
    store.save(this.globalData.todos)
    console.log('app hidden, todos saved')
  },

  onError(message) {
    console.error('app error:', message.split('\n')[0])
  }
})
