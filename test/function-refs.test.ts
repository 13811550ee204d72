import { describe, expect, expectTypeOf, it } from 'vitest'
import { createSimulator, type DestinationRef, type EventInvokeConfigInput, type EventSourceMappingInput, type EventSourceMappingUpdate, type FaultSpec, type FunctionHandle, type FunctionRef, type Simulator } from '../src/index.js'

/**
 * Every in-process API that names a function takes what `createFunction` returns as well as a name
 * or an ARN (`FunctionRef`), in its type and at runtime; anything else is refused naming the field
 * and the value, and changes nothing.
 */

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function'

function setup(): { sim: Simulator; orders: FunctionHandle; audit: FunctionHandle } {
  const sim = createSimulator()
  const orders = sim.createFunction('orders', async () => 'ok')
  const audit = sim.createFunction('audit', async () => 'ok')
  return { sim, orders, audit }
}

describe('a function handle is a function reference everywhere a function is named', () => {
  it('the types of every API that names a function take a FunctionRef (string | FunctionHandle)', () => {
    expectTypeOf<FunctionRef>().toEqualTypeOf<string | FunctionHandle>()
    expectTypeOf<EventInvokeConfigInput['functionName']>().toEqualTypeOf<FunctionRef>()
    expectTypeOf<Parameters<Simulator['getFunctionEventInvokeConfig']>[0]['functionName']>().toEqualTypeOf<FunctionRef>()
    expectTypeOf<Parameters<Simulator['deleteFunctionEventInvokeConfig']>[0]['functionName']>().toEqualTypeOf<FunctionRef>()
    expectTypeOf<Parameters<Simulator['listFunctionEventInvokeConfigs']>[0]['functionName']>().toEqualTypeOf<FunctionRef>()
    expectTypeOf<EventSourceMappingInput['functionName']>().toEqualTypeOf<FunctionRef>()
    expectTypeOf<EventSourceMappingUpdate['functionName']>().toEqualTypeOf<FunctionRef | undefined>()
    expectTypeOf<NonNullable<Parameters<Simulator['listEventSourceMappings']>[0]>['functionName']>().toEqualTypeOf<FunctionRef | undefined>()
    expectTypeOf<FaultSpec['functionName']>().toEqualTypeOf<FunctionRef | undefined>()
    expectTypeOf<Parameters<Simulator['putFunctionRecursionConfig']>[0]['functionName']>().toEqualTypeOf<FunctionRef>()
    expectTypeOf<Parameters<Simulator['getFunctionRecursionConfig']>[0]['functionName']>().toEqualTypeOf<FunctionRef>()
    for (const method of ['updateFunctionCode', 'updateFunctionConfiguration', 'publishVersion', 'createAlias', 'getAlias', 'listAliases', 'updateAlias', 'deleteAlias', 'listVersionsByFunction', 'putFunctionConcurrency', 'getFunctionConcurrency', 'deleteFunctionConcurrency'] as const) {
      expect(typeof createSimulator()[method]).toBe('function')
    }
    expectTypeOf<Parameters<Simulator['updateFunctionCode']>[0]>().toEqualTypeOf<FunctionRef>()
    expectTypeOf<Parameters<Simulator['publishVersion']>[0]>().toEqualTypeOf<FunctionRef>()
    expectTypeOf<Parameters<Simulator['putFunctionConcurrency']>[0]>().toEqualTypeOf<FunctionRef>()
    expectTypeOf<Parameters<Simulator['listVersionsByFunction']>[0]>().toEqualTypeOf<FunctionRef>()
  })

  it('the event invoke config APIs take the handle as functionName, as they take its name', () => {
    const { sim, orders } = setup()
    sim.publishVersion(orders)
    expect(sim.putFunctionEventInvokeConfig({ functionName: orders, maximumRetryAttempts: 0 }).functionArn).toBe(`${ARN}:orders:$LATEST`)
    expect(sim.putFunctionEventInvokeConfig({ functionName: orders, qualifier: '1', maximumRetryAttempts: 1 }).functionArn).toBe(`${ARN}:orders:1`)
    expect(sim.updateFunctionEventInvokeConfig({ functionName: orders, maximumEventAgeInSeconds: 60 }).maximumEventAgeInSeconds).toBe(60)
    expect(sim.getFunctionEventInvokeConfig({ functionName: orders })).toEqual(sim.getFunctionEventInvokeConfig({ functionName: 'orders' }))
    expect(sim.getFunctionEventInvokeConfig({ functionName: orders, qualifier: '1' }).maximumRetryAttempts).toBe(1)
    expect(sim.listFunctionEventInvokeConfigs({ functionName: orders }).functionEventInvokeConfigs.map((c) => c.functionArn)).toEqual([`${ARN}:orders:$LATEST`, `${ARN}:orders:1`])
    sim.deleteFunctionEventInvokeConfig({ functionName: orders, qualifier: '1' })
    expect(sim.listFunctionEventInvokeConfigs({ functionName: 'orders' }).functionEventInvokeConfigs.map((c) => c.functionArn)).toEqual([`${ARN}:orders:$LATEST`])
  })

  it('the event source mapping APIs take the handle as functionName (create, update and the list filter)', () => {
    const { sim, orders, audit } = setup()
    const queue = sim.createQueue('jobs')
    const m = sim.createEventSourceMapping({ eventSourceArn: queue.arn, functionName: orders })
    expect(m.functionArn).toBe(`${ARN}:orders`)
    expect(sim.listEventSourceMappings({ functionName: orders }).eventSourceMappings.map((x) => x.uuid)).toEqual([m.uuid])
    expect(sim.listEventSourceMappings({ functionName: audit }).eventSourceMappings).toEqual([])
    expect(sim.updateEventSourceMapping({ uuid: m.uuid, functionName: audit }).functionArn).toBe(`${ARN}:audit`)
    expect(sim.listEventSourceMappings({ functionName: audit }).eventSourceMappings.map((x) => x.uuid)).toEqual([m.uuid])
  })

  it('a mapping to the handle of a function this simulator does not have is refused as its name is ("Function does not exist")', () => {
    const { sim } = setup()
    const stranger = createSimulator().createFunction('stranger', async () => 'ok')
    const queue = sim.createQueue('jobs')
    expect(() => sim.createEventSourceMapping({ eventSourceArn: queue.arn, functionName: stranger })).toThrow('Function does not exist')
    expect(() => sim.createEventSourceMapping({ eventSourceArn: queue.arn, functionName: 'stranger' })).toThrow('Function does not exist')
    expect(sim.listEventSourceMappings().eventSourceMappings).toEqual([])
  })

  it('faults.inject takes the handle as functionName and faults that function only', async () => {
    const { sim, orders, audit } = setup()
    sim.faults.inject({ functionName: orders, count: 1 })
    await expect(sim.invoke(audit, {})).resolves.toMatchObject({ statusCode: 200 })
    await expect(sim.invoke(orders, {})).rejects.toMatchObject({ name: 'ServiceException' })
    await expect(sim.invoke(orders, {})).resolves.toMatchObject({ statusCode: 200 })
  })

  it('an event invoke config destination takes a function handle (a function destination, by its ARN)', async () => {
    const { sim, orders, audit } = setup()
    expectTypeOf<FunctionHandle>().toExtend<DestinationRef>()
    const failing = sim.createFunction('failing', async () => {
      throw new Error('no')
    })
    const config = sim.putFunctionEventInvokeConfig({ functionName: failing, maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: audit }, onSuccess: { destination: orders } } })
    expect(config.destinationConfig).toEqual({ onSuccess: { destination: `${ARN}:orders` }, onFailure: { destination: `${ARN}:audit` } })
    await sim.invoke(failing, {}, 'Event')
    await sim.runUntilIdle()
    const started = sim.timeline.entries.filter((e) => e.type === 'attempt-started').map((e) => (e.type === 'attempt-started' ? e.functionName : ''))
    expect(started).toEqual(['failing', 'audit'])
  })

  it('a function handle as destination is checked as its ARN: the function itself, or one this simulator does not have, is refused and nothing is stored', () => {
    const { sim, orders } = setup()
    const stranger = createSimulator().createFunction('stranger', async () => 'ok')
    expect(() => sim.putFunctionEventInvokeConfig({ functionName: orders, destinationConfig: { onFailure: { destination: orders } } })).toThrow("You can't specify the function as a destination for itself.")
    expect(() => sim.putFunctionEventInvokeConfig({ functionName: orders, destinationConfig: { onFailure: { destination: stranger } } })).toThrow(`The destination ARN ${ARN}:stranger is invalid.`)
    expect(() => sim.putFunctionEventInvokeConfig({ functionName: orders, destinationConfig: { onFailure: { destination: { name: 'x' } as never } } })).toThrow(
      'Invalid destination: expected an ARN string, a sink object (arn and deliver()) or a function handle, got {"name":"x"}',
    )
    expect(sim.listFunctionEventInvokeConfigs({ functionName: orders }).functionEventInvokeConfigs).toEqual([])
  })

  it('the recursion config and the configuration APIs take the handle as before', () => {
    const { sim, orders } = setup()
    expect(sim.putFunctionRecursionConfig({ functionName: orders, recursiveLoop: 'Allow' })).toEqual({ recursiveLoop: 'Allow' })
    expect(sim.getFunctionRecursionConfig({ functionName: orders })).toEqual({ recursiveLoop: 'Allow' })
    expect(sim.publishVersion(orders).version).toBe('1')
    expect(sim.putFunctionConcurrency(orders, 5)).toEqual({ reservedConcurrentExecutions: 5 })
    expect(sim.getFunctionConcurrency(orders)).toEqual({ reservedConcurrentExecutions: 5 })
  })
})

