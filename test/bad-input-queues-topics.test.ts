import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSimulator, type MessageAttribute, type Queue, type Simulator, type Topic } from '../src/index.js'
import { thrownBy } from './helpers/errors.js'

/**
 * "A refused call changes nothing", for SQS-like queues and SNS-like topics: every catalogue entry is
 * refused with a named error whose message names the field or value, and afterwards the simulator is
 * indistinguishable from one that never saw the call: the same snapshot, and the same snapshot again
 * after the same continuation (which would show a drawn random id, a remembered deduplication id, a
 * used sequence number or a moved receipt handle).
 */

interface World {
  sim: Simulator
  q: Queue
  dlq: Queue
  src: Queue
  fifo: Queue
  cbd: Queue
  fdlq: Queue
  small: Queue
  t: Topic
  ft: Topic
  /** A FIFO topic with content-based deduplication. */
  cft: Topic
  handle: string
  fifoHandle: string
  subArn: string
}

/** Everything observable about the world's queues and topics, the clock, pending work and the timeline. */
function snapshot(w: World): string {
  const { sim } = w
  const queue = (q: Queue): unknown => ({
    name: q.name,
    arn: q.arn,
    url: q.url,
    fifo: q.fifo,
    visibilityTimeout: q.visibilityTimeout,
    delaySeconds: q.delaySeconds,
    messageRetentionPeriod: q.messageRetentionPeriod,
    maximumMessageSize: q.maximumMessageSize,
    contentBasedDeduplication: q.contentBasedDeduplication,
    redrivePolicy: q.redrivePolicy,
    redrivenCount: q.redrivenCount,
    size: q.size,
    visibleCount: q.visibleCount,
    inFlightCount: q.inFlightCount,
    nextVisibleAt: q.nextVisibleAt(),
    // toJSON: id, body, attributes (binary values as their bytes), MD5s, times, receive count, visibility, handle, FIFO fields, lineage.
    messages: q.messages.map((m) => JSON.parse(JSON.stringify(m, (_k, v: unknown) => (v instanceof Uint8Array ? [...v] : v))) as unknown),
  })
  const topic = (t: Topic): unknown => ({
    name: t.name,
    arn: t.arn,
    fifo: t.fifo,
    contentBasedDeduplication: t.contentBasedDeduplication,
    messages: t.messages,
    subscriptions: t.subscriptions,
  })
  // Whether a refused create left a resource reachable by ARN (the simulator's own lookup; not on the public type).
  const lookup = (arn: string): string | null => (sim as unknown as { destinationFor(arn: string): { arn: string } | undefined }).destinationFor(arn)?.arn ?? null
  return JSON.stringify({
    now: sim.now(),
    pending: sim.pending(),
    timeline: sim.timeline.entries,
    queues: [w.q, w.dlq, w.src, w.fifo, w.cbd, w.fdlq, w.small].map(queue),
    topics: [w.t, w.ft, w.cft].map(topic),
    sinks: ['extra', 'extra.fifo', 'q', 'f.fifo'].map((n) => lookup(`arn:aws:sqs:us-east-1:123456789012:${n}`)),
    topicSinks: ['t2', 't', 'ft.fifo', 'cft.fifo'].map((n) => lookup(`arn:aws:sns:us-east-1:123456789012:${n}`)),
  }, (_k, v: unknown) => (v instanceof Uint8Array ? [...v] : v))
}

/** A world with messages in every state: visible, in flight, delayed, deduplicated, filtered subscriptions. */
function setup(seed = 11): World {
  const sim = createSimulator({ seed })
  sim.createFunction('fn', async () => null)
  const q = sim.createQueue('q', { visibilityTimeout: 20 })
  const dlq = sim.createQueue('dlq')
  const src = sim.createQueue('src', { redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }, delaySeconds: 5 })
  const fifo = sim.createQueue('f.fifo')
  const cbd = sim.createQueue('cbd.fifo', { contentBasedDeduplication: true })
  const fdlq = sim.createQueue('fdlq.fifo')
  const small = sim.createQueue('small', { maximumMessageSize: 1024 })
  q.sendMessage({ body: 'one', messageAttributes: { kind: { dataType: 'String', stringValue: 'a' }, n: { dataType: 'Number', stringValue: '1' }, b: { dataType: 'Binary', binaryValue: new Uint8Array([1, 2]) } } })
  q.sendMessage({ body: 'two', delaySeconds: 30 })
  q.sendMessage({ body: 'three' })
  const handle = q.receive()[0]?.receiptHandle as string
  src.sendMessage({ body: 'poison' })
  fifo.sendMessage({ body: 'f1', messageGroupId: 'g', messageDeduplicationId: 'd1' })
  fifo.sendMessage({ body: 'f2', messageGroupId: 'g', messageDeduplicationId: 'd2' })
  // Received with visibility 0: visible again at once, so this FIFO receipt handle has expired.
  const fifoHandle = fifo.receive({ visibilityTimeout: 0 })[0]?.receiptHandle as string
  cbd.sendMessage({ body: 'same', messageGroupId: 'g' })
  const t = sim.createTopic('t')
  const ft = sim.createTopic('ft.fifo')
  const sub = t.subscribe('fn', { filterPolicy: { kind: ['order'] } })
  t.subscribe(q)
  t.publish({ message: 'hello', messageAttributes: { kind: { dataType: 'String', stringValue: 'order' } } })
  ft.publish({ message: 'first', messageGroupId: 'g', messageDeduplicationId: 'd1' })
  const cft = sim.createTopic('cft.fifo', { contentBasedDeduplication: true })
  cft.publish({ message: 'same', messageGroupId: 'g' })
  return { sim, q, dlq, src, fifo, cbd, fdlq, small, t, ft, cft, handle, fifoHandle, subArn: sub.arn }
}

/**
 * The same valid calls on any world: each would show a difference a refused call left behind (a shifted
 * random source, a remembered deduplication id, a used sequence number, a changed subscription).
 */
async function continuation(w: World): Promise<void> {
  w.q.sendMessage({ body: 'after' })
  w.fifo.sendMessage({ body: 'after', messageGroupId: 'h', messageDeduplicationId: 'fresh' })
  w.fifo.sendMessage({ body: 'after2', messageGroupId: 'h', messageDeduplicationId: 'x1' })
  w.cbd.sendMessage({ body: 'x', messageGroupId: 'g' })
  w.cbd.sendMessage({ body: 'same', messageGroupId: 'g' })
  w.t.publish({ message: 'later', messageAttributes: { kind: { dataType: 'String', stringValue: 'order' } } })
  w.t.subscribe('arn:aws:lambda:us-east-1:123456789012:function:fn:1')
  w.ft.publish({ message: 'repeat', messageGroupId: 'g', messageDeduplicationId: 'd1' })
  w.ft.publish({ message: 'new', messageGroupId: 'g', messageDeduplicationId: 'd2' })
  w.cft.publish({ message: 'same', messageGroupId: 'g' })
  w.cft.publish({ message: 'other', messageGroupId: 'g' })
  for (const q of [w.q, w.src, w.fifo, w.cbd]) q.receive({ maxNumberOfMessages: 10 })
  await w.sim.advanceBy(61_000)
  for (const q of [w.q, w.src, w.fifo, w.cbd, w.dlq]) q.receive({ maxNumberOfMessages: 10 })
  await w.sim.runUntilIdle()
}

const attr = (dataType: string, stringValue: string): MessageAttribute => ({ dataType, stringValue }) as MessageAttribute
const elevenAttributes = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, attr('String', 'v')]))

const circular: Record<string, unknown> = { a: ['x'] }
circular['self'] = circular

type Entry = [label: string, call: (w: World) => unknown, name: string, text: string]

