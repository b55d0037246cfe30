/// The graph's storage: the key index, the previous state's reads as flat rows, this build's node slots.
extension BuildGraph {
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
        var kept: KeptBytes?
        let reason: GraphState.Reason?  // nil: clean without a look

        init(_ fingerprint: Fingerprint, _ deps: ArraySlice<GraphState.Dep>, value: (any GraphValue)?,
             kept: KeptBytes?,
             reason: GraphState.Reason?) {
            self.fingerprint = fingerprint
            self.deps = deps
            self.value = value
            self.kept = kept
            self.reason = reason
        }
    }

    /// The heights of nodes of the previous state, found as asked: 0 for nodes that read nothing, else one more than
    /// the highest node they read.
    struct Heights {
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
}
