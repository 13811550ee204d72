import { describe, expect, expectTypeOf, it } from 'vitest'
import { createSimulator, type QueueMessage } from '../src/index.js'
import { deleteReceivedByMapping } from '../src/destinations/queue.js'

/** The queue's own SQS rules (CreateQueue, SendMessage, SendMessageBatch), checked against AWS's texts. */
describe('SQS queue rules', () => {
  it('a queue name is at most 80 characters, the .fifo suffix of a FIFO queue included', () => {
    const sim = createSimulator()
    expect(sim.createQueue('s'.repeat(80)).name).toHaveLength(80)
    expect(sim.createQueue(`${'f'.repeat(75)}.fifo`).fifo).toBe(true)
    expect(() => sim.createQueue('s'.repeat(81))).toThrow(`Invalid queue name "${'s'.repeat(81)}": 1–80 characters (letters, digits, hyphens or underscores; a FIFO queue's .fifo suffix counts), got 81`)
    expect(() => sim.createQueue(`${'g'.repeat(76)}.fifo`)).toThrow(`Invalid queue name "${'g'.repeat(76)}.fifo": 1–80 characters (letters, digits, hyphens or underscores; a FIFO queue's .fifo suffix counts), got 81`)
    expect(() => sim.createQueue('bad name')).toThrow('Invalid queue name "bad name": 1–80 characters (letters, digits, hyphens or underscores; a FIFO queue\'s .fifo suffix counts)')
  })

  it('an empty body is refused with MissingParameter; the queue is unchanged', () => {
    const sim = createSimulator()
    const q = sim.createQueue('q')
    expect(() => q.sendMessage({ body: '' })).toThrow(expect.objectContaining({ name: 'MissingParameter', message: 'The request must contain the parameter MessageBody.' }))
    expect(q.size).toBe(0)
  })

  it('a body with a character outside #x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF is refused with InvalidMessageContents naming it', () => {
    const sim = createSimulator()
    const q = sim.createQueue('q')
    const text = (hex: string): string => `Invalid binary character '#x${hex}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].`
    expect(() => q.sendMessage({ body: 'page\uFFFF' })).toThrow(expect.objectContaining({ name: 'InvalidMessageContents', message: text('FFFF') }))
    expect(() => q.sendMessage({ body: 'a\u0000b' })).toThrow(text('0'))
    expect(() => q.sendMessage({ body: 'x\u001F' })).toThrow(text('1F'))
    expect(() => q.sendMessage({ body: 'lone \uD83D' })).toThrow(text('D83D'))
    expect(() => q.sendMessage({ body: '\uFFFE' })).toThrow(text('FFFE'))
    expect(q.size).toBe(0)
    // The allowed set, its edges included: tab, newline, carriage return, U+20, U+D7FF, U+E000, U+FFFD, an astral pair.
    q.sendMessage({ body: '\t\n\r \uD7FF\uE000\uFFFD\u{1F600}\u{10FFFF}' })
    expect(q.size).toBe(1)
  })

  it('in a batch, an entry with an invalid character fails alone with InvalidMessageContents', () => {
    const sim = createSimulator()
    const q = sim.createQueue('q')
    const r = q.sendMessageBatch([{ id: '0', body: 'ok' }, { id: '9', body: '\u0001' }])
    expect(r.successful.map((e) => e.id)).toEqual(['0'])
    expect(r.failed).toEqual([{ id: '9', code: 'InvalidMessageContents', message: "Invalid binary character '#x1' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].", senderFault: true }])
    expect(q.bodies).toEqual(['ok'])
  })

  it('a DelaySeconds outside 0–900 is refused with InvalidParameterValue in SQS\'s words', () => {
    const sim = createSimulator()
    const q = sim.createQueue('q')
    expect(() => q.sendMessage({ body: 'x', delaySeconds: 901 })).toThrow(expect.objectContaining({ name: 'InvalidParameterValue', message: 'Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.' }))
    expect(() => q.sendMessage({ body: 'x', delaySeconds: -1 })).toThrow('Value -1 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.')
    expect(q.size).toBe(0)
    q.sendMessage({ body: 'x', delaySeconds: 900 })
    expect(q.messages[0]?.visibleAt).toBe(sim.now() + 900_000)
  })

  it('a FIFO queue takes DelaySeconds 0 and applies the queue\'s delay; any other per-message delay is refused', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('orders.fifo', { contentBasedDeduplication: true, delaySeconds: 2 })
    q.sendMessage({ body: 'm1', messageGroupId: '1', delaySeconds: 0 })
    expect(q.messages[0]?.visibleAt).toBe(sim.now() + 2_000)
    expect(q.receive()).toEqual([])
    await sim.advanceBy(2_000)
    expect(q.receive().map((m) => m.body)).toEqual(['m1'])
    expect(() => q.sendMessage({ body: 'm2', messageGroupId: '1', delaySeconds: 2 })).toThrow(
      expect.objectContaining({ name: 'InvalidParameterValue', message: 'Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.' }),
    )
    expect(q.size).toBe(1)
  })

  it('a MessageGroupId or MessageDeduplicationId is 1–128 alphanumeric or punctuation characters, else InvalidParameterValue', () => {
    const sim = createSimulator()
    const fifo = sim.createQueue('orders.fifo')
    const standard = sim.createQueue('jobs')
    const text = (param: string, value: string): string => `Value ${value} for parameter ${param} is invalid. Reason: ${param} can only include alphanumeric and punctuation characters. 1 to 128 in length.`
    for (const bad of ['', 'a'.repeat(129), 'group 123', 'é']) {
      expect(() => standard.sendMessage({ body: 'x', messageGroupId: bad })).toThrow(expect.objectContaining({ name: 'InvalidParameterValue', message: text('MessageGroupId', bad) }))
      expect(() => fifo.sendMessage({ body: 'x', messageGroupId: bad, messageDeduplicationId: 'd' })).toThrow(text('MessageGroupId', bad))
      expect(() => fifo.sendMessage({ body: 'x', messageGroupId: 'g', messageDeduplicationId: bad })).toThrow(expect.objectContaining({ name: 'InvalidParameterValue', message: text('MessageDeduplicationId', bad) }))
    }
    expect([standard.size, fifo.size]).toEqual([0, 0])
    const punctuation = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'
    fifo.sendMessage({ body: 'x', messageGroupId: punctuation, messageDeduplicationId: `${'d'.repeat(96)}${punctuation}` })
    standard.sendMessage({ body: 'x', messageGroupId: 'a'.repeat(128) })
    expect([standard.size, fifo.size]).toEqual([1, 1])
  })

  describe('message attributes', () => {
    type Attrs = Record<string, { dataType: string; stringValue?: string; binaryValue?: Uint8Array }>
    const send = (attributes: Attrs): (() => unknown) => {
      const sim = createSimulator()
      const q = sim.createQueue('q')
      return () => {
        try {
          return q.sendMessage({ body: 'x', messageAttributes: attributes as never })
        } finally {
          expect(q.size).toBe(0)
        }
      }
    }
    const invalid = (message: string): unknown => expect.objectContaining({ name: 'InvalidParameterValue', message })

    it('at most 10 attributes: an 11th is refused with InvalidParameterValue naming the count', () => {
      const attributes: Attrs = {}
      for (let i = 1; i <= 11; i++) attributes[`a${i}`] = { dataType: 'String', stringValue: 'v' }
      expect(send(attributes)).toThrow(invalid('Number of message attributes [11] exceeds the allowed maximum [10].'))
    })

    it('a String or Number attribute needs a non-empty string value, a Binary one a non-empty binary value', () => {
      expect(send({ ErrorDetails: { dataType: 'String', stringValue: '' } })).toThrow(invalid("Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'."))
      expect(send({ n: { dataType: 'Number' } })).toThrow(invalid("Message (user) attribute 'n' must contain a non-empty value of type 'Number'."))
      expect(send({ b: { dataType: 'Binary', stringValue: 'abc' } })).toThrow(invalid("Message (user) attribute 'b' must contain a non-empty value of type 'Binary'."))
    })

    it('a Number attribute must parse as a number', () => {
      expect(send({ Age: { dataType: 'Number', stringValue: 'Hello' } })).toThrow(invalid("Can't cast the value of message (user) attribute 'Age' to a number."))
    })

    it('the data type is String, Number or Binary, optionally with a custom label, at most 256 bytes', () => {
      expect(send({ a: { dataType: 'Invalid', stringValue: 'v' } })).toThrow(invalid('Type for parameter MessageAttributes.Attribute_name.DataType must be prefixed with "String", "Binary", or "Number", but was: Invalid'))
      expect(send({ a: { dataType: `Number.${'L'.repeat(250)}`, stringValue: '1' } })).toThrow(invalid('Message (user) attribute types must be shorter than 256 Bytes'))
    })

    it('a name is letters, digits, hyphens, underscores and periods, at most 256 characters, not starting with AWS. or Amazon. nor starting or ending with a period', () => {
      const reserved = "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for internal use. Additionally, they cannot start or end with '.'."
      for (const name of ['aWs.x', 'AMAZON.x', '.x', 'x.']) expect(send({ [name]: { dataType: 'String', stringValue: 'v' } })).toThrow(invalid(reserved))
      for (const name of ['a!b', 'a b', 'a(b', 'a?b']) {
        expect(send({ [name]: { dataType: 'String', stringValue: 'v' } })).toThrow(invalid('Message (user) attributes name can only contain upper and lower score characters, digits, periods, hyphens and underscores. '))
      }
      expect(send({ ['L'.repeat(257)]: { dataType: 'String', stringValue: 'v' } })).toThrow(invalid('Message (user) attribute names must be shorter than 256 Bytes'))
      expect(send({ '': { dataType: 'String', stringValue: 'v' } })).toThrow(invalid('The request must contain non-empty message (user) attribute names.'))
    })

    it('a string value may hold only the characters a body may', () => {
      expect(send({ attr1: { dataType: 'String', stringValue: 'Invalid-\u0008' } })).toThrow(
        invalid("Invalid binary character '#x8' was found in the message attribute 'attr1' value, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]."),
      )
    })

    it('valid attributes are kept as sent, custom labels and non-ASCII letters in names included, and the MD5 covers them', () => {
      const sim = createSimulator()
      const q = sim.createQueue('q')
      const attributes = {
        'attr.1øßä': { dataType: 'String' as const, stringValue: 'Valida' },
        UserId: { dataType: 'Number.bigint' as 'Number', stringValue: '1234567890123456789012' },
        pic: { dataType: 'Binary.gif' as 'Binary', binaryValue: new Uint8Array([1, 2, 3]) },
        n: { dataType: 'Number' as const, stringValue: '-1.5e3' },
        ['L'.repeat(256)]: { dataType: 'String' as const, stringValue: 'v' },
      }
      const r = q.sendMessage({ body: 'x', messageAttributes: attributes })
      expect(q.messages[0]?.messageAttributes).toBe(attributes)
      expect(r.md5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/)
    })
  })

  describe('SendMessageBatch', () => {
    const err = (name: string, message: string): unknown => expect.objectContaining({ name, message })

    it('an entry id is 1–80 letters, digits, hyphens or underscores, else the whole request fails with InvalidBatchEntryId', () => {
      const sim = createSimulator()
      const q = sim.createQueue('q')
      const text = 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.'
      for (const id of ['message:1', '', 'i'.repeat(81), 'a.b']) {
        expect(() => q.sendMessageBatch([{ id: 'ok', body: 'a' }, { id, body: 'b' }])).toThrow(err('InvalidBatchEntryId', text))
      }
      expect(q.size).toBe(0)
      expect(q.sendMessageBatch([{ id: `${'i'.repeat(78)}-_`, body: 'a' }]).successful).toHaveLength(1)
    })

    it('entries totalling more than 1 MiB (bodies and attributes) fail the whole request with BatchRequestTooLong', () => {
      const sim = createSimulator()
      const q = sim.createQueue('q')
      const attributes = { k: { dataType: 'String' as const, stringValue: 'x' } }
      const big = 'a'.repeat(1_048_576 - 'kStringx'.length)
      expect(() => q.sendMessageBatch([{ id: '1', body: big, messageAttributes: attributes }, { id: '2', body: 'a' }])).toThrow(
        err('BatchRequestTooLong', 'Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.'),
      )
      expect(q.size).toBe(0)
      expect(q.sendMessageBatch([{ id: '1', body: big, messageAttributes: attributes }]).successful).toHaveLength(1)
    })

    it('on a FIFO queue an entry without MessageGroupId, or without a deduplication id, fails the whole request with InvalidParameterValue', () => {
      const sim = createSimulator()
      const q = sim.createQueue('q.fifo')
      expect(() => q.sendMessageBatch([{ id: 'a', body: 'x', messageGroupId: 'g', messageDeduplicationId: 'd1' }, { id: 'b', body: 'x', messageDeduplicationId: 'd2' }])).toThrow(
        err('InvalidParameterValue', 'The request must contain the parameter MessageGroupId.'),
      )
      expect(() => q.sendMessageBatch([{ id: 'a', body: 'x', messageGroupId: 'g', messageDeduplicationId: 'd1' }, { id: 'b', body: 'x', messageGroupId: 'g' }])).toThrow(
        err('InvalidParameterValue', 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly'),
      )
      expect(q.size).toBe(0)
    })

    it('an entry that is not an object is refused before any entry is sent', () => {
      const sim = createSimulator()
      const q = sim.createQueue('q')
      expect(() => q.sendMessageBatch([{ id: 'a', body: 'x' }, null as never])).toThrow('Invalid sendMessageBatch entry 1: expected { id, body, … }, got null')
      expect(() => q.sendMessageBatch([{ id: 'a', body: 'x' }, { id: 'b', body: 7 as never }])).toThrow('Invalid message body for queue q: expected a string')
      expect(q.size).toBe(0)
    })

    it('1–10 entries with distinct ids, else EmptyBatchRequest, TooManyEntriesInBatchRequest or BatchEntryIdsNotDistinct', () => {
      const sim = createSimulator()
      const q = sim.createQueue('q')
      expect(() => q.sendMessageBatch([])).toThrow(err('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.'))
      const many = Array.from({ length: 20 }, (_, i) => ({ id: String(i), body: 'x' }))
      expect(() => q.sendMessageBatch(many)).toThrow(err('TooManyEntriesInBatchRequest', 'Maximum number of entries per request are 10. You have sent 20.'))
      expect(() => q.sendMessageBatch([{ id: '1', body: 'x' }, { id: '1', body: 'y' }])).toThrow(err('BatchEntryIdsNotDistinct', 'Id 1 repeated.'))
      expect(q.size).toBe(0)
    })
  })

  it('a standard queue keeps a message\'s MessageGroupId (fair queues), without ordering or locking by it', () => {
    const sim = createSimulator()
    const q = sim.createQueue('jobs')
    q.sendMessage({ body: 'a', messageGroupId: 'tenant-1' })
    q.sendMessage({ body: 'b', messageGroupId: 'tenant-1' })
    q.sendMessage({ body: 'c' })
    const got = q.receive({ maxNumberOfMessages: 10 })
    expect(got.map((m) => [m.body, m.messageGroupId, m.sequenceNumber, m.messageDeduplicationId])).toEqual([
      ['a', 'tenant-1', undefined, undefined],
      ['b', 'tenant-1', undefined, undefined],
      ['c', undefined, undefined, undefined],
    ])
  })

  it('a message moved to a FIFO dead-letter queue is retained from the move; to a standard one, from when it was first sent', async () => {
    for (const fifo of [true, false]) {
      const sim = createSimulator()
      const t0 = sim.now()
      const suffix = fifo ? '.fifo' : ''
      const dlq = sim.createQueue(`dlq${suffix}`, { messageRetentionPeriod: 60 })
      const q = sim.createQueue(`src${suffix}`, { visibilityTimeout: 30, redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 } })
      q.sendMessage(fifo ? { body: 'poison', messageGroupId: 'g', messageDeduplicationId: 'd' } : { body: 'poison' })
      expect(q.receive()).toHaveLength(1)
      await sim.advanceBy(40_000)
      expect(q.receive()).toEqual([])
      expect(dlq.size).toBe(1)
      await sim.advanceBy(50_000)
      // 90 s after it was sent, 50 s after the move.
      expect(dlq.receive().map((m) => [m.body, m.sentTimestamp - t0])).toEqual(fifo ? [['poison', 0]] : [])
      await sim.advanceBy(10_000)
      expect(dlq.receive({ visibilityTimeout: 0 })).toEqual([])
      expect(dlq.size).toBe(0)
    }
  })

  it('createQueue with an existing name returns that queue unless an attribute given differs: QueueNameExists', () => {
    const sim = createSimulator()
    const q = sim.createQueue('jobs', { delaySeconds: 1, visibilityTimeout: 69 })
    q.sendMessage({ body: 'kept' })
    expect(sim.createQueue('jobs')).toBe(q)
    expect(sim.createQueue('jobs', { delaySeconds: 1 })).toBe(q)
    expect(() => sim.createQueue('jobs', { visibilityTimeout: 69, delaySeconds: 2 })).toThrow(
      expect.objectContaining({ name: 'QueueNameExists', message: 'A queue already exists with the same name and a different value for attribute DelaySeconds' }),
    )
    const f = sim.createQueue('orders.fifo', { contentBasedDeduplication: true })
    expect(sim.createQueue('orders.fifo', { fifo: true, contentBasedDeduplication: true })).toBe(f)
    expect(() => sim.createQueue('orders.fifo', { contentBasedDeduplication: false })).toThrow('A queue already exists with the same name and a different value for attribute ContentBasedDeduplication')
    expect(q.bodies).toEqual(['kept'])
  })

  it('a message past the retention period is gone without any receive: messages, size and counts leave it out', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('q', { messageRetentionPeriod: 60 })
    q.sendMessage({ body: 'old' })
    await sim.advanceBy(30_000)
    q.sendMessage({ body: 'new' })
    await sim.advanceBy(29_999)
    expect([q.size, q.visibleCount]).toEqual([2, 2])
    await sim.advanceBy(1)
    expect(q.size).toBe(1)
    expect(q.bodies).toEqual(['new'])
    expect([q.visibleCount, q.inFlightCount, q.hasVisible()]).toEqual([1, 0, true])
    await sim.advanceBy(30_000)
    expect([q.size, q.messages.length, q.hasVisible(), q.nextVisibleAt()]).toEqual([0, 0, false, undefined])
  })

  it('on a FIFO queue a hidden message that SQS deletes at the end of the retention period unlocks its group then, and nextVisibleAt names that instant', async () => {
    const sim = createSimulator()
    const t0 = sim.now()
    const q = sim.createQueue('f.fifo', { contentBasedDeduplication: true, visibilityTimeout: 120, messageRetentionPeriod: 60 })
    const standard = sim.createQueue('s', { visibilityTimeout: 120, messageRetentionPeriod: 60 })
    q.sendMessage({ body: 'a1', messageGroupId: 'a' })
    standard.sendMessage({ body: 'a1' })
    await sim.advanceBy(10_000)
    q.sendMessage({ body: 'a2', messageGroupId: 'a' })
    expect(q.receive().map((m) => m.body)).toEqual(['a1'])
    expect(standard.receive().map((m) => m.body)).toEqual(['a1'])
    // a1 is in flight until 130 s but gone at 60 s; a standard queue's message unlocks nothing.
    expect([q.nextVisibleAt(), standard.nextVisibleAt()]).toEqual([t0 + 60_000, t0 + 130_000])
    await sim.advanceBy(49_999)
    expect(q.receive()).toEqual([])
    await sim.advanceBy(1)
    expect(q.receive().map((m) => m.body)).toEqual(['a2'])
    expect(q.nextVisibleAt()).toBe(t0 + 70_000)
  })

  it('a FIFO receipt handle expires with the visibility timeout: deleting with it then fails and the message stays; a standard one still deletes', async () => {
    const sim = createSimulator()
    const fifo = sim.createQueue('f.fifo', { visibilityTimeout: 1, contentBasedDeduplication: true })
    const standard = sim.createQueue('s', { visibilityTimeout: 1 })
    fifo.sendMessage({ body: 'foobar', messageGroupId: '1' })
    standard.sendMessage({ body: 'foobar' })
    const f = fifo.receive()[0]?.receiptHandle as string
    const s = standard.receive()[0]?.receiptHandle as string
    await sim.advanceBy(1_000)
    expect(() => fifo.delete(f)).toThrow(expect.objectContaining({ name: 'InvalidParameterValue', message: `Value ${f} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.` }))
    expect(deleteReceivedByMapping(fifo, new Set([f]))).toBe(0)
    expect(fifo.size).toBe(1)
    expect(standard.delete(s)).toBe(true)
    expect(standard.size).toBe(0)
    // Within the (extended) visibility timeout the FIFO handle deletes.
    const again = fifo.receive()[0]?.receiptHandle as string
    fifo.changeMessageVisibility(again, 5)
    await sim.advanceBy(1_500)
    expect(fifo.delete(again)).toBe(true)
    expect(fifo.size).toBe(0)
  })

  it('changeMessageVisibility takes 0–43,200 seconds; other values are refused with InvalidParameterValue and change nothing', () => {
    const sim = createSimulator()
    const q = sim.createQueue('q')
    q.sendMessage({ body: 'x' })
    const m = q.receive()[0]
    const handle = m?.receiptHandle as string
    for (const bad of [43_201, -1, 1.5, Number.NaN]) {
      expect(() => q.changeMessageVisibility(handle, bad)).toThrow(
        expect.objectContaining({ name: 'InvalidParameterValue', message: `Value ${String(bad)} for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.` }),
      )
    }
    expect(m?.visibleAt).toBe(sim.now() + 30_000)
    q.changeMessageVisibility(handle, 43_200)
    expect(m?.visibleAt).toBe(sim.now() + 43_200_000)
  })

  it('changeMessageVisibility on a standard message that is visible again is accepted and changes nothing (SQS answers 200, no MessageNotInflight)', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('q', { visibilityTimeout: 1 })
    q.sendMessage({ body: 'test' })
    const m = q.receive()[0]
    const handle = m?.receiptHandle as string
    await sim.advanceBy(2_000)
    // Visible again since +1 s: the old handle is accepted, and the message is not hidden again.
    expect(q.changeMessageVisibility(handle, 2)).toBeUndefined()
    expect(m?.visibleAt).toBe(sim.now() - 1_000)
    expect([q.visibleCount, q.inFlightCount]).toEqual([1, 0])
    const again = q.receive()
    expect(again.map((x) => [x.body, x.receiveCount, x.receiptHandle])).toEqual([['test', 2, `${m?.messageId}#2`]])
  })

  it('changeMessageVisibility with an earlier receipt handle of a standard message received again changes the visibility of the message in flight', () => {
    const sim = createSimulator()
    const q = sim.createQueue('q')
    q.sendMessage({ body: 'test' })
    const first = q.receive({ visibilityTimeout: 0 })[0]?.receiptHandle as string
    const m = q.receive({ visibilityTimeout: 3 })[0]
    expect([first === m?.receiptHandle, m?.receiveCount]).toEqual([false, 2])
    expect(q.receive()).toEqual([])
    q.changeMessageVisibility(first, 0)
    expect(m?.visibleAt).toBe(sim.now())
    expect(q.receive().map((x) => [x.body, x.receiveCount])).toEqual([['test', 3]])
  })

  it('ChangeMessageVisibility with the receipt handle of a deleted message is InvalidParameterValue "Message does not exist or is not available for visibility timeout change."; DeleteMessage with it succeeds and deletes nothing, again and again', () => {
    const sim = createSimulator()
    const q = sim.createQueue('q')
    q.sendMessage({ body: 'foo' })
    q.sendMessage({ body: 'bar' })
    const handle = q.receive()[0]?.receiptHandle as string
    q.changeMessageVisibility(handle, 42)
    expect(q.delete(handle)).toBe(true)
    const gone = expect.objectContaining({ name: 'InvalidParameterValue', message: `Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.` })
    expect(() => q.changeMessageVisibility(handle, 42)).toThrow(gone)
    // LocalStack's AWS-validated test_delete_message_with_deleted_receipt_handle: three deletes, no error.
    expect([q.delete(handle), q.delete(handle), q.delete(handle)]).toEqual([false, false, false])
    expect(q.bodies).toEqual(['bar'])
    // The same for a message gone by retention and for one moved to its dead-letter queue: the handle was this queue's.
    const dlq = sim.createQueue('dlq')
    const src = sim.createQueue('src', { visibilityTimeout: 0, redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 } })
    src.sendMessage({ body: 'poison' })
    const first = src.receive()[0]?.receiptHandle as string
    expect(src.receive()).toEqual([])
    expect(dlq.size).toBe(1)
    expect(() => src.changeMessageVisibility(first, 5)).toThrow(expect.objectContaining({ name: 'InvalidParameterValue', message: `Value ${first} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.` }))
    expect(src.delete(first)).toBe(false)
    // The dead-letter queue keeps the message id; its first receive issues its own handle, not the source's.
    const moved = dlq.receive()[0]
    const own = moved?.receiptHandle as string
    expect(own).not.toBe(first)
    dlq.changeMessageVisibility(own, 7)
    expect(moved?.visibleAt).toBe(sim.now() + 7_000)
  })

  it('a well-formed receipt handle this queue did not issue (another queue\'s) is ReceiptHandleIsInvalid "The receipt handle "<h>" is not valid for this queue." for DeleteMessage and ChangeMessageVisibility; a malformed one "is not a valid receipt handle."', () => {
    const sim = createSimulator()
    const a = sim.createQueue('a')
    const b = sim.createQueue('b')
    a.sendMessage({ body: 'x' })
    b.sendMessage({ body: 'y' })
    const m = a.receive()[0]
    const handle = m?.receiptHandle as string
    const foreign = expect.objectContaining({ name: 'ReceiptHandleIsInvalid', message: `The receipt handle "${handle}" is not valid for this queue.` })
    expect(() => b.delete(handle)).toThrow(foreign)
    expect(() => b.changeMessageVisibility(handle, 5)).toThrow(foreign)
    // Deleted from its own queue, it is still not b's.
    expect(a.delete(handle)).toBe(true)
    expect(() => b.delete(handle)).toThrow(foreign)
    expect(() => b.changeMessageVisibility(handle, 5)).toThrow(foreign)
    // A receive count this queue never reached is no handle it issued either.
    const y = b.receive()[0]
    const forged = `${y?.messageId}#2`
    expect(() => b.changeMessageVisibility(forged, 5)).toThrow(expect.objectContaining({ name: 'ReceiptHandleIsInvalid', message: `The receipt handle "${forged}" is not valid for this queue.` }))
    expect(() => b.delete(forged)).toThrow(expect.objectContaining({ name: 'ReceiptHandleIsInvalid', message: `The receipt handle "${forged}" is not valid for this queue.` }))
    expect(b.size).toBe(1)
    // Not a receipt handle at all (LocalStack's AWS-validated test_delete_message_with_illegal_receipt_handle).
    expect(() => b.delete('garbage')).toThrow(expect.objectContaining({ name: 'ReceiptHandleIsInvalid', message: 'The input receipt handle "garbage" is not a valid receipt handle.' }))
    expect(() => b.changeMessageVisibility('INVALID', 60)).toThrow(expect.objectContaining({ name: 'ReceiptHandleIsInvalid', message: 'The input receipt handle "INVALID" is not a valid receipt handle.' }))
  })

  it('a receipt handle belongs to the queue that issued it, across a redrive: the source queue\'s handles of a message moved to its dead-letter queue are ReceiptHandleIsInvalid there (they deleted the moved message), and the dead-letter queue\'s are on the source', async () => {
    for (const fifo of [false, true]) {
      const sim = createSimulator()
      const sfx = fifo ? '.fifo' : ''
      const dlq = sim.createQueue(`dead${sfx}`)
      const src = sim.createQueue(`work${sfx}`, { visibilityTimeout: 10, redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 } })
      src.sendMessage(fifo ? { body: 'poison', messageGroupId: 'g', messageDeduplicationId: 'd' } : { body: 'poison' })
      const sourceHandles: string[] = []
      for (let i = 0; i < 2; i++) {
        sourceHandles.push(src.receive()[0]?.receiptHandle as string)
        await sim.advanceBy(10_000)
      }
      expect(src.receive()).toEqual([])
      expect(dlq.size).toBe(1)
      const deadHandles = [dlq.receive({ visibilityTimeout: 0 })[0]?.receiptHandle as string, dlq.receive({ visibilityTimeout: 60 })[0]?.receiptHandle as string]
      for (const h of sourceHandles) {
        expect(deadHandles).not.toContain(h)
        const foreign = expect.objectContaining({ name: 'ReceiptHandleIsInvalid', message: `The receipt handle "${h}" is not valid for this queue.` })
        expect(() => dlq.delete(h)).toThrow(foreign)
        expect(() => dlq.changeMessageVisibility(h, 5)).toThrow(foreign)
      }
      for (const h of deadHandles) {
        const foreign = expect.objectContaining({ name: 'ReceiptHandleIsInvalid', message: `The receipt handle "${h}" is not valid for this queue.` })
        expect(() => src.delete(h)).toThrow(foreign)
        expect(() => src.changeMessageVisibility(h, 5)).toThrow(foreign)
      }
      expect(dlq.size).toBe(1)
      expect(dlq.delete(deadHandles[1] as string)).toBe(true)
      expect(dlq.size).toBe(0)
    }
  })

  it('changeMessageVisibility on a FIFO message whose receipt handle has expired is InvalidParameterValue "The receipt handle has expired." and changes nothing', async () => {
    const sim = createSimulator()
    const fifo = sim.createQueue('f.fifo', { visibilityTimeout: 1, contentBasedDeduplication: true })
    fifo.sendMessage({ body: 'foobar', messageGroupId: '1' })
    const m = fifo.receive()[0]
    const expired = m?.receiptHandle as string
    await sim.advanceBy(1_000)
    expect(() => fifo.changeMessageVisibility(expired, 30)).toThrow(
      expect.objectContaining({ name: 'InvalidParameterValue', message: `Value ${expired} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.` }),
    )
    expect(m?.visibleAt).toBe(sim.now())
    expect(fifo.visibleCount).toBe(1)
    // Received again: the earlier handle stays expired; the new one works.
    const current = fifo.receive()[0]?.receiptHandle as string
    expect(current).toBe(`${m?.messageId}#2`)
    expect(() => fifo.changeMessageVisibility(expired, 0)).toThrow(
      expect.objectContaining({ name: 'InvalidParameterValue', message: `Value ${expired} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.` }),
    )
    expect(m?.visibleAt).toBe(sim.now() + 1_000)
    fifo.changeMessageVisibility(current, 0)
    expect(m?.visibleAt).toBe(sim.now())
  })

  it('changeMessageVisibility cannot take a message past 12 hours of visibility from its receive: InvalidParameterValue "Total VisibilityTimeout for the message is beyond the limit [43200 seconds]"', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('q', { visibilityTimeout: 1_800 })
    q.sendMessage({ body: 'x' })
    const m = q.receive()[0]
    const handle = m?.receiptHandle as string
    // 30 minutes plus 2 hours from now: 2.5 hours in all.
    q.changeMessageVisibility(handle, 7_200)
    await sim.advanceBy(7_000_000)
    // 7,000 s since the receive: 36,200 s are left of the 12 hours, and no more.
    expect(() => q.changeMessageVisibility(handle, 36_201)).toThrow(
      expect.objectContaining({ name: 'InvalidParameterValue', message: 'Value 36201 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]' }),
    )
    expect(m?.visibleAt).toBe(sim.now() + 200_000)
    q.changeMessageVisibility(handle, 36_200)
    expect(m?.visibleAt).toBe(sim.now() + 36_200_000)
    // A new receive starts a new 12 hours.
    await sim.advanceBy(36_200_000)
    const again = q.receive()[0]?.receiptHandle as string
    q.changeMessageVisibility(again, 43_200)
    expect(m?.visibleAt).toBe(sim.now() + 43_200_000)
  })

  it('a redrive policy must name an existing queue: otherwise InvalidParameterValue "Dead letter target does not exist."', () => {
    const sim = createSimulator()
    const arn = 'arn:aws:sqs:us-east-1:123456789012:missing-dlq'
    expect(() => sim.createQueue('src', { redrivePolicy: { deadLetterTargetArn: arn, maxReceiveCount: 3 } })).toThrow(
      expect.objectContaining({ name: 'InvalidParameterValue', message: `Value {"deadLetterTargetArn":"${arn}","maxReceiveCount":3} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.` }),
    )
    // Nothing was registered: the name is still free.
    expect(sim.createQueue('src').redrivePolicy).toBeUndefined()
    const dlq = sim.createQueue('missing-dlq')
    expect(sim.createQueue('src2', { redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 } }).redrivePolicy).toEqual({ deadLetterTargetArn: arn, maxReceiveCount: 3 })
  })

  describe('maximumMessageSize (MaximumMessageSize)', () => {
    it('is 1,024–1,048,576 bytes, default 1,048,576', () => {
      const sim = createSimulator()
      expect(sim.createQueue('a').maximumMessageSize).toBe(1_048_576)
      expect(sim.createQueue('b', { maximumMessageSize: 1024 }).maximumMessageSize).toBe(1024)
      for (const bad of [1023, 1_048_577, 2048.5]) {
        expect(() => sim.createQueue('c', { maximumMessageSize: bad })).toThrow(`Invalid maximumMessageSize for queue c: expected an integer from 1024 to 1048576 (bytes), got ${bad}`)
      }
    })

    it('a message over the queue\'s limit is refused; in a batch the entry fails alone, in SQS\'s batch wording; the batch total stays 1 MiB', () => {
      const sim = createSimulator()
      const q = sim.createQueue('q', { maximumMessageSize: 1024 })
      q.sendMessage({ body: 'a'.repeat(1024) })
      expect(() => q.sendMessage({ body: 'a'.repeat(1025) })).toThrow(expect.objectContaining({ name: 'InvalidParameterValue', message: 'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.' }))
      const r = q.sendMessageBatch([{ id: 'ok', body: 'a'.repeat(1024) }, { id: 'big', body: 'a'.repeat(1025) }])
      expect(r.successful.map((e) => e.id)).toEqual(['ok'])
      expect(r.failed).toEqual([{ id: 'big', code: 'InvalidParameterValue', message: 'One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.', senderFault: true }])
      expect(q.size).toBe(2)
    })

    it('a destination record over the queue\'s limit is a delivery failure', async () => {
      const sim = createSimulator()
      const q = sim.createQueue('small', { maximumMessageSize: 1024 })
      sim.createFunction('f', async () => 'x'.repeat(2000))
      sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: q } } })
      await sim.invoke('f', {}, 'Event')
      await sim.runUntilIdle()
      expect(q.size).toBe(0)
      expect(sim.timeline.ofType('delivery-failed').map((e) => e.error)).toEqual(['InvalidParameterValue: One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.'])
    })
  })
})

