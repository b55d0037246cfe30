import Foundation

/// A persistent incremental computation in the style of salsa and "Build Systems à la Carte": inputs, derived
/// nodes whose reads are recorded as they compute, verification by the fingerprints of those reads, and early
/// cutoff — a node recomputed to an equal value leaves its dependants alone.
///
/// A build starts from the previous state: inputs whose fingerprints changed mark their transitive dependants as
/// possibly dirty; every other node is clean without a look. Demanding a possibly dirty node checks its recorded
/// reads in order and recomputes it only when one of them really changed. Nodes may be demanded from many threads.
public final class BuildGraph: @unchecked Sendable {
    let rules: any GraphRules
    let inputs: any GraphInputs
    let lock = SpinningLock()
    let old: GraphState
    /// The previous records' reads as flat arrays, walked far more cheaply than the records themselves.
    let table: DepTable

    private var ids: KeyIndex
    private(set) var keys: [NodeKey] = []
    private(set) var slots: [Slot?] = []
    private(set) var maybeDirty: [Bool] = []
    /// Set while changes propagate; `compute` then notes the nodes whose fingerprints changed.
    private var propagating = false
    /// During propagation: the heights of the previous state's nodes, which were enqueued, and the height of the
    /// level being brought up to date (see `knownClean`).
    private var heights: Heights?
    private var enqueued: [Bool] = []
    private var level = Int.max
    private var changedWhilePropagating: [Int32] = []
    /// `inputs.isInput` of each node, asked once.
    private(set) var isInput: [Bool] = []
    /// Nodes demanded by `ensureAll` and known clean without a look: reached in this build, but given no slot.
    private(set) var reached: [Bool] = []

    /// Counts for the report.
    public struct Counts: Sendable {
        /// Nodes whose recorded reads were checked.
        public var checked = 0
        /// Nodes computed (new, changed reads, or value needed again).
        public var computed = 0
    }
    private var counts = Counts()
    /// With `QUILL_TRACE`: how many nodes of each kind were checked.
    private var checkedKinds = [String: Int]()
    public var checkedByKind: [String: Int] { lock.withLock { checkedKinds } }

