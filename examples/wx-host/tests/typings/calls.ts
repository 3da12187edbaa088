// Realistic calls against the generated declarations: every line must type-check
// under `--strict`, and the `@ts-expect-error` lines must not.

async function storage(): Promise<void> {
  wx.setStorageSync('token', { id: 1 })
  const token: any = wx.getStorageSync('token')
  const res = await wx.getStorage({ key: 'token' })
  const data: any = res.data
  const msg: string = res.errMsg
  wx.getStorage({ key: 'token', success: r => console.log(r.data), fail: e => console.log(e.errMsg, e.errno) })
  const info = await wx.getStorageInfo()
  const keys: string[] = info.keys
  // @ts-expect-error key is required
  wx.getStorage({})
  // @ts-expect-error with a callback there is no Promise
  await wx.getStorage({ key: 'k', success() {} }).then(() => 1)
}

function network(): void {
  const task = wx.request({ url: 'https://example.com', method: 'POST', data: { a: 1 }, success: r => console.log(r.statusCode, r.data) })
  task.onHeadersReceived(h => console.log(h.header))
  task.abort()
  const socket = wx.connectSocket({ url: 'wss://example.com' })
  socket.onMessage(m => console.log(m.data))
  socket.send({ data: 'hi' })
}

async function routes(): Promise<void> {
  const res = await wx.navigateTo({ url: '/pages/a/a', events: { done: () => {} } })
  res.eventChannel.emit('hello', 1)
  await wx.switchTab({ url: '/pages/home/home' })
  await wx.navigateBack({ delta: 2 })
  // @ts-expect-error url is required
  wx.redirectTo({})
}

async function interact(): Promise<void> {
  const modal = await wx.showModal({ title: 'Sure?', confirmText: '删除' })
  const confirmed: boolean = modal.confirm
  const sheet = await wx.showActionSheet({ itemList: ['a', 'b'] })
  const index: number = sheet.tapIndex
  wx.showToast({ title: 'Saved', icon: 'success', duration: 1500 })
  // @ts-expect-error not one of the four icons
  wx.showToast({ title: 'x', icon: 'sparkles' })
}

function objects(): void {
  const worker = wx.createWorker('workers/index.js')
  worker.onMessage(m => console.log(m))
  worker.postMessage({ a: 1 })
  worker.terminate()
  const audio = wx.getBackgroundAudioManager()
  audio.src = 'https://example.com/a.mp3'
  audio.title = 'A'
  const now: number = audio.currentTime
  audio.onTimeUpdate(() => console.log(audio.currentTime))
  // @ts-expect-error read-only
  audio.duration = 3
  wx.onCompassChange(r => console.log(r.direction))
  wx.offCompassChange()
  const supported: boolean = wx.canIUse('request.object.timeout')
}

async function nestedResults(): Promise<void> {
  // Nested structs are typed field by field, not `IAnyObject`.
  const safeArea = wx.getSystemInfoSync().safeArea
  const usable: number = safeArea.height - safeArea.top
  const host: string = wx.getSystemInfoSync().host.appId
  wx.request({ url: 'https://example.com', success: r => console.log(r.profile.rtt, r.profile.protocol) })
  // @ts-expect-error a number, not a string
  const wrong: string = wx.getSystemInfoSync().safeArea.bottom
  // @ts-expect-error no such field
  console.log(wx.getSystemInfoSync().safeArea.middle)
}
