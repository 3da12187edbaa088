// Todos in storage: one key holds the whole list.
const KEY = 'todos'

const seed = require('./seed.json')

function load() {
  const saved = wx.getStorageSync(KEY)
  return Array.isArray(saved) ? saved : seed.todos.map((title, i) => ({ id: i + 1, title, done: false }))
}

function save(todos) {
  wx.setStorageSync(KEY, todos)
}

module.exports = { load, save }