describe('a handle names the function of its ARN, as the ARN would', () => {
  it('a handle from a simulator in another region or account is not found here, though a function of the same name exists (ResourceNotFoundException naming its ARN)', async () => {
    const a = createSimulator({ region: 'us-east-1' })
    const fromA = a.createFunction('orders', async () => 'a')
    const b = createSimulator({ region: 'eu-west-1' })
    b.createFunction('orders', async () => 'b')
    const c = createSimulator({ accountId: '111111111111' })
    c.createFunction('orders', async () => 'c')
    for (const other of [b, c]) {
      const before = other.timeline.length
      // Another region: AWS's "not reachable" text; another account: not found by its ARN.
      const message = other === b ? "Functions from 'us-east-1' are not reachable in this region ('eu-west-1')" : `Function not found: ${ARN}:orders:$LATEST`
      await expect(other.invoke(fromA, {})).rejects.toMatchObject({ name: 'ResourceNotFoundException', message })
      expect(() => other.putFunctionConcurrency(fromA, 5)).toThrow(expect.objectContaining({ name: 'ResourceNotFoundException', message }))
      expect(() => other.putFunctionEventInvokeConfig({ functionName: fromA, maximumRetryAttempts: 0 })).toThrow(expect.objectContaining({ name: 'ResourceNotFoundException' }))
      expect(other.getFunctionConcurrency('orders')).toEqual({})
      expect(other.timeline.length).toBe(before)
    }
    // Its own simulator, and an object with only a name, resolve as before.
    expect((await a.invoke(fromA, {})).payload).toBe('a')
    expect((await b.invoke({ name: 'orders' } as FunctionHandle, {})).payload).toBe('b')
  })

  it('faults still match a handle by its name; a handle as destination is its own ARN', async () => {
    const { sim, orders, audit } = setup()
    sim.faults.inject({ functionName: orders, count: 1 })
    await expect(sim.invoke('orders', {})).rejects.toMatchObject({ name: 'ServiceException' })
    expect((await sim.invoke('orders', {})).payload).toBe('ok')
    sim.putFunctionEventInvokeConfig({ functionName: orders, destinationConfig: { onSuccess: { destination: audit } } })
    expect(sim.getFunctionEventInvokeConfig({ functionName: 'orders' }).destinationConfig?.onSuccess).toEqual({ destination: `${ARN}:audit` })
  })
})