    public init(rules: any GraphRules, inputs: any GraphInputs, previous: GraphState) throws {
        self.rules = rules
        self.inputs = inputs
        self.old = previous
        // The key index on one core, the dependency table on the other.
        nonisolated(unsafe) var index: KeyIndex?
        nonisolated(unsafe) var table: DepTable?
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            if part == 0 {
                index = KeyIndex(previous.keys)
            } else {
                table = DepTable(previous.records)
            }
        }
        self.table = table!
        ids = index!
        keys = previous.keys
        slots = Array(repeating: nil, count: keys.count)
        maybeDirty = Array(repeating: false, count: keys.count)
        reached = Array(repeating: false, count: keys.count)
        isInput = keys.map { inputs.isInput($0) }
        try markDirty()
    }

    /// Inputs that changed since the previous state, and everything that read them, transitively.
    private func markDirty() throws {
        var changed = [Int32]()
        for index in 0..<table.present.count where table.present[index] && isInput[index] {
            if try inputs.fingerprint(of: keys[index]) != table.fingerprints[index] { changed.append(Int32(index)) }
        }
        guard !changed.isEmpty else { return }
        // Reverse edges, compressed: readers of node i are readers[start[i]..<start[i+1]].
        let n = keys.count
        var start = [Int32](repeating: 0, count: n + 1)
        for key in table.keys { start[Int(key) + 1] += 1 }
        for i in 0..<n { start[i + 1] += start[i] }
        var fill = start
        var readers = [Int32](repeating: 0, count: Int(start[n]))
        for index in 0..<table.present.count {
            for key in table.reads(index) {
                readers[Int(fill[Int(key)])] = Int32(index)
                fill[Int(key)] += 1
            }
        }
        var stack = changed
        for id in changed { maybeDirty[Int(id)] = true }
        while let id = stack.popLast() {  // everything that might be affected, so top-down demands stay safe
            for r in readers[Int(start[Int(id)])..<Int(start[Int(id) + 1])] where !maybeDirty[Int(r)] {
                maybeDirty[Int(r)] = true
                stack.append(r)
            }
        }
        try propagate(from: changed, start: start, readers: readers)
    }

    /// Change propagation with early cutoff: brings the readers of changed nodes up to date in order of height
    /// (a node after everything it read), and goes on to a node's readers only when its fingerprint changed.
    /// Nodes of one height do not read each other, so each level runs in parallel. Afterwards, every possibly
    /// affected node that was not reached is known to be clean, and is not checked again.
    private func propagate(from changed: [Int32], start: [Int32], readers: [Int32]) throws {
        var levels = [Int: [Int32]]()
        lock.lock()
        heights = Heights(table)
        enqueued = [Bool](repeating: false, count: keys.count)
        lock.unlock()
        func enqueueReaders(of id: Int32) {
            guard Int(id) + 1 < start.count else { return }
            lock.lock()
            defer { lock.unlock() }
            for r in readers[Int(start[Int(id)])..<Int(start[Int(id) + 1])] where !enqueued[Int(r)] {
                enqueued[Int(r)] = true
                // Roots are left for the caller to demand (it may no longer want them); they stay to be checked.
                if !rules.isRoot(keys[Int(r)]) { levels[heights!.of(r), default: []].append(r) }
            }
        }
        for id in changed { enqueueReaders(of: id) }
        lock.lock()
        propagating = true
        lock.unlock()
        while let height = levels.keys.min() {
            let batch = levels.removeValue(forKey: height)!
            lock.lock()
            level = height
            lock.unlock()
            let failure = FirstError()
            DispatchQueue.concurrentPerform(iterations: batch.count) { i in
                do { _ = try self.ensureSlot(batch[i]) } catch { failure.record(error) }
            }
            if let error = failure.error { throw error }
            lock.lock()
            let changedNow = changedWhilePropagating
            changedWhilePropagating = []
            lock.unlock()
            for id in changedNow { enqueueReaders(of: id) }
        }
        lock.lock()
        propagating = false
        level = Int.max
        for id in maybeDirty.indices where maybeDirty[id] && slots[id] == nil && id < old.records.count
            && !enqueued[id] {
            maybeDirty[id] = false
        }
        heights = nil
        enqueued = []
        lock.unlock()
    }

    /// During propagation, a node of the previous state that is lower than the level being brought up to date and
    /// was not enqueued is clean: every change below that level has been made and has enqueued its readers, and
    /// none of this node's reads did. So a node that reads many possibly affected nodes (all the groups of the
    /// search index) does not check each of them, and what they read, one by one. Called under the lock.
    private func knownClean(_ id: Int32) -> Bool {
        guard propagating, Int(id) < enqueued.count, !enqueued[Int(id)], Int(id) < table.present.count else {
            return false
        }
        return heights!.of(id) < level
    }

    /// True when no input changed since the previous state.
    public var nothingChanged: Bool { !maybeDirty.contains(true) }

    public func id(for key: NodeKey) -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        if let id = ids.find(key, in: self.keys) { return id }
        let id = Int32(keys.count)
        keys.append(key)
        ids.insert(key, id: id)
        slots.append(nil)
        maybeDirty.append(true)
        reached.append(false)
        isInput.append(inputs.isInput(key))
        return id
    }

    /// The key of the node with id `id`.
    public func key(ofID id: Int32) -> NodeKey { lock.withLock { keys[Int(id)] } }

    /// The id, fingerprint and value of `key` when this build has already computed or loaded it: what `id(for:)`,
    /// `ensure` and `value(of:)` would give, under one lock instead of four. Most reads are of such nodes (the
    /// settings, the index, each post read by its pages).
    @usableFromInline func computed(_ key: NodeKey) -> (id: Int32, fingerprint: Fingerprint, value: any GraphValue)? {
        lock.lock()
        defer { lock.unlock() }
        guard let id = ids.find(key, in: keys), let slot = slots[Int(id)], let value = slot.value else { return nil }
        return (id, slot.fingerprint, value)
    }

    private func slot(_ id: Int32) -> Slot? {
        lock.lock()
        defer { lock.unlock() }
        return slots[Int(id)]
    }

    /// Stores `slot` unless another thread got there first; returns the one kept.
    private func store(_ slot: Slot, for id: Int32) -> Slot {
        lock.lock()
        defer { lock.unlock() }
        if let existing = slots[Int(id)] { return existing }
        slots[Int(id)] = slot
        return slot
    }

    /// Brings the nodes `keys` up to date, in parallel. Nodes known to be clean are only marked as reached, without
    /// building a slot for each: after a small edit, most of a big site is in that case.
    @discardableResult
    /// With `groupSize` n, each run of n keys is brought up to date in order by one thread: keys that read the
    /// same node (the metadata and the card of one post) then do not compute it twice at once.
    public func ensureAll(_ keys: [NodeKey], groupSize: Int = 1) throws -> [Int32] {
        var pending = [[Int32]](repeating: [], count: (keys.count + groupSize - 1) / max(groupSize, 1))
        var unknown = [Int]()
        var all = [Int32](repeating: -1, count: keys.count)
        lock.lock()
        for (n, key) in keys.enumerated() {
            guard let id = ids.find(key, in: self.keys) else {
                unknown.append(n)
                continue
            }
            all[n] = id
            let i = Int(id)
            if slots[i] != nil || reached[i] { continue }
            if !maybeDirty[i], !isInput[i], i < table.present.count, table.present[i] {
                reached[i] = true
            } else {
                pending[n / groupSize].append(id)
            }
        }
        lock.unlock()
        for n in unknown {
            all[n] = id(for: keys[n])
            pending[n / groupSize].append(all[n])
        }
        let work = pending.filter { !$0.isEmpty }
        let failure = FirstError()
        DispatchQueue.concurrentPerform(iterations: work.count) { i in
            do { for id in work[i] { _ = try self.ensureSlot(id) } } catch { failure.record(error) }
        }
        if let error = failure.error { throw error }
        return all
    }

    /// Brings node `key` up to date and returns its fingerprint.
    @discardableResult
    public func ensure(_ key: NodeKey) throws -> Fingerprint { try ensure(id(for: key)) }

    public func ensure(_ id: Int32) throws -> Fingerprint { try ensureSlot(id).fingerprint }

    private func ensureSlot(_ id: Int32) throws -> Slot {
        lock.lock()
        if let existing = slots[Int(id)] {
            lock.unlock()
            return existing
        }
        let input = isInput[Int(id)]
        let dirty = maybeDirty[Int(id)] && !(Int(id) < old.records.count && knownClean(id))
        let key = keys[Int(id)]  // read under the lock: other threads append to `keys`
        lock.unlock()
        let record = Int(id) < old.records.count ? old.records[Int(id)] : nil
        if input {
            return store(Slot(try inputs.fingerprint(of: key), [], value: nil, kept: nil, reason: nil), for: id)
        }
        guard let record else { return try compute(id, reason: .new) }
        if dirty {
            lock.lock()
            counts.checked += 1
            if Trace.enabled { checkedKinds[key.kind, default: 0] += 1 }
            lock.unlock()
        }
        if dirty {
            for dep in record.deps where try ensure(dep.key) != dep.fingerprint {
                return try compute(id, reason: .changed(dependency: dep.key))
            }
        }
        return store(Slot(record.fingerprint, record.deps, value: nil, kept: record.value,
                          reason: dirty ? .verified : nil), for: id)
    }

    /// With `QUILL_TRACE` set, nodes that take longer than this to compute are named on stderr.
    static let slowNodeTrace: Duration? = Trace.enabled ? .milliseconds(10) : nil

    private func compute(_ id: Int32, reason: GraphState.Reason) throws -> Slot {
        let key = lock.withLock { keys[Int(id)] }
        let context = ComputeContext(graph: self)
        let started = ContinuousClock.now
        let value = try Trace.enabled ? KindClock.timed(key.kind) { try rules.compute(key, context) }
            : rules.compute(key, context)
        if let slow = Self.slowNodeTrace, ContinuousClock.now - started > slow {
            Trace.mark("    slow node `\(key)` (with what it read)", started)
        }
        let kept = rules.keepsValue(key) ? value.encoded : nil
        let fingerprint = kept.map { Fingerprint.of($0) } ?? value.fingerprint
        lock.lock()
        counts.computed += 1
        if propagating, Int(id) < old.records.count, old.records[Int(id)]?.fingerprint != fingerprint {
            changedWhilePropagating.append(id)
        }
        lock.unlock()
        return store(Slot(fingerprint, context.deps[...], value: value,
                          kept: kept.map { KeptBytes($0[...]) }, reason: reason), for: id)
    }

    /// The value of node `key`, computing it again if it was clean but its value was not kept.
    public func value(_ key: NodeKey) throws -> any GraphValue { try value(of: id(for: key)) }

    public func value(of id: Int32) throws -> any GraphValue {
        let slot = try ensureSlot(id)
        lock.lock()
        if let value = slot.value {
            lock.unlock()
            return value
        }
        lock.unlock()
        let key = lock.withLock { keys[Int(id)] }
        let value: any GraphValue
        if inputs.isInput(key) {
            value = try inputs.value(of: key)
            if !inputs.keepsValueInMemory(key) { return value }
        } else if let kept = slot.kept {
            value = try kept.withUnsafeBytes { raw in
                var reader = BinaryReader(raw)
                return try rules.decode(key, &reader)
            }
        } else {
            let context = ComputeContext(graph: self)
            value = try Trace.enabled ? KindClock.timed(key.kind) { try rules.compute(key, context) }
                : rules.compute(key, context)
            lock.lock()
            counts.computed += 1
            lock.unlock()
        }
        lock.lock()
        slot.value = value
        lock.unlock()
        return value
    }

    /// Drops the value of node `id` from memory (it is computed again should anything ask for it).
    public func forgetValue(of id: Int32) {
        lock.lock()
        slots[Int(id)]?.value = nil
        lock.unlock()
    }

    /// Whether node `key` was computed in this build (and with what reason), or nil when it was not.
    public func reason(_ key: NodeKey) -> GraphState.Reason? {
        lock.lock()
        defer { lock.unlock() }
        guard let id = ids.find(key, in: self.keys) else { return nil }
        return slots[Int(id)]?.reason
    }

    public func reason(ofID id: Int32) -> GraphState.Reason? {
        lock.lock()
        defer { lock.unlock() }
        return slots[Int(id)]?.reason
    }

    public func fingerprint(of key: NodeKey) -> Fingerprint? {
        lock.lock()
        defer { lock.unlock() }
        guard let id = ids.find(key, in: self.keys) else { return nil }
        if let slot = slots[Int(id)] { return slot.fingerprint }
        return reached[Int(id)] ? table.fingerprints[Int(id)] : nil
    }

    public var statistics: Counts {
        lock.lock()
        defer { lock.unlock() }
        return counts
    }
}
