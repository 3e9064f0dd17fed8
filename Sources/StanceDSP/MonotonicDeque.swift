/// The running maximum (or minimum) of a sliding window in amortised O(1) per sample: a deque of
/// candidates whose values decrease (increase) from front to back, kept in a fixed ring so that
/// pushing never allocates.
public struct MonotonicDeque: Sendable {
    public enum Extremum: Sendable { case maximum, minimum }

    public let extremum: Extremum
    private var sequence: [Int]
    private var value: [Double]
    private var head = 0
    private var count = 0

    /// - Parameter capacity: the window length in samples (the deque never holds more).
    public init(capacity: Int, extremum: Extremum) {
        self.extremum = extremum
        sequence = Array(repeating: 0, count: max(capacity, 1))
        value = Array(repeating: 0, count: max(capacity, 1))
    }

    /// The extremum of the values pushed since the oldest one still in the window; `nil` if empty.
    public var current: Double? { count > 0 ? value[head] : nil }

    public mutating func removeAll() {
        head = 0
        count = 0
    }

    /// Adds sample number `sequenceNumber` (strictly increasing) with value `newValue`.
    public mutating func push(_ newValue: Double, sequenceNumber: Int) {
        let capacity = value.count
        while count > 0 {
            let back = wrapped(head + count - 1, capacity)
            let dominated = extremum == .maximum ? value[back] <= newValue : value[back] >= newValue
            guard dominated else { break }
            count -= 1
        }
        if count == capacity { evictFront() }
        let slot = wrapped(head + count, capacity)
        sequence[slot] = sequenceNumber
        value[slot] = newValue
        count += 1
    }

    /// Drops candidates older than `oldestSequenceNumber` (they left the window).
    public mutating func evict(before oldestSequenceNumber: Int) {
        while count > 0 && sequence[head] < oldestSequenceNumber { evictFront() }
    }

    private mutating func evictFront() {
        head = wrapped(head + 1, value.count)
        count -= 1
    }
}

/// `index mod capacity` for 0 ≤ index < 2·capacity, without a division on the hot path.
@inline(__always)
func wrapped(_ index: Int, _ capacity: Int) -> Int {
    index >= capacity ? index - capacity : index
}
