/// What a build leaves for the next: the delta for the journal, or the whole next state.
extension BuildGraph {
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
