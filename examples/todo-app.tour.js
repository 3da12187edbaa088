// A short tour for a person at a terminal: long-press the first todo, and the
// terminal asks what the phone would (an action sheet, then a confirmation).
//   cargo run --release -p wx-host -- examples/todo-app --test examples/todo-app.tour.js
const list = miniProgram.currentPage()
const first = list.data.todos[0]
console.log('Todos:', list.data.todos.map(t => t.title).join(', '))
console.log(`Long-pressing "${first.title}"...`)
miniProgram.trigger(list, 'todoActions', { type: 'longpress', dataset: { id: first.id } })
await miniProgram.idle()
const top = miniProgram.currentPage()
console.log(top.route === list.route ? 'Todos now: ' + top.data.todos.map(t => t.title).join(', ') : 'Opened ' + top.route + '?' + Object.entries(top.options).map(([k, v]) => k + '=' + v).join('&'))