/** Refused calls: [rule, call, expected error name, text the message must contain (the field or value)]. */
const catalogue: Entry[] = [
  // createQueue
  ['a queue name with a space', (w) => w.sim.createQueue('bad name'), 'SimulatorError', '"bad name"'],
  ['a queue name of 81 characters', (w) => w.sim.createQueue('x'.repeat(81)), 'SimulatorError', 'got 81'],
  ['a FIFO queue name of 81 characters with its suffix', (w) => w.sim.createQueue(`${'x'.repeat(76)}.fifo`), 'SimulatorError', 'got 81'],
  ['an empty queue name', (w) => w.sim.createQueue(''), 'SimulatorError', 'queue name ""'],
  ['a queue name that is not a string', (w) => w.sim.createQueue(7 as never), 'SimulatorError', 'queue name 7'],
  ['queue options that are not an object', (w) => w.sim.createQueue('extra', 'fast' as never), 'SimulatorError', '"fast"'],
  ['an unknown queue option', (w) => w.sim.createQueue('extra', { fifoQueue: true } as never), 'SimulatorError', 'fifoQueue'],
  ['visibilityTimeout 43201', (w) => w.sim.createQueue('extra', { visibilityTimeout: 43_201 }), 'SimulatorError', 'visibilityTimeout'],
  ['visibilityTimeout -1', (w) => w.sim.createQueue('extra', { visibilityTimeout: -1 }), 'SimulatorError', '-1'],
  ['visibilityTimeout 1.5', (w) => w.sim.createQueue('extra', { visibilityTimeout: 1.5 }), 'SimulatorError', '1.5'],
  ['queue delaySeconds 901', (w) => w.sim.createQueue('extra', { delaySeconds: 901 }), 'SimulatorError', 'delaySeconds'],
  ['messageRetentionPeriod 59', (w) => w.sim.createQueue('extra', { messageRetentionPeriod: 59 }), 'SimulatorError', 'messageRetentionPeriod'],
  ['messageRetentionPeriod 1209601', (w) => w.sim.createQueue('extra', { messageRetentionPeriod: 1_209_601 }), 'SimulatorError', '1209601'],
  ['maximumMessageSize 1023', (w) => w.sim.createQueue('extra', { maximumMessageSize: 1023 }), 'SimulatorError', 'maximumMessageSize'],
  ['maximumMessageSize 1048577', (w) => w.sim.createQueue('extra', { maximumMessageSize: 1_048_577 }), 'SimulatorError', '1048577'],
  ['fifo: true without the .fifo suffix', (w) => w.sim.createQueue('extra', { fifo: true }), 'SimulatorError', '.fifo suffix'],
  ['fifo: false with the .fifo suffix', (w) => w.sim.createQueue('extra.fifo', { fifo: false }), 'SimulatorError', 'cannot end with .fifo'],
  ['createQueue with fifo that is not a boolean', (w) => w.sim.createQueue('extra.fifo', { fifo: 'yes' as never }), 'SimulatorError', 'Invalid fifo'],
  ['contentBasedDeduplication on a standard queue', (w) => w.sim.createQueue('extra', { contentBasedDeduplication: true }), 'SimulatorError', 'contentBasedDeduplication'],
  ['contentBasedDeduplication that is not a boolean', (w) => w.sim.createQueue('extra.fifo', { contentBasedDeduplication: 'yes' as never }), 'SimulatorError', '"yes"'],
  ['a redrive policy naming a missing queue', (w) => w.sim.createQueue('extra', { redrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:123456789012:missing', maxReceiveCount: 3 } }), 'InvalidParameterValue', 'Dead letter target does not exist'],
  ['a redrive policy naming a topic', (w) => w.sim.createQueue('extra', { redrivePolicy: { deadLetterTargetArn: w.t.arn, maxReceiveCount: 3 } }), 'InvalidParameterValue', 'RedrivePolicy'],
  ['a redrive policy maxReceiveCount 0', (w) => w.sim.createQueue('extra', { redrivePolicy: { deadLetterTargetArn: w.dlq.arn, maxReceiveCount: 0 } }), 'SimulatorError', 'maxReceiveCount'],
  ['a redrive policy maxReceiveCount 1001', (w) => w.sim.createQueue('extra', { redrivePolicy: { deadLetterTargetArn: w.dlq.arn, maxReceiveCount: 1001 } }), 'SimulatorError', '1001'],
  ['a redrive policy without deadLetterTargetArn', (w) => w.sim.createQueue('extra', { redrivePolicy: { maxReceiveCount: 3 } as never }), 'InvalidParameterValue', 'Value {"maxReceiveCount":3} for parameter RedrivePolicy is invalid. Reason: Redrive policy does not contain mandatory attribute: deadLetterTargetArn.'],
  ['a redrive policy without maxReceiveCount', (w) => w.sim.createQueue('extra', { redrivePolicy: { deadLetterTargetArn: w.dlq.arn } as never }), 'InvalidParameterValue', 'Redrive policy does not contain mandatory attribute: maxReceiveCount.'],
  ['a redrive policy with an unknown member', (w) => w.sim.createQueue('extra', { redrivePolicy: { deadLetterTargetArn: w.dlq.arn, maxReceiveCount: 3, redrivePermission: 'allowAll' } as never }), 'SimulatorError', 'redrivePermission'],
  ['a redrive policy that is not an object', (w) => w.sim.createQueue('extra', { redrivePolicy: 'dlq' as never }), 'SimulatorError', '"dlq"'],
  ['a queue that is its own dead-letter queue', (w) => w.sim.createQueue('extra', { redrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:123456789012:extra', maxReceiveCount: 3 } }), 'SimulatorError', 'own dead-letter queue'],
  ['a standard queue with a FIFO dead-letter queue', (w) => w.sim.createQueue('extra', { redrivePolicy: { deadLetterTargetArn: w.fdlq.arn, maxReceiveCount: 3 } }), 'SimulatorError', 'standard queue'],
  ['a FIFO queue with a standard dead-letter queue', (w) => w.sim.createQueue('extra.fifo', { redrivePolicy: { deadLetterTargetArn: w.dlq.arn, maxReceiveCount: 3 } }), 'SimulatorError', 'FIFO queue'],
  ['an existing queue name with another visibilityTimeout', (w) => w.sim.createQueue('q', { visibilityTimeout: 21 }), 'QueueNameExists', 'VisibilityTimeout'],
  ['an existing queue name with another redrive policy', (w) => w.sim.createQueue('src', { redrivePolicy: { deadLetterTargetArn: w.dlq.arn, maxReceiveCount: 3 } }), 'QueueNameExists', 'RedrivePolicy'],
  ['setting a queue visibilityTimeout to -1', (w) => { w.q.visibilityTimeout = -1 }, 'InvalidAttributeValue', 'VisibilityTimeout'],
  ['setting a queue visibilityTimeout to 43201', (w) => { w.q.visibilityTimeout = 43_201 }, 'InvalidAttributeValue', 'VisibilityTimeout'],
  ['setting a queue visibilityTimeout to NaN', (w) => { w.src.visibilityTimeout = Number.NaN }, 'InvalidAttributeValue', 'VisibilityTimeout'],
  // sendMessage
  ['a body that is not a string', (w) => w.q.sendMessage({ body: 42 } as never), 'SimulatorError', 'body'],
  ['a send input that is not an object', (w) => w.q.sendMessage(null as never), 'SimulatorError', 'body'],
  ['an empty body', (w) => w.q.sendMessage({ body: '' }), 'MissingParameter', 'MessageBody'],
  ['a body with U+0000', (w) => w.q.sendMessage({ body: 'a\u0000b' }), 'InvalidMessageContents', '#x0'],
  ['a body with U+FFFE', (w) => w.q.sendMessage({ body: '\uFFFE' }), 'InvalidMessageContents', '#xFFFE'],
  ['a body with a lone surrogate', (w) => w.q.sendMessage({ body: 'x\uD800' }), 'InvalidMessageContents', '#xD800'],
  ['a body over 1 MiB', (w) => w.q.sendMessage({ body: 'x'.repeat(1_048_577) }), 'InvalidParameterValue', '1048576 bytes'],
  ['a body plus attributes over a queue maximumMessageSize', (w) => w.small.sendMessage({ body: 'x'.repeat(1020), messageAttributes: { ab: attr('String', 'cd') } }), 'InvalidParameterValue', '1024 bytes'],
  ['per-message delaySeconds 901', (w) => w.q.sendMessage({ body: 'x', delaySeconds: 901 }), 'InvalidParameterValue', 'DelaySeconds'],
  ['per-message delaySeconds -1', (w) => w.q.sendMessage({ body: 'x', delaySeconds: -1 }), 'InvalidParameterValue', 'Value -1'],
  ['per-message delaySeconds 0.5', (w) => w.q.sendMessage({ body: 'x', delaySeconds: 0.5 }), 'InvalidParameterValue', '0.5'],
  ['a messageDeduplicationId on a standard queue', (w) => w.q.sendMessage({ body: 'x', messageDeduplicationId: 'd' }), 'InvalidParameterValue', 'not valid for this queue type'],
  ['an empty MessageGroupId on a standard queue', (w) => w.q.sendMessage({ body: 'x', messageGroupId: '' }), 'InvalidParameterValue', 'MessageGroupId'],
  ['11 message attributes', (w) => w.q.sendMessage({ body: 'x', messageAttributes: elevenAttributes }), 'InvalidParameterValue', '[11]'],
  ['message attributes that are not an object', (w) => w.q.sendMessage({ body: 'x', messageAttributes: 'a=1' as never }), 'SimulatorError', 'messageAttributes'],
  ['message attributes given as an array', (w) => w.q.sendMessage({ body: 'x', messageAttributes: [attr('String', 'v')] as never }), 'SimulatorError', 'messageAttributes'],
  ['batch message attributes given as an array (after a good entry)', (w) => w.q.sendMessageBatch([{ id: 'a', body: 'x' }, { id: 'b', body: 'y', messageAttributes: [attr('String', 'v')] as never }]), 'SimulatorError', 'messageAttributes'],
  ['an attribute name starting with AWS.', (w) => w.q.sendMessage({ body: 'x', messageAttributes: { 'AWS.x': attr('String', 'v') } }), 'InvalidParameterValue', "'AWS.'"],
  ['an attribute name ending with a period', (w) => w.q.sendMessage({ body: 'x', messageAttributes: { 'x.': attr('String', 'v') } }), 'InvalidParameterValue', "end with '.'"],
  ['an attribute name with a space', (w) => w.q.sendMessage({ body: 'x', messageAttributes: { 'a b': attr('String', 'v') } }), 'InvalidParameterValue', 'name can only contain'],
  ['an attribute name of 257 bytes', (w) => w.q.sendMessage({ body: 'x', messageAttributes: { ['n'.repeat(257)]: attr('String', 'v') } }), 'InvalidParameterValue', '256 Bytes'],
  ['an attribute data type Date', (w) => w.q.sendMessage({ body: 'x', messageAttributes: { d: attr('Date', 'v') } }), 'InvalidParameterValue', 'but was: Date'],
  ['an attribute with an empty string value', (w) => w.q.sendMessage({ body: 'x', messageAttributes: { s: attr('String', '') } }), 'InvalidParameterValue', "'s'"],
  ['a Number attribute that is not a number', (w) => w.q.sendMessage({ body: 'x', messageAttributes: { n: attr('Number', 'ten') } }), 'InvalidParameterValue', "'n' to a number"],
  ['a Binary attribute without bytes', (w) => w.q.sendMessage({ body: 'x', messageAttributes: { b: { dataType: 'Binary', binaryValue: new Uint8Array(0) } } }), 'InvalidParameterValue', "'Binary'"],
  ['an attribute value with U+0008', (w) => w.q.sendMessage({ body: 'x', messageAttributes: { s: attr('String', 'a\u0008') } }), 'InvalidParameterValue', '#x8'],
  ['an attribute that is null', (w) => w.q.sendMessage({ body: 'x', messageAttributes: { s: null } as never }), 'InvalidParameterValue', 'DataType'],
  ['an attribute written with the SDK\'s member names (DataType, StringValue)', (w) => w.q.sendMessage({ body: 'x', messageAttributes: { kind: { DataType: 'String', StringValue: 'order' } } as never }), 'SimulatorError', 'Unknown option "DataType" for message attribute \'kind\'; allowed: dataType, stringValue, binaryValue, stringListValues, binaryListValues'],
  ['a batch entry attribute with an unknown member', (w) => w.q.sendMessageBatch([{ id: 'a', body: 'x', messageAttributes: { kind: { dataType: 'String', stringValue: 'v', value: 'v' } as never } }]), 'SimulatorError', 'Unknown option "value" for message attribute \'kind\''],
  ['a send with an unknown member (a typo of delaySeconds)', (w) => w.q.sendMessage({ body: 'x', delay: 5 } as never), 'SimulatorError', '"delay"'],
  ['a FIFO send with a misspelt group id member', (w) => w.fifo.sendMessage({ body: 'x', messageGroupID: 'g', messageDeduplicationId: 'n1' } as never), 'SimulatorError', 'messageGroupID'],
  // FIFO sends
  ['a FIFO message without MessageGroupId', (w) => w.fifo.sendMessage({ body: 'x', messageDeduplicationId: 'n1' }), 'MissingParameter', 'MessageGroupId'],
  ['a FIFO message without a deduplication id', (w) => w.fifo.sendMessage({ body: 'x', messageGroupId: 'g' }), 'InvalidParameterValue', 'MessageDeduplicationId'],
  ['a FIFO message with a per-message delay', (w) => w.fifo.sendMessage({ body: 'x', messageGroupId: 'g', messageDeduplicationId: 'n1', delaySeconds: 2 }), 'InvalidParameterValue', 'Value 2 for parameter DelaySeconds'],
  ['a MessageGroupId of 129 characters', (w) => w.fifo.sendMessage({ body: 'x', messageGroupId: 'g'.repeat(129), messageDeduplicationId: 'n1' }), 'InvalidParameterValue', 'MessageGroupId'],
  ['a MessageDeduplicationId with a space', (w) => w.fifo.sendMessage({ body: 'x', messageGroupId: 'g', messageDeduplicationId: 'a b' }), 'InvalidParameterValue', 'Value a b for parameter MessageDeduplicationId'],
  ['a non-ASCII MessageGroupId with content-based deduplication', (w) => w.cbd.sendMessage({ body: 'new', messageGroupId: 'grüppe' }), 'InvalidParameterValue', 'grüppe'],
  ['a FIFO body with a bad character (after the deduplication id is known)', (w) => w.fifo.sendMessage({ body: '\u0001', messageGroupId: 'g', messageDeduplicationId: 'x1' }), 'InvalidMessageContents', '#x1'],
  // sendMessageBatch: whole-request errors
  ['an empty batch', (w) => w.q.sendMessageBatch([]), 'EmptyBatchRequest', 'at least one'],
  ['a batch that is not an array', (w) => w.q.sendMessageBatch('x' as never), 'EmptyBatchRequest', 'SendMessageBatchRequestEntry'],
  ['a batch of 11 entries', (w) => w.q.sendMessageBatch(Array.from({ length: 11 }, (_, i) => ({ id: `e${i}`, body: 'x' }))), 'TooManyEntriesInBatchRequest', 'You have sent 11'],
  ['a batch with a repeated id (after a good entry)', (w) => w.q.sendMessageBatch([{ id: 'a', body: 'x' }, { id: 'b', body: 'y' }, { id: 'a', body: 'z' }]), 'BatchEntryIdsNotDistinct', 'Id a repeated'],
  ['a batch entry id with a period', (w) => w.q.sendMessageBatch([{ id: 'ok', body: 'x' }, { id: 'a.b', body: 'y' }]), 'InvalidBatchEntryId', 'batch entry id'],
  ['a batch entry id of 81 characters', (w) => w.q.sendMessageBatch([{ id: 'i'.repeat(81), body: 'y' }]), 'InvalidBatchEntryId', '80'],
  ['a batch over 1 MiB in all', (w) => w.q.sendMessageBatch([{ id: 'a', body: 'x'.repeat(600_000) }, { id: 'b', body: 'y'.repeat(600_000) }]), 'BatchRequestTooLong', 'You have sent 1200000 bytes'],
  ['a batch entry that is not an object', (w) => w.q.sendMessageBatch([{ id: 'a', body: 'x' }, 7 as never]), 'SimulatorError', 'entry 1'],
  ['a batch entry whose body is not a string', (w) => w.q.sendMessageBatch([{ id: 'a', body: 'x' }, { id: 'b', body: null as never }]), 'SimulatorError', 'body'],
  ['a batch entry with an unknown member (after a good entry)', (w) => w.q.sendMessageBatch([{ id: 'a', body: 'x' }, { id: 'b', body: 'y', delay: 5 } as never]), 'SimulatorError', '"delay"'],
  ['a FIFO batch with one entry without MessageGroupId', (w) => w.fifo.sendMessageBatch([{ id: 'a', body: 'x', messageGroupId: 'g', messageDeduplicationId: 'b1' }, { id: 'b', body: 'y', messageDeduplicationId: 'b2' }]), 'InvalidParameterValue', 'MessageGroupId'],
  ['a FIFO batch with one entry without a deduplication id', (w) => w.fifo.sendMessageBatch([{ id: 'a', body: 'x', messageGroupId: 'g', messageDeduplicationId: 'b1' }, { id: 'b', body: 'y', messageGroupId: 'g' }]), 'InvalidParameterValue', 'MessageDeduplicationId'],
  // ReceiveMessage
  ['receive maxNumberOfMessages 0', (w) => w.q.receive({ maxNumberOfMessages: 0 }), 'InvalidParameterValue', 'Value 0 for parameter MaxNumberOfMessages'],
  ['receive maxNumberOfMessages 11', (w) => w.q.receive({ maxNumberOfMessages: 11 }), 'InvalidParameterValue', 'Value 11 for parameter MaxNumberOfMessages'],
  ['receive maxNumberOfMessages 2.5', (w) => w.q.receive({ maxNumberOfMessages: 2.5 }), 'InvalidParameterValue', 'Value 2.5 for parameter MaxNumberOfMessages'],
  ['receive visibilityTimeout -1', (w) => w.q.receive({ visibilityTimeout: -1 }), 'InvalidParameterValue', 'Value -1 for parameter VisibilityTimeout'],
  ['receive visibilityTimeout 43201', (w) => w.q.receive({ visibilityTimeout: 43_201 }), 'InvalidParameterValue', 'Value 43201 for parameter VisibilityTimeout'],
  ['receive visibilityTimeout NaN', (w) => w.fifo.receive({ visibilityTimeout: Number.NaN }), 'InvalidParameterValue', 'Value NaN for parameter VisibilityTimeout'],
  ['receive options that are not an object', (w) => w.q.receive(null as never), 'SimulatorError', 'null'],
  ['receive with an unknown option', (w) => w.q.receive({ waitTimeSeconds: 5 } as never), 'SimulatorError', 'waitTimeSeconds'],
  ['receive with an accept filter that is not a function', (w) => w.q.receive({ accept: true } as never), 'SimulatorError', 'accept'],
  // receipt handles and visibility
  ['changeMessageVisibility to 43201 seconds', (w) => w.q.changeMessageVisibility(w.handle, 43_201), 'InvalidParameterValue', 'Value 43201 for parameter VisibilityTimeout'],
  ['changeMessageVisibility to -1 seconds', (w) => w.q.changeMessageVisibility(w.handle, -1), 'InvalidParameterValue', 'Value -1'],
  ['changeMessageVisibility to NaN seconds', (w) => w.q.changeMessageVisibility(w.handle, Number.NaN), 'InvalidParameterValue', 'NaN'],
  ['changeMessageVisibility with an expired FIFO receipt handle', (w) => w.fifo.changeMessageVisibility(w.fifoHandle, 5), 'InvalidParameterValue', 'Reason: The receipt handle has expired.'],
  ['changeMessageVisibility with an unknown receipt handle', (w) => w.q.changeMessageVisibility('not-a-handle', 5), 'ReceiptHandleIsInvalid', '"not-a-handle"'],
  ['changeMessageVisibility with another queue receipt handle', (w) => w.dlq.changeMessageVisibility(w.handle, 5), 'ReceiptHandleIsInvalid', 'is not valid for this queue.'],
  ['delete with another queue receipt handle', (w) => w.dlq.delete(w.handle), 'ReceiptHandleIsInvalid', 'is not valid for this queue.'],
  ['delete with an expired FIFO receipt handle', (w) => w.fifo.delete(w.fifoHandle), 'InvalidParameterValue', 'receipt handle has expired'],
  ['changeMessageVisibility with a receipt handle that is not a string', (w) => w.q.changeMessageVisibility(null as never, 5), 'ReceiptHandleIsInvalid', 'null'],
  ['delete with a receipt handle that is not a string', (w) => w.q.delete(undefined as never), 'SimulatorError', 'undefined'],
  ['delete with an empty receipt handle', (w) => w.q.delete(''), 'MissingParameter', 'ReceiptHandle'],
  ['delete with a malformed receipt handle', (w) => w.q.delete('garbage'), 'ReceiptHandleIsInvalid', '"garbage"'],
  ['onChange with a listener that is not a function', (w) => w.q.onChange('notify' as never), 'SimulatorError', 'listener'],
  // topics
  ['a topic name with a space', (w) => w.sim.createTopic('bad name'), 'InvalidParameter', 'Topic Name'],
  ['a topic name of 257 characters', (w) => w.sim.createTopic('t'.repeat(257)), 'InvalidParameter', 'Topic Name'],
  ['an empty topic name', (w) => w.sim.createTopic(''), 'InvalidParameter', 'Topic Name'],
  ['a topic name that is not a string', (w) => w.sim.createTopic(null as never), 'SimulatorError', 'null'],
  ['createTopic of an existing topic with a different contentBasedDeduplication', (w) => w.sim.createTopic('cft.fifo', { contentBasedDeduplication: false }), 'InvalidParameter', 'Invalid parameter: Attributes Reason: Topic already exists with different attributes'],
  ['createTopic of an existing FIFO topic adding contentBasedDeduplication', (w) => w.sim.createTopic('ft.fifo', { contentBasedDeduplication: true }), 'InvalidParameter', 'Invalid parameter: Attributes Reason: Topic already exists with different attributes'],
  ['createTopic with contentBasedDeduplication that is not a boolean', (w) => w.sim.createTopic('new.fifo', { contentBasedDeduplication: 'true' as never }), 'SimulatorError', 'Invalid contentBasedDeduplication for topic new.fifo: expected true or false, got "true"'],
  ['createTopic with contentBasedDeduplication on a standard topic', (w) => w.sim.createTopic('new', { contentBasedDeduplication: true }), 'SimulatorError', 'Invalid contentBasedDeduplication for topic new: only FIFO topics deduplicate'],
  ['createTopic with an unknown option', (w) => w.sim.createTopic('new.fifo', { fifoTopic: true } as never), 'SimulatorError', 'Unknown option "fifoTopic" for createTopic'],
  ['createTopic with options that are not an object', (w) => w.sim.createTopic('new.fifo', 'cbd' as never), 'SimulatorError', 'Invalid createTopic options: expected an object, got "cbd"'],
  ['publishing to a content-based FIFO topic without MessageGroupId', (w) => w.cft.publish({ message: 'x' }), 'InvalidParameter', 'The MessageGroupId parameter is required for FIFO topics'],
  ['an empty SNS message', (w) => w.t.publish({ message: '' }), 'InvalidParameter', 'Empty message'],
  ['an SNS message that is not a string', (w) => w.t.publish({ message: { a: 1 } } as never), 'SimulatorError', 'message'],
  ['an SNS message over 262144 bytes', (w) => w.t.publish({ message: 'x'.repeat(262_145) }), 'InvalidParameter', 'Message too long'],
  ['an SNS message whose attributes take it over 262144 bytes', (w) => w.t.publish({ message: 'x'.repeat(262_140), messageAttributes: { kind: attr('String', 'order') } }), 'InvalidParameter', 'Message too long'],
  ['an SNS subject of 101 characters', (w) => w.t.publish({ message: 'x', subject: 's'.repeat(101) }), 'InvalidParameter', 'Subject'],
  ['an empty SNS subject', (w) => w.t.publish({ message: 'x', subject: '' }), 'InvalidParameter', 'Subject'],
  ['an SNS subject with a line break', (w) => w.t.publish({ message: 'x', subject: 'a\nb' }), 'InvalidParameter', 'Subject'],
  ['an SNS subject that is not a string', (w) => w.t.publish({ message: 'x', subject: 5 as never }), 'SimulatorError', 'subject'],
  ['a publish input that is not an object', (w) => w.t.publish(null as never), 'SimulatorError', 'null'],
  ['a publish with an unknown member', (w) => w.t.publish({ message: 'x', mesageGroupId: 'g' } as never), 'SimulatorError', 'mesageGroupId'],
  ['SNS message attributes that are not an object', (w) => w.t.publish({ message: 'x', messageAttributes: null as never }), 'SimulatorError', 'messageAttributes'],
  ['an SNS message attribute that is null', (w) => w.t.publish({ message: 'x', messageAttributes: { a: null } as never }), 'SimulatorError', "'a'"],
  ['an SNS message attribute written with the SDK\'s member names (DataType, StringValue)', (w) => w.t.publish({ message: 'x', messageAttributes: { kind: { DataType: 'String', StringValue: 'order' } } as never }), 'SimulatorError', 'Unknown option "DataType" for message attribute \'kind\'; allowed: dataType, stringValue, binaryValue'],
  ['an SNS message attribute of type Date', (w) => w.t.publish({ message: 'x', messageAttributes: { d: attr('Date', 'today') } }), 'ParameterValueInvalid', "The message attribute 'd' has an invalid message attribute type"],
  ['an SNS String attribute with an empty value', (w) => w.t.publish({ message: 'x', messageAttributes: { s: attr('String', '') } }), 'ParameterValueInvalid', "'s' must contain non-empty message attribute value for message attribute type 'String'"],
  ['an SNS Binary attribute given a string value', (w) => w.t.publish({ message: 'x', messageAttributes: { b: attr('Binary', 'AAEC') } }), 'ParameterValueInvalid', "'b' with type 'Binary' must use field 'Binary'"],
  ['an SNS Number attribute that is not a number', (w) => w.t.publish({ message: 'x', messageAttributes: { price: attr('Number', 'ten') } }), 'ParameterValueInvalid', "Could not cast message attribute 'price' value to number."],
  ['an SNS attribute name with a space', (w) => w.t.publish({ message: 'x', messageAttributes: { 'a b': attr('String', 'v') } }), 'ParameterValueInvalid', "'#x20'"],
  ['an SNS attribute name starting with a period', (w) => w.t.publish({ message: 'x', messageAttributes: { '.a': attr('String', 'v') } }), 'ParameterValueInvalid', "starting with character '.'"],
  ['an SNS attribute name with two periods in a row', (w) => w.t.publish({ message: 'x', messageAttributes: { 'a..b': attr('String', 'v') } }), 'ParameterValueInvalid', "successive '.'"],
  ['an SNS attribute name of 257 characters', (w) => w.t.publish({ message: 'x', messageAttributes: { ['n'.repeat(257)]: attr('String', 'v') } }), 'ParameterValueInvalid', '256 bytes'],
  ['subscribing null', (w) => w.t.subscribe(null as never), 'SimulatorError', 'null'],
  ['subscribing a number', (w) => w.t.subscribe(42 as never), 'SimulatorError', '42'],
  ['subscribing an empty endpoint', (w) => w.t.subscribe(''), 'ValidationException', 'functionName'],
  ['subscribing a function name that does not exist', (w) => w.t.subscribe('nope'), 'ResourceNotFoundException', 'nope'],
  ['subscribing a FIFO queue to a standard topic', (w) => w.t.subscribe(w.fifo), 'InvalidParameter', 'FIFO SQS Queues can not be subscribed to standard SNS topics'],
  ['subscribing a function to a FIFO topic', (w) => w.ft.subscribe('fn'), 'InvalidParameter', 'Invalid parameter: Invalid protocol type: lambda'],
  ['subscribing a destination object to a FIFO topic', (w) => w.ft.subscribe({ arn: 'arn:aws:s3:::spy', deliver: () => undefined }), 'SimulatorError', 'a FIFO topic delivers to SQS queues only'],
  ['subscribing a destination object with an SQS FIFO queue ARN to a FIFO topic', (w) => w.ft.subscribe({ arn: w.fifo.arn, deliver: () => undefined }), 'SimulatorError', 'a FIFO topic delivers to SQS queues only'],
  ['subscribing with an unknown option', (w) => w.t.subscribe(w.dlq, { rawDelivery: true } as never), 'SimulatorError', 'Unknown option "rawDelivery"'],
  ['rawMessageDelivery given as the string \'true\'', (w) => w.t.subscribe(w.dlq, { rawMessageDelivery: 'true' as never }), 'SimulatorError', 'Invalid rawMessageDelivery for topic t: expected true or false, got "true"'],
  ['rawMessageDelivery on a Lambda subscription', (w) => w.t.subscribe('arn:aws:lambda:us-east-1:123456789012:function:fn:1', { rawMessageDelivery: true }), 'InvalidParameter', 'Invalid parameter: Attributes Reason: Delivery protocol [lambda] does not support raw message delivery.'],
  ['rawMessageDelivery false on a Lambda subscription (SNS refuses the attribute, whatever its value)', (w) => w.t.subscribe('arn:aws:lambda:us-east-1:123456789012:function:fn:1', { rawMessageDelivery: false }), 'InvalidParameter', 'Delivery protocol [lambda] does not support raw message delivery.'],
  ['rawMessageDelivery on a destination that is not an SQS queue', (w) => w.t.subscribe({ arn: 'arn:aws:s3:::spy', deliver: () => undefined }, { rawMessageDelivery: true }), 'SimulatorError', 'arn:aws:s3:::spy is not an SQS queue'],
  ['re-subscribing a queue with another rawMessageDelivery', (w) => w.t.subscribe(w.q, { rawMessageDelivery: true }), 'InvalidParameter', 'different attributes'],
  ['publishing to a FIFO topic without MessageGroupId', (w) => w.ft.publish({ message: 'x', messageDeduplicationId: 'd1' }), 'InvalidParameter', 'The MessageGroupId parameter is required for FIFO topics'],
  ['publishing to a FIFO topic without MessageDeduplicationId', (w) => w.ft.publish({ message: 'x', messageGroupId: 'g' }), 'InvalidParameter', 'MessageDeduplicationId provided explicitly'],
  ['publishing to a FIFO topic with a MessageGroupId of 129 characters', (w) => w.ft.publish({ message: 'x', messageGroupId: 'g'.repeat(129), messageDeduplicationId: 'd1' }), 'InvalidParameter', 'MessageGroupId'],
  ['publishing to a standard topic with a MessageDeduplicationId', (w) => w.t.publish({ message: 'x', messageDeduplicationId: 'd1' }), 'InvalidParameter', 'MessageDeduplicationId'],
  // filter policies
  ['a filter policy that is not JSON', (w) => w.t.subscribe(w.dlq, { filterPolicy: '{kind' }), 'InvalidParameter', 'failed to parse JSON'],
  ['a filter policy that is a JSON array', (w) => w.t.subscribe(w.dlq, { filterPolicy: '["a"]' }), 'InvalidParameter', 'JSON object'],
  ['a filter policy that is a number', (w) => w.t.subscribe(w.dlq, { filterPolicy: 5 as never }), 'SimulatorError', 'filterPolicy'],
  ['a filter policy with 6 keys', (w) => w.t.subscribe(w.dlq, { filterPolicy: { a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] } }), 'InvalidParameter', 'more than 5 keys'],
  ['a filter policy with an empty array', (w) => w.t.subscribe(w.dlq, { filterPolicy: { a: [] } }), 'InvalidParameter', 'Empty arrays'],
  ['a filter policy key that is a string', (w) => w.t.subscribe(w.dlq, { filterPolicy: { a: 'x' } }), 'InvalidParameter', '"a" must be an object or an array'],
  ['a filter policy with a wildcard match', (w) => w.t.subscribe(w.dlq, { filterPolicy: { a: [{ wildcard: 'x*' }] } }), 'InvalidParameter', 'Unrecognized match type wildcard'],
  ['a filter policy with a bad numeric operator', (w) => w.t.subscribe(w.dlq, { filterPolicy: { a: [{ numeric: ['!=', 1] }] } }), 'InvalidParameter', 'Unrecognized numeric range operator: !='],
  ['a filter policy numeric range bottom above top', (w) => w.t.subscribe(w.dlq, { filterPolicy: { a: [{ numeric: ['>', 5, '<', 1] }] } }), 'InvalidParameter', 'Bottom must be less than top'],
  ['a filter policy exists that is not a boolean', (w) => w.t.subscribe(w.dlq, { filterPolicy: { a: [{ exists: 'yes' }] } }), 'InvalidParameter', 'exists match pattern'],
  ['a filter policy prefix that is not a string', (w) => w.t.subscribe(w.dlq, { filterPolicy: { a: [{ prefix: 1 }] } }), 'InvalidParameter', 'prefix match pattern must be a string'],
  ['a filter policy match value that is an array', (w) => w.t.subscribe(w.dlq, { filterPolicy: { a: [[1]] } }), 'InvalidParameter', 'Match value must be'],
  ['a filter policy with two keys in one match', (w) => w.t.subscribe(w.dlq, { filterPolicy: { a: [{ prefix: 'x', suffix: 'y' }] } }), 'InvalidParameter', 'Only one key'],
  ['a nested filter policy under the attribute scope', (w) => w.t.subscribe(w.dlq, { filterPolicy: { a: { b: ['x'] } } }), 'InvalidParameter', 'does not support nested'],
  ['a filter policy over 150 combinations', (w) => w.t.subscribe(w.dlq, { filterPolicy: { a: Array.from({ length: 13 }, (_, i) => `${i}`), b: Array.from({ length: 13 }, (_, i) => `${i}`) } }), 'InvalidParameter', 'too complex'],
  ['a malformed CIDR', (w) => w.t.subscribe(w.dlq, { filterPolicy: { ip: [{ cidr: '10.0.0.0' }] } }), 'InvalidParameter', 'CIDR'],
  ['a filter policy object holding a BigInt', (w) => w.t.subscribe(w.dlq, { filterPolicy: { a: [1n] } as never }), 'SimulatorError', 'filterPolicy.a[0]'],
  ['a filter policy object that is circular', (w) => w.t.subscribe(w.dlq, { filterPolicy: circular }), 'SimulatorError', 'filterPolicy.self'],
  ['a filter policy object with an undefined value (JSON would drop the key)', (w) => w.t.subscribe(w.dlq, { filterPolicy: { kind: undefined } }), 'SimulatorError', 'filterPolicy.kind'],
  ['a filter policy object with NaN (JSON would make it null)', (w) => w.t.subscribe(w.dlq, { filterPolicy: { n: [Number.NaN] } }), 'SimulatorError', 'NaN'],
  // eslint-disable-next-line no-sparse-arrays
  ['a filter policy array with a hole', (w) => w.t.subscribe(w.dlq, { filterPolicy: { a: ['x', , 'y'] } }), 'SimulatorError', 'filterPolicy.a[1] is undefined'],
  ['a filterPolicyScope that is not SNS\'s', (w) => w.t.subscribe(w.dlq, { filterPolicyScope: 'Body' as never }), 'InvalidParameter', 'Invalid value [Body]'],
  ['subscribe options that are not an object', (w) => w.t.subscribe(w.dlq, 'raw' as never), 'SimulatorError', '"raw"'],
  ['re-subscribing an endpoint with another filter policy', (w) => w.t.subscribe('fn', { filterPolicy: { kind: ['refund'] } }), 'InvalidParameter', 'different attributes'],
  ['setSubscriptionAttributes on a missing subscription', (w) => w.t.setSubscriptionAttributes(`${w.t.arn}:nope`, 'FilterPolicy', '{}'), 'NotFound', 'Subscription does not exist'],
  ['setSubscriptionAttributes with an unknown attribute', (w) => w.t.setSubscriptionAttributes(w.subArn, 'FakeAttribute' as never, 'true'), 'InvalidParameter', 'AttributeName'],
  ['setSubscriptionAttributes RawMessageDelivery yes', (w) => w.t.setSubscriptionAttributes(w.t.subscriptions[1]?.arn as string, 'RawMessageDelivery', 'yes'), 'InvalidParameter', 'Invalid parameter: RawMessageDelivery: Invalid value [yes]. Must be true or false.'],
  ['setSubscriptionAttributes RawMessageDelivery on a Lambda subscription', (w) => w.t.setSubscriptionAttributes(w.subArn, 'RawMessageDelivery', 'true'), 'InvalidParameter', 'Invalid parameter: Delivery protocol [lambda] does not support raw message delivery.'],
  ['setSubscriptionAttributes RawMessageDelivery given a boolean', (w) => w.t.setSubscriptionAttributes(w.t.subscriptions[1]?.arn as string, 'RawMessageDelivery', true as never), 'SimulatorError', 'Invalid RawMessageDelivery value: expected a string, got true'],
  ['setSubscriptionAttributes FilterPolicy that is not JSON', (w) => w.t.setSubscriptionAttributes(w.subArn, 'FilterPolicy', '{'), 'InvalidParameter', 'FilterPolicy: failed to parse JSON'],
  ['setSubscriptionAttributes FilterPolicy value that is not a string', (w) => w.t.setSubscriptionAttributes(w.subArn, 'FilterPolicy', { kind: ['x'] } as never), 'SimulatorError', 'FilterPolicy'],
  ['setSubscriptionAttributes FilterPolicyScope Body', (w) => w.t.setSubscriptionAttributes(w.subArn, 'FilterPolicyScope', 'Body'), 'InvalidParameter', 'Invalid value [Body]'],
  ['setSubscriptionAttributes a nested FilterPolicy under the attribute scope', (w) => w.t.setSubscriptionAttributes(w.subArn, 'FilterPolicy', '{"a":{"b":["x"]}}'), 'InvalidParameter', 'nested'],
  // an array (or a function) where an options or input object is expected: refused, never read as an empty object
  ['queue options that are an array', (w) => w.sim.createQueue('extra', [] as never), 'SimulatorError', 'Invalid options for queue extra: expected an object, got []'],
  ['a redrive policy that is an array', (w) => w.sim.createQueue('extra', { redrivePolicy: [] as never }), 'SimulatorError', 'Invalid redrivePolicy for queue extra: expected { deadLetterTargetArn, maxReceiveCount }, got []'],
  ['a send input that is an array', (w) => w.q.sendMessage([] as never), 'SimulatorError', 'Invalid sendMessage input for queue q: expected { body: string, … }, got []'],
  ['a batch entry that is an array (an InvalidBatchEntryId before)', (w) => w.q.sendMessageBatch([{ id: 'a', body: 'x' }, [] as never]), 'SimulatorError', 'Invalid sendMessageBatch entry 1: expected { id, body, … }, got []'],
  ['message attributes that are an array', (w) => w.q.sendMessage({ body: 'x', messageAttributes: [] as never }), 'SimulatorError', 'Invalid messageAttributes: expected an object of { dataType, stringValue | binaryValue }, got []'],
  ['receive options that are an array', (w) => w.q.receive([] as never), 'SimulatorError', 'Invalid receive options for queue q: expected an object, got []'],
  ['receive options that are a function', (w) => w.q.receive((() => 1) as never), 'SimulatorError', 'Invalid receive options for queue q: expected an object, got a function'],
  ['a publish input that is an array', (w) => w.t.publish([] as never), 'SimulatorError', 'Invalid publish input for topic t: expected { message, subject?, messageAttributes? }, got []'],
  ['a publish input that is a function', (w) => w.t.publish((() => 'x') as never), 'SimulatorError', 'Invalid publish input for topic t: expected { message, subject?, messageAttributes? }, got a function'],
  ['SNS message attributes that are an array', (w) => w.t.publish({ message: 'x', messageAttributes: [] as never }), 'SimulatorError', 'Invalid messageAttributes: expected an object of { dataType, stringValue | binaryValue }, got []'],
  ['an SNS message attribute that is an array', (w) => w.t.publish({ message: 'x', messageAttributes: { kind: [] as never } }), 'SimulatorError', "Invalid message attribute 'kind': expected { dataType, stringValue | binaryValue }, got []"],
  ['subscribe options that are an array', (w) => w.t.subscribe(w.dlq, [] as never), 'SimulatorError', 'Invalid subscribe options for topic t: expected an object, got []'],
  ['a filter policy that is an array', (w) => w.t.subscribe(w.dlq, { filterPolicy: [] as never }), 'SimulatorError', 'Invalid filterPolicy for topic t: expected a JSON string or an object, got []'],
  ['a subscription target that is an array', (w) => w.t.subscribe([] as never), 'SimulatorError', 'Invalid subscription target for topic t: expected a function (handle, name or ARN) or a destination with an arn, got []'],
  ['a subscription target that is an array carrying an arn (subscribed that ARN before)', (w) => w.t.subscribe(Object.assign([], { name: 'dlq', arn: w.dlq.arn }) as never), 'SimulatorError', 'Invalid subscription target for topic t: expected a function (handle, name or ARN) or a destination with an arn, got []'],
]

async function expectRefusedAndUnchanged(call: (w: World) => unknown, name: string, text: string): Promise<void> {
  const w = setup()
  const fresh = setup()
  const before = snapshot(w)
  expect(snapshot(fresh)).toBe(before)
  const error = await thrownBy(() => call(w))
  expect(error, 'the call must be refused').toBeInstanceOf(Error)
  expect((error as Error).name).toBe(name)
  expect((error as Error).message).toContain(text)
  expect(snapshot(w), 'the refused call changed the state').toBe(before)
  await continuation(w)
  await continuation(fresh)
  expect(snapshot(w), 'the refused call left something behind that a later call shows').toBe(snapshot(fresh))
}

describe('bad input to queues and topics: a named error and nothing changed', () => {
  it('the catalogue has one entry per rule (distinct labels)', () => {
    expect(new Set(catalogue.map((e) => e[0])).size).toBe(catalogue.length)
    expect(catalogue.length).toBeGreaterThanOrEqual(60)
  })

  it.each(catalogue)('%s', async (_label, call, name, text) => {
    await expectRefusedAndUnchanged(call, name, text)
  })
})

describe('delete by receipt handle', () => {
  it('a stale but well-formed receipt handle, or the id of a deleted message, deletes nothing and is not an error (as SQS answers a stale handle)', () => {
    const sim = createSimulator()
    const q = sim.createQueue('q', { visibilityTimeout: 0 })
    const { messageId } = q.sendMessage({ body: 'x' })
    const first = q.receive()[0]?.receiptHandle as string
    const second = q.receive()[0]?.receiptHandle as string
    expect(q.delete(first)).toBe(false)
    expect(q.delete(second)).toBe(true)
    expect(q.delete(messageId)).toBe(false)
    expect(q.delete(second)).toBe(false)
  })
})

describe('queue attributes', () => {
  it('setting visibilityTimeout to 0–43200 applies to the next receive (SetQueueAttributes)', () => {
    const sim = createSimulator()
    const q = sim.createQueue('q')
    q.sendMessage({ body: 'x' })
    q.visibilityTimeout = 120
    expect(q.visibilityTimeout).toBe(120)
    expect(q.receive()[0]?.visibleAt).toBe(sim.now() + 120_000)
  })
})

describe('FIFO topics', () => {
  it('a FIFO topic with ContentBasedDeduplication: a publish without MessageDeduplicationId is deduplicated by the SHA-256 of the message, which a subscribed FIFO queue receives; an explicit id overrides it', async () => {
    const sim = createSimulator()
    const ft = sim.createTopic('orders.fifo', { contentBasedDeduplication: true })
    expect(ft.contentBasedDeduplication).toBe(true)
    const queue = sim.createQueue('orders.fifo')
    ft.subscribe(queue)
    const sha = createHash('sha256').update('a').digest('hex')
    const first = ft.publish({ message: 'a', messageGroupId: 'g' })
    // The same body, another group or subject: the same deduplication id (the body only).
    expect(ft.publish({ message: 'a', messageGroupId: 'h', subject: 's' })).toEqual(first)
    expect(ft.messages.map((m) => [m.message, m.messageDeduplicationId])).toEqual([['a', sha]])
    expect(queue.messages.map((m) => [m.messageGroupId, m.messageDeduplicationId])).toEqual([['g', sha]])
    // An explicit id overrides the generated one; one equal to the generated id is a duplicate.
    ft.publish({ message: 'a', messageGroupId: 'g', messageDeduplicationId: 'explicit' })
    expect(ft.publish({ message: 'b', messageGroupId: 'g', messageDeduplicationId: sha })).toEqual(first)
    expect(ft.messages.map((m) => [m.message, m.messageDeduplicationId])).toEqual([['a', sha], ['a', 'explicit']])
    await sim.advanceBy(300_000)
    expect(ft.publish({ message: 'a', messageGroupId: 'g' })).not.toEqual(first)
    expect(ft.messages).toHaveLength(3)
  })

  it('without ContentBasedDeduplication a FIFO publish needs MessageDeduplicationId: InvalidParameter "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"', () => {
    const sim = createSimulator()
    for (const ft of [sim.createTopic('a.fifo'), sim.createTopic('b.fifo', { contentBasedDeduplication: false })]) {
      expect(ft.contentBasedDeduplication).toBe(false)
      expect(() => ft.publish({ message: 'a', messageGroupId: 'g' })).toThrow(expect.objectContaining({ name: 'InvalidParameter', statusCode: 400, message: 'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly' }))
      expect(ft.messages).toEqual([])
    }
    expect(sim.createTopic('plain').contentBasedDeduplication).toBe(false)
  })

  it('CreateTopic is idempotent: the same name with the same or no contentBasedDeduplication returns the topic; a different value is InvalidParameter "Invalid parameter: Attributes Reason: Topic already exists with different attributes"', () => {
    const sim = createSimulator()
    const ft = sim.createTopic('orders.fifo', { contentBasedDeduplication: true })
    expect(sim.createTopic('orders.fifo')).toBe(ft)
    expect(sim.createTopic('orders.fifo', {})).toBe(ft)
    expect(sim.createTopic('orders.fifo', { contentBasedDeduplication: true })).toBe(ft)
    expect(() => sim.createTopic('orders.fifo', { contentBasedDeduplication: false })).toThrow(expect.objectContaining({ name: 'InvalidParameter', statusCode: 400, message: 'Invalid parameter: Attributes Reason: Topic already exists with different attributes' }))
    const plain = sim.createTopic('plain.fifo')
    expect(sim.createTopic('plain.fifo', { contentBasedDeduplication: false })).toBe(plain)
    expect(() => sim.createTopic('plain.fifo', { contentBasedDeduplication: true })).toThrow('Invalid parameter: Attributes Reason: Topic already exists with different attributes')
    expect(plain.contentBasedDeduplication).toBe(false)
  })

  it('a FIFO topic takes a MessageDeduplicationId seen in the last 5 minutes without storing it again, and answers with the first message id', async () => {
    const sim = createSimulator()
    const ft = sim.createTopic('orders.fifo')
    const first = ft.publish({ message: 'a', messageGroupId: 'g', messageDeduplicationId: 'd' })
    await sim.advanceBy(299_999)
    expect(ft.publish({ message: 'b', messageGroupId: 'g', messageDeduplicationId: 'd' })).toEqual(first)
    expect(ft.messages.map((m) => [m.message, m.messageGroupId, m.messageDeduplicationId])).toEqual([['a', 'g', 'd']])
    await sim.advanceBy(1)
    expect(ft.publish({ message: 'c', messageGroupId: 'g', messageDeduplicationId: 'd' })).not.toEqual(first)
    expect(ft.messages.map((m) => m.message)).toEqual(['a', 'c'])
  })

  it('a FIFO topic takes only SQS queues: subscribing a function (by handle, name or ARN) is InvalidParameter "Invalid parameter: Invalid protocol type: lambda" and subscribes nothing', () => {
    const sim = createSimulator()
    const fn = sim.createFunction('consumer', async () => 1)
    const ft = sim.createTopic('orders.fifo')
    for (const target of [fn, 'consumer', fn.arn, `${fn.arn}:$LATEST`]) {
      expect(() => ft.subscribe(target)).toThrow(expect.objectContaining({ name: 'InvalidParameter', statusCode: 400, message: 'Invalid parameter: Invalid protocol type: lambda' }))
    }
    expect(ft.subscriptions).toEqual([])
    // Standard and FIFO queues are SNS FIFO topics' subscribers.
    const standard = sim.createQueue('orders-standard')
    const fifo = sim.createQueue('orders.fifo')
    expect([ft.subscribe(standard).endpoint, ft.subscribe(fifo).endpoint]).toEqual([standard.arn, fifo.arn])
    ft.publish({ message: 'a', messageGroupId: 'g', messageDeduplicationId: 'd' })
    expect(standard.bodies.map((b) => (b as { Message: string; TopicArn: string }).Message)).toEqual(['a'])
    expect(sim.metrics.invocations).toBe(0)
  })

  it('a FIFO topic takes only the simulator\'s SQS queues: a destination object that is not a Queue is refused with a SimulatorError, even one claiming an SQS queue\'s ARN (deliver() cannot carry the group and deduplication IDs); nothing is subscribed', () => {
    const sim = createSimulator()
    const ft = sim.createTopic('orders.fifo')
    const q = sim.createQueue('orders.fifo')
    const delivered: string[] = []
    const sinks = [
      { arn: 'arn:aws:s3:::spy', deliver: (d: { body: string }) => void delivered.push(d.body) },
      { arn: q.arn, deliver: (d: { body: string }) => void delivered.push(d.body) },
      { arn: 'arn:aws:sqs:us-east-1:123456789012:standard-elsewhere', deliver: (d: { body: string }) => void delivered.push(d.body) },
    ]
    for (const sink of sinks) {
      expect(() => ft.subscribe(sink)).toThrow(expect.objectContaining({
        name: 'SimulatorError',
        message: `Invalid subscription target for FIFO topic orders.fifo: a FIFO topic delivers to SQS queues only, with each message's group and deduplication IDs, which a destination object's deliver() cannot receive; subscribe a queue from sim.createQueue (got a destination object with ARN ${sink.arn})`,
      }))
    }
    expect(ft.subscriptions).toEqual([])
    // The queue itself is taken, and a standard topic still takes any destination object.
    expect(ft.subscribe(q).endpoint).toBe(q.arn)
    const t = sim.createTopic('orders')
    expect(t.subscribe(sinks[0] as { arn: string; deliver: (d: { body: string }) => void }).endpoint).toBe('arn:aws:s3:::spy')
    ft.publish({ message: 'a', messageGroupId: 'g', messageDeduplicationId: 'd' })
    t.publish({ message: 'b' })
    expect(q.messages.map((m) => [(JSON.parse(m.body) as { Message: string }).Message, m.messageGroupId])).toEqual([['a', 'g']])
    expect(delivered.map((b) => (JSON.parse(b) as { Message: string }).Message)).toEqual(['b'])
  })

  it('an SNS FIFO topic passes the message group ID and deduplication ID to a subscribed SQS FIFO queue, and no group ID to a standard queue', () => {
    const sim = createSimulator()
    const ft = sim.createTopic('prices.fifo')
    const fifo = sim.createQueue('wholesale.fifo')
    const standard = sim.createQueue('analytics')
    ft.subscribe(fifo)
    ft.subscribe(standard)
    ft.publish({ message: 'm1', messageGroupId: 'product-214', messageDeduplicationId: 'd1' })
    ft.publish({ message: 'm2', messageGroupId: 'product-799', messageDeduplicationId: 'd2' })
    ft.publish({ message: 'm1 again', messageGroupId: 'product-214', messageDeduplicationId: 'd1' })
    const notice = (body: string): [string, string] => {
      const n = JSON.parse(body) as { Message: string; TopicArn: string }
      return [n.Message, n.TopicArn]
    }
    expect(fifo.messages.map((m) => [...notice(m.body), m.messageGroupId, m.messageDeduplicationId])).toEqual([
      ['m1', ft.arn, 'product-214', 'd1'],
      ['m2', ft.arn, 'product-799', 'd2'],
    ])
    expect(fifo.messages.map((m) => m.sequenceNumber)).toEqual(['18000000000000000001', '18000000000000000002'])
    expect(standard.messages.map((m) => [notice(m.body)[0], m.messageGroupId, m.messageDeduplicationId])).toEqual([
      ['m1', undefined, undefined],
      ['m2', undefined, undefined],
    ])
    expect(sim.timeline.ofType('warning').map((e) => e.kind)).toEqual([])
  })

  it('a function gets the messages of an SNS FIFO topic through a subscribed SQS FIFO queue and its event source mapping, in order per group', async () => {
    const sim = createSimulator()
    const seen: [string, string | undefined][] = []
    sim.createFunction('consumer', async (event: { Records: { body: string; attributes: Record<string, string> }[] }) => {
      for (const r of event.Records) seen.push([(JSON.parse(r.body) as { Message: string }).Message, r.attributes.MessageGroupId])
    })
    const ft = sim.createTopic('orders.fifo')
    const q = sim.createQueue('orders.fifo')
    ft.subscribe(q)
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer', batchSize: 1 })
    for (const [i, g] of ['a', 'b', 'a', 'b'].entries()) ft.publish({ message: `${g}${i}`, messageGroupId: g, messageDeduplicationId: `d${i}` })
    await sim.runUntilIdle()
    expect(seen.filter(([, g]) => g === 'a')).toEqual([['a0', 'a'], ['a2', 'a']])
    expect(seen.filter(([, g]) => g === 'b')).toEqual([['b1', 'b'], ['b3', 'b']])
    expect(q.size).toBe(0)
  })

  it('a standard topic takes a valid MessageGroupId (fair queues) and stores no FIFO fields', () => {
    const sim = createSimulator()
    const t = sim.createTopic('orders')
    t.publish({ message: 'a', messageGroupId: 'g' })
    expect(t.messages[0]).not.toHaveProperty('messageGroupId')
  })
})

describe('the check itself', () => {
  it('catches a refused call that drew from the seeded source before throwing (the continuation differs)', async () => {
    const w = setup()
    const fresh = setup()
    const before = snapshot(w)
    const error = await thrownBy(() => {
      // The simulator's id source (internal: what every id of a queue or topic is drawn from).
      ;(w.sim as unknown as { uuid(): string }).uuid()
      throw new Error('refused after a draw')
    })
    expect((error as Error).message).toBe('refused after a draw')
    expect(snapshot(w)).toBe(before)
    await continuation(w)
    await continuation(fresh)
    expect(snapshot(w)).not.toBe(snapshot(fresh))
  })
})

describe('SendMessageBatch with one bad entry: the others are sent, the bad one is reported and draws nothing', () => {
  /** The batch on one world; the good entries sent one by one on another: the two must be identical. */
  async function expectOnlyGoodEntriesSent(
    pick: (w: World) => Queue,
    entries: Parameters<Queue['sendMessageBatch']>[0],
    bad: { id: string; code: string; text: string },
  ): Promise<void> {
    const w = setup()
    const alone = setup()
    const r = pick(w).sendMessageBatch(entries)
    expect(r.failed).toEqual([{ id: bad.id, code: bad.code, message: expect.stringContaining(bad.text) as unknown, senderFault: true }])
    const good = entries.filter((e) => e.id !== bad.id)
    expect(r.successful.map((s) => s.id)).toEqual(good.map((e) => e.id))
    for (const { id: _id, ...input } of good) pick(alone).sendMessage(input)
    expect(snapshot(w)).toBe(snapshot(alone))
    await continuation(w)
    await continuation(alone)
    expect(snapshot(w)).toBe(snapshot(alone))
  }

  it('a body with a character SQS refuses fails alone with InvalidMessageContents', async () => {
    await expectOnlyGoodEntriesSent((w) => w.q, [{ id: 'a', body: 'first' }, { id: 'b', body: 'bad\u0000' }, { id: 'c', body: 'third' }], { id: 'b', code: 'InvalidMessageContents', text: '#x0' })
  })

  it('an empty body fails alone with MissingParameter', async () => {
    await expectOnlyGoodEntriesSent((w) => w.q, [{ id: 'a', body: '' }, { id: 'b', body: 'second' }], { id: 'a', code: 'MissingParameter', text: 'MessageBody' })
  })

  it('an entry over the queue maximumMessageSize fails alone, in the batch wording', async () => {
    await expectOnlyGoodEntriesSent((w) => w.small, [{ id: 'a', body: 'ok' }, { id: 'b', body: 'x'.repeat(1025) }], { id: 'b', code: 'InvalidParameterValue', text: 'One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.' })
  })

  it('an entry with a bad attribute fails alone', async () => {
    await expectOnlyGoodEntriesSent((w) => w.q, [{ id: 'a', body: 'ok', messageAttributes: { n: attr('Number', 'ten') } }, { id: 'b', body: 'ok' }], { id: 'a', code: 'InvalidParameterValue', text: "'n' to a number" })
  })

  it('an entry with delaySeconds 901 fails alone', async () => {
    await expectOnlyGoodEntriesSent((w) => w.q, [{ id: 'a', body: 'ok' }, { id: 'b', body: 'late', delaySeconds: 901 }, { id: 'c', body: 'ok too', delaySeconds: 900 }], { id: 'b', code: 'InvalidParameterValue', text: 'Value 901 for parameter DelaySeconds' })
  })

  it('a FIFO entry with a bad group id fails alone (its deduplication id is not remembered)', async () => {
    await expectOnlyGoodEntriesSent((w) => w.fifo, [{ id: 'a', body: 'ok', messageGroupId: 'g', messageDeduplicationId: 'fresh' }, { id: 'b', body: 'bad', messageGroupId: 'a b', messageDeduplicationId: 'x1' }], { id: 'b', code: 'InvalidParameterValue', text: 'MessageGroupId' })
  })
})

describe('property: a random refused call after a random valid history changes nothing', () => {
  type Op =
    | { kind: 'send'; body: string; delay: number; attribute: boolean }
    | { kind: 'send-fifo'; group: string; dedup: string }
    | { kind: 'batch'; bodies: string[] }
    | { kind: 'receive'; max: number; hide: number }
    | { kind: 'publish'; kindValue: string }
    | { kind: 'subscribe'; target: 'dlq' | 'src' | 'fn'; kinds: string[] }
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('send' as const), body: fc.string({ minLength: 1, maxLength: 8, unit: 'grapheme-ascii' }), delay: fc.integer({ min: 0, max: 900 }), attribute: fc.boolean() }),
    fc.record({ kind: fc.constant('send-fifo' as const), group: fc.constantFrom('g', 'h'), dedup: fc.constantFrom('d1', 'd2', 'x1', 'fresh', 'n1') }),
    fc.record({ kind: fc.constant('batch' as const), bodies: fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 10 }) }),
    fc.record({ kind: fc.constant('receive' as const), max: fc.integer({ min: 1, max: 10 }), hide: fc.integer({ min: 0, max: 120 }) }),
    fc.record({ kind: fc.constant('publish' as const), kindValue: fc.constantFrom('order', 'refund') }),
    fc.record({ kind: fc.constant('subscribe' as const), target: fc.constantFrom('dlq' as const, 'src' as const, 'fn' as const), kinds: fc.array(fc.constantFrom('order', 'refund'), { minLength: 1, maxLength: 2 }) }),
  )

  function apply(w: World, ops: Op[]): void {
    for (const o of ops) {
      try {
        if (o.kind === 'send') w.q.sendMessage(o.attribute ? { body: o.body, delaySeconds: o.delay, messageAttributes: { k: attr('String', o.body) } } : { body: o.body, delaySeconds: o.delay })
        else if (o.kind === 'send-fifo') w.fifo.sendMessage({ body: o.dedup, messageGroupId: o.group, messageDeduplicationId: o.dedup })
        else if (o.kind === 'batch') w.q.sendMessageBatch(o.bodies.map((body, i) => ({ id: `e${i}`, body })))
        else if (o.kind === 'receive') w.q.receive({ maxNumberOfMessages: o.max, visibilityTimeout: o.hide })
        else if (o.kind === 'publish') w.t.publish({ message: o.kindValue, messageAttributes: { kind: attr('String', o.kindValue) } })
        else w.t.subscribe(o.target === 'fn' ? 'fn' : w[o.target], { filterPolicy: { kind: o.kinds } })
      } catch (error) {
        // Re-subscribing with other filter attributes is refused: part of a valid history all the same.
        if (!(error instanceof Error && error.message.includes('different attributes'))) throw error
      }
    }
  }

  it('the snapshot is unchanged, and the same continuation gives the same state as without the call', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 12 }), fc.integer({ min: 0, max: catalogue.length - 1 }), fc.integer({ min: 1, max: 1000 }), async (ops, index, seed) => {
        const [, call, name] = catalogue[index] as Entry
        const w = setup(seed)
        const fresh = setup(seed)
        apply(w, ops)
        apply(fresh, ops)
        const before = snapshot(w)
        const error = await thrownBy(() => call(w))
        expect((error as Error | undefined)?.name).toBe(name)
        expect(snapshot(w)).toBe(before)
        await continuation(w)
        await continuation(fresh)
        expect(snapshot(w)).toBe(snapshot(fresh))
      }),
      { numRuns: 100 },
    )
  })
})
