// Text helpers, written as an ES module.
export function progress(todos) {
  const done = todos.filter(t => t.done).length
  return `${done}/${todos.length} done`
}

export default function titleCase(text) {
  return text.replace(/\b\w/g, c => c.toUpperCase())
}