/** What a test can reach on a queue: SQS's operations and read-only views; the mapping's own receive and delete are internal. */
describe('a queue\'s public members', () => {
  it('deleteReceived and receiveUpTo (the event source mapping\'s) are not public: a queue has no such members, and deleteReceived can no longer be given a string whose characters it took as handles', () => {
    const sim = createSimulator()
    const q = sim.createQueue('q')
    q.sendMessage({ body: 'x' })
    expect('deleteReceived' in q).toBe(false)
    expect('receiveUpTo' in q).toBe(false)
    expect((q as unknown as { deleteReceived?: unknown }).deleteReceived).toBeUndefined()
    expect(q.receive().map((m) => m.body)).toEqual(['x'])
    expect(q.size).toBe(1)
  })

  it('redrivenCount is read-only: assigning it throws a TypeError and the count stays what the redrives made it', () => {
    const sim = createSimulator()
    const dlq = sim.createQueue('dlq')
    const src = sim.createQueue('src', { visibilityTimeout: 0, redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 } })
    src.sendMessage({ body: 'poison' })
    src.receive()
    src.receive()
    expect(src.redrivenCount).toBe(1)
    expect(() => {
      (src as unknown as { redrivenCount: number }).redrivenCount = 0
    }).toThrow(TypeError)
    expect(src.redrivenCount).toBe(1)
    expect(dlq.bodies).toEqual(['poison'])
  })

  it('queue.messages is a read-only view of the queue\'s own array (no copy per read) and its messages\' fields are read-only in the type', () => {
    const sim = createSimulator()
    const q = sim.createQueue('q')
    q.sendMessage({ body: 'a' })
    expectTypeOf(q.messages).toEqualTypeOf<readonly QueueMessage[]>()
    expectTypeOf<QueueMessage>().toHaveProperty('visibleAt').toEqualTypeOf<number>()
    expectTypeOf<Readonly<QueueMessage>>().toEqualTypeOf<QueueMessage>()
    // The same array object on every read: reading is O(1), as docs/performance.md describes.
    expect(q.messages).toBe(q.messages)
    expect(q.messages.map((m) => m.body)).toEqual(['a'])
  })

  it('createQueue refuses an array as options with a SimulatorError naming them, and creates nothing', () => {
    const sim = createSimulator()
    expect(() => sim.createQueue('q', [] as never)).toThrow(expect.objectContaining({ name: 'SimulatorError', message: 'Invalid options for queue q: expected an object, got []' }))
    expect(() => sim.createQueue('q', [{ fifo: true }] as never)).toThrow('Invalid options for queue q: expected an object, got [{"fifo":true}]')
    const q = sim.createQueue('q')
    expect(() => q.receive([] as never)).toThrow(expect.objectContaining({ name: 'SimulatorError', message: 'Invalid receive options for queue q: expected an object, got []' }))
    expect(q.visibilityTimeout).toBe(30)
  })
})