describe('a function reference that is neither a string nor a handle is refused naming the field and the value', () => {
  it('event invoke config: "Invalid functionName: expected a function name, an ARN or a function handle, got …", nothing stored', () => {
    const { sim } = setup()
    const expected = (got: string): string => `Invalid functionName: expected a function name, an ARN or a function handle, got ${got}`
    expect(() => sim.putFunctionEventInvokeConfig({ functionName: 42 as never, maximumRetryAttempts: 0 })).toThrow(expected('42'))
    expect(() => sim.putFunctionEventInvokeConfig({ functionName: [] as never, maximumRetryAttempts: 0 })).toThrow(expected('[]'))
    expect(() => sim.updateFunctionEventInvokeConfig({ functionName: null as never, maximumRetryAttempts: 0 })).toThrow(expected('null'))
    expect(() => sim.getFunctionEventInvokeConfig({ functionName: { arn: `${ARN}:orders` } as never })).toThrow(expected('{"arn":"arn:aws:lambda:us-east-1:123456789012:function:orders"}'))
    expect(() => sim.deleteFunctionEventInvokeConfig({ functionName: 7 as never })).toThrow(expected('7'))
    expect(() => sim.listFunctionEventInvokeConfigs({ functionName: true as never })).toThrow(expected('true'))
    expect(sim.listFunctionEventInvokeConfigs({ functionName: 'orders' }).functionEventInvokeConfigs).toEqual([])
  })

  it('event source mappings: create, update and list name functionName and the value; nothing is created or changed', () => {
    const { sim, orders } = setup()
    const queue = sim.createQueue('jobs')
    const expected = (got: string): string => `Invalid functionName: expected a function name, an ARN or a function handle, got ${got}`
    expect(() => sim.createEventSourceMapping({ eventSourceArn: queue.arn, functionName: 42 as never })).toThrow(expected('42'))
    expect(() => sim.createEventSourceMapping({ eventSourceArn: queue.arn, functionName: Object.assign([], { name: 'orders' }) as never })).toThrow(expected('[]'))
    expect(sim.listEventSourceMappings().eventSourceMappings).toEqual([])
    const m = sim.createEventSourceMapping({ eventSourceArn: queue.arn, functionName: orders })
    expect(() => sim.updateEventSourceMapping({ uuid: m.uuid, functionName: { name: 5 } as never, batchSize: 5 })).toThrow(expected('{"name":5}'))
    expect(sim.getEventSourceMapping({ uuid: m.uuid })).toMatchObject({ functionArn: `${ARN}:orders`, batchSize: 10 })
    expect(() => sim.listEventSourceMappings({ functionName: null as never })).toThrow(expected('null'))
  })

  it('faults.inject: a handle is matched by its name; anything else names functionName and the value', () => {
    const { sim } = setup()
    expect(() => sim.faults.inject({ functionName: 42 as never, count: 1 })).toThrow('Invalid fault functionName: expected a function name such as "orders" or a function handle (not an ARN or a qualified name: faults match the function\'s name), got 42')
    expect(() => sim.faults.inject({ functionName: { name: 'a:b', arn: 'x' }, count: 1 })).toThrow('got {"name":"a:b","arn":"x"}')
  })
})
