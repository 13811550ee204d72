// npm run demo: a real async retry timeline on the virtual clock, printed readably.
import { createSimulator, invoke } from '../dist/index.js'

const seconds = (ms) => `${(ms / 1000).toFixed(2).padStart(7)} s`

// 1. One line: what does Lambda do with a handler that always fails, invoked asynchronously?
const once = await invoke(async () => { throw new Error('payment service unavailable') }, { orderId: 'o-1' }, 'Event', { onFailure: true })
console.log('invoke(handler, event, "Event") with a handler that always fails:')
for (const a of once.attempts) console.log(`  attempt ${a.attempt} at ${seconds(a.offsetMs)}: ${a.outcome} (${a.errorType}: ${a.errorMessage})`)
console.log(`  outcome: ${once.outcome.condition} after ${once.outcome.approximateInvokeCount} attempts, record on the on-failure queue:`)
console.log(`  ${once.sinks.onFailure.messages[0].body.slice(0, 160)}...\n`)

// 2. A simulator: a handler that fails twice then succeeds, with both sinks.
const sim = createSimulator({ seed: 7 })
let calls = 0
const charge = sim.createFunction('charge', async (event, context) => {
  calls++
  await sim.sleep(250) // the handler takes 250 virtual ms
  if (calls <= 2) throw new Error(`card processor timeout (call ${calls})`)
  return { charged: event.amount, requestId: context.awsRequestId }
}, { timeout: 3 })
const succeeded = sim.createQueue('charge-succeeded')
const failed = sim.createQueue('charge-failed')
sim.putFunctionEventInvokeConfig({ functionName: 'charge', destinationConfig: { onSuccess: { destination: succeeded }, onFailure: { destination: failed } } })

const started = performance.now()
const { requestId } = await sim.invoke(charge, { amount: 10 }, 'Event')
await sim.runUntilIdle()
const realMs = performance.now() - started

console.log(`sim.invoke(charge, { amount: 10 }, 'Event') → request ${requestId}`)
for (const e of sim.timeline) {
  const t = seconds(e.time - sim.timeline.startTime)
  if (e.type === 'accepted') console.log(`  ${t}  accepted (202)`)
  if (e.type === 'attempt-started') console.log(`  ${t}  attempt ${e.attempt} starts${e.coldStart ? ' (cold start)' : ''}`)
  if (e.type === 'attempt-finished') console.log(`  ${t}  attempt ${e.attempt} ${e.outcome}${e.errorMessage ? `: ${e.errorMessage}` : ''} after ${e.durationMs} ms`)
  if (e.type === 'retry-scheduled') console.log(`  ${t}  retry ${e.attempt - 1} scheduled in ${e.delayMs / 1000} s`)
  if (e.type === 'terminal') console.log(`  ${t}  ${e.condition} (approximateInvokeCount ${e.approximateInvokeCount})`)
  if (e.type === 'delivered') console.log(`  ${t}  record delivered to ${e.destination.split(':').at(-1)}`)
}
console.log(`\non-success record: ${succeeded.messages[0].body}`)
console.log(`on-failure queue: ${failed.messages.length} messages`)
console.log(`\n${((sim.now() - sim.timeline.startTime) / 1000).toFixed(2)} virtual seconds in ${realMs.toFixed(1)} real ms.`)
if (typeof sim.timeline.render === 'function') console.log(`\n${sim.timeline.render()}`)
