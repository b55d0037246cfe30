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
    private let lock = SpinningLock()
    private let old: GraphState
    /// The previous records' reads as flat arrays, walked far more cheaply than the records themselves.
    private let table: DepTable

    /// Node key → id: an open-addressing table over the keys' digests, built from a hundred thousand keys in a
    /// fraction of what a `Dictionary` of strings takes.
    struct KeyIndex {
        private var table: [Int32]  // ids, -1 for empty
        private var digests: [UInt64]
        private var count = 0

        init(_ keys: [NodeKey]) {
            var size = 64
            while size < keys.count * 2 { size *= 2 }
            table = [Int32](repeating: -1, count: size)
            digests = [UInt64](repeating: 0, count: size)
            for (id, key) in keys.enumerated() { insert(key, id: Int32(id)) }
        }

        func find(_ key: NodeKey, in keys: [NodeKey]) -> Int32? {
            let mask = table.count - 1
            var i = Int(truncatingIfNeeded: key.digest) & mask
            while table[i] >= 0 {
                if digests[i] == key.digest, keys[Int(table[i])] == key { return table[i] }
                i = (i + 1) & mask
            }
            return nil
        }

        /// Adds a key that is not in the table yet.
        mutating func insert(_ key: NodeKey, id: Int32) {
            if (count + 1) * 2 > table.count { grow() }
            let mask = table.count - 1
            var i = Int(truncatingIfNeeded: key.digest) & mask
            while table[i] >= 0 { i = (i + 1) & mask }
            table[i] = id
            digests[i] = key.digest
            count += 1
        }

        private mutating func grow() {
            let (oldTable, oldDigests) = (table, digests)
            table = [Int32](repeating: -1, count: oldTable.count * 2)
            digests = [UInt64](repeating: 0, count: oldTable.count * 2)
            let mask = table.count - 1
            for (slot, id) in oldTable.enumerated() where id >= 0 {
                var i = Int(truncatingIfNeeded: oldDigests[slot]) & mask
                while table[i] >= 0 { i = (i + 1) & mask }
                table[i] = id
                digests[i] = oldDigests[slot]
            }
        }
    }

    /// Compressed rows: the nodes read by node i are `keys[start[i]..<start[i+1]]`; `present[i]` is false for nodes
    /// without a record.
    struct DepTable {
        var start: [Int32]
        var keys: [Int32]
        var present: [Bool]
        var fingerprints: [Fingerprint]

        init(_ records: [GraphState.Record?]) {
            let n = records.count
            var total = 0
            var start = [Int32](repeating: 0, count: n + 1)
            var present = [Bool](repeating: false, count: n)
            var fingerprints = [Fingerprint](repeating: .absent, count: n)
            self.keys = records.withUnsafeBufferPointer { records in
                for i in 0..<n {
                    if let record = records[i] {
                        total += record.deps.count
                        present[i] = true
                        fingerprints[i] = record.fingerprint
                    }
                    start[i + 1] = Int32(total)
                }
                return [Int32](unsafeUninitializedCapacity: total) { buffer, count in
                    var k = 0
                    for i in 0..<n {
                        guard let deps = records[i]?.deps else { continue }
                        for dep in deps {
                            buffer[k] = dep.key
                            k += 1
                        }
                    }
                    count = total
                }
            }
            self.start = start
            self.present = present
            self.fingerprints = fingerprints
        }

        func reads(_ id: Int) -> ArraySlice<Int32> { keys[Int(start[id])..<Int(start[id + 1])] }
    }

    /// This build's view of a node.
    final class Slot {
        let fingerprint: Fingerprint
        let deps: ArraySlice<GraphState.Dep>
        var value: (any GraphValue)?
        var kept: ArraySlice<UInt8>?
        let reason: GraphState.Reason?  // nil: clean without a look

        init(_ fingerprint: Fingerprint, _ deps: ArraySlice<GraphState.Dep>, value: (any GraphValue)?,
             kept: ArraySlice<UInt8>?,
             reason: GraphState.Reason?) {
            self.fingerprint = fingerprint
            self.deps = deps
            self.value = value
            self.kept = kept
            self.reason = reason
        }
    }

    private var ids: KeyIndex
    private var keys: [NodeKey] = []
    private var slots: [Slot?] = []
    private var maybeDirty: [Bool] = []
    /// Set while changes propagate; `compute` then notes the nodes whose fingerprints changed.
    private var propagating = false
    private var changedWhilePropagating: [Int32] = []
    /// `inputs.isInput` of each node, asked once.
    private var isInput: [Bool] = []
    /// Nodes demanded by `ensureAll` and known clean without a look: reached in this build, but given no slot.
    private var reached: [Bool] = []

    /// Counts for the report.
    public struct Counts: Sendable {
        /// Nodes whose recorded reads were checked.
        public var checked = 0
        /// Nodes computed (new, changed reads, or value needed again).
        public var computed = 0
    }
    private var counts = Counts()

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
        var heights = Heights(table)
        var levels = [Int: [Int32]]()
        var enqueued = [Bool](repeating: false, count: keys.count)
        func enqueueReaders(of id: Int32) {
            guard Int(id) + 1 < start.count else { return }
            for r in readers[Int(start[Int(id)])..<Int(start[Int(id) + 1])] where !enqueued[Int(r)] {
                enqueued[Int(r)] = true
                // Roots are left for the caller to demand (it may no longer want them); they stay to be checked.
                if !rules.isRoot(keys[Int(r)]) { levels[heights.of(r), default: []].append(r) }
            }
        }
        for id in changed { enqueueReaders(of: id) }
        lock.lock()
        propagating = true
        lock.unlock()
        while let height = levels.keys.min() {
            let batch = levels.removeValue(forKey: height)!
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
        for id in maybeDirty.indices where maybeDirty[id] && slots[id] == nil && id < old.records.count
            && !enqueued[id] {
            maybeDirty[id] = false
        }
        lock.unlock()
    }

    /// The heights of nodes of the previous state, found as asked: 0 for nodes that read nothing, else one more than
    /// the highest node they read.
    private struct Heights {
        let table: DepTable
        var height: [Int]

        init(_ table: DepTable) {
            self.table = table
            height = [Int](repeating: -1, count: table.present.count)
        }

        mutating func of(_ node: Int32) -> Int {
            let n = table.present.count
            if height[Int(node)] >= 0 { return height[Int(node)] }
            var stack = [(node, 0)]  // node, next dep to look at
            height[Int(node)] = -2  // in progress
            while let (id, next) = stack.last {
                let deps = table.reads(Int(id))
                if next < deps.count {
                    stack[stack.count - 1].1 += 1
                    let dep = Int(deps[deps.startIndex + next])
                    if dep < n, height[dep] == -1 {
                        height[dep] = -2
                        stack.append((Int32(dep), 0))
                    }
                    continue
                }
                height[Int(id)] = deps.reduce(0) { max($0, Int($1) < n ? height[Int($1)] + 1 : 1) }
                stack.removeLast()
            }
            return height[Int(node)]
        }
    }

    /// True when no input changed since the previous state.
    public var nothingChanged: Bool { !maybeDirty.contains(true) }

    func id(for key: NodeKey) -> Int32 {
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

    /// The id, fingerprint and value of `key` when this build has already computed or loaded it: what `id(for:)`,
    /// `ensure` and `value(of:)` would give, under one lock instead of four. Most reads are of such nodes (the
    /// settings, the index, each post read by its pages).
    func computed(_ key: NodeKey) -> (id: Int32, fingerprint: Fingerprint, value: any GraphValue)? {
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

    func ensure(_ id: Int32) throws -> Fingerprint { try ensureSlot(id).fingerprint }

    private func ensureSlot(_ id: Int32) throws -> Slot {
        lock.lock()
        if let existing = slots[Int(id)] {
            lock.unlock()
            return existing
        }
        let input = isInput[Int(id)]
        let dirty = maybeDirty[Int(id)]
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
        let value = try rules.compute(key, context)
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
                          kept: kept?[...], reason: reason), for: id)
    }

    /// The value of node `key`, computing it again if it was clean but its value was not kept.
    public func value(_ key: NodeKey) throws -> any GraphValue { try value(of: id(for: key)) }

    func value(of id: Int32) throws -> any GraphValue {
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
            value = try rules.compute(key, context)
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
    func forgetValue(of id: Int32) {
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

    func reason(ofID id: Int32) -> GraphState.Reason? {
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

    /// Every node this build reached, and the nodes those read (transitively). Call with the lock held.
    private func liveNodes() -> [Bool] {
        var live = [Bool](repeating: false, count: keys.count)
        var stack = [Int32]()
        for (index, slot) in slots.enumerated() where slot != nil || reached[index] {
            live[index] = true
            stack.append(Int32(index))
        }
        while let id = stack.popLast() {
            if let slot = slots[Int(id)] {
                for dep in slot.deps where !live[Int(dep.key)] {
                    live[Int(dep.key)] = true
                    stack.append(dep.key)
                }
            } else if Int(id) < table.present.count {
                for key in table.reads(Int(id)) where !live[Int(key)] {
                    live[Int(key)] = true
                    stack.append(key)
                }
            }
        }
        return live
    }

    /// The fingerprint in this build of node `id`, reached by `ensureAll` or otherwise.
    public func fingerprint(ofID id: Int32) -> Fingerprint? {
        lock.lock()
        defer { lock.unlock() }
        if let slot = slots[Int(id)] { return slot.fingerprint }
        return reached[Int(id)] ? table.fingerprints[Int(id)] : nil
    }

    /// What this build changed in the previous state, with node ids kept (see `GraphState.Delta`): new names,
    /// records of nodes computed, records dropped for nodes no longer reached, the input fingerprints that moved,
    /// and this build's reasons. The caller adds the file and output stamps.
    public func delta() -> GraphState.Delta {
        lock.lock()
        defer { lock.unlock() }
        let live = liveNodes()
        var delta = GraphState.Delta()
        delta.firstNewKey = old.keys.count
        delta.newKeys = Array(keys[old.keys.count...])
        for index in keys.indices {
            let hadRecord = index < table.present.count && table.present[index]
            if let slot = slots[index] {
                if let reason = slot.reason { delta.reasons[Int32(index)] = reason }
                if isInput[index] {
                    if !hadRecord || table.fingerprints[index] != slot.fingerprint {
                        delta.records.append((Int32(index), .init(fingerprint: slot.fingerprint, deps: [], value: nil)))
                        delta.inputFingerprints[keys[index]] = slot.fingerprint
                    }
                    continue
                }
                switch slot.reason {
                case .new?, .changed?:
                    delta.records.append((Int32(index), .init(fingerprint: slot.fingerprint, deps: slot.deps,
                                                              value: slot.kept)))
                default: break
                }
            } else if hadRecord, !live[index] {
                delta.records.append((Int32(index), nil))
                if isInput[index] { delta.inputFingerprints[keys[index]] = .some(nil) }
            }
        }
        return delta
    }

    /// The state to keep: every node this build reached, and the nodes those read (transitively), renumbered.
    public func nextState(engine: Fingerprint) -> GraphState {
        lock.lock()
        defer { lock.unlock() }
        let live = liveNodes()
        var renumber = [Int32](repeating: -1, count: keys.count)
        var state = GraphState(engine: engine)
        for index in keys.indices where live[index] {
            renumber[index] = Int32(state.keys.count)
            state.keys.append(keys[index])
        }
        state.records.reserveCapacity(state.keys.count)
        let identity = state.keys.count == keys.count  // every node lives (a cold build): no id changes
        state.reasons.reserveCapacity(identity ? keys.count : slots.count / 8)
        for index in keys.indices where live[index] {
            let record: GraphState.Record?
            if let slot = slots[index] {
                record = .init(fingerprint: slot.fingerprint, deps: slot.deps, value: slot.kept)
            } else {
                record = index < old.records.count ? old.records[index] : nil
            }
            state.records.append(identity ? record : record.map { r in
                var r = r
                r.deps = r.deps.map { .init(key: renumber[Int($0.key)], fingerprint: $0.fingerprint) }[...]
                return r
            })
            if let slot = slots[index], let reason = slot.reason { state.reasons[renumber[index]] = reason }
        }
        return state
    }
}
