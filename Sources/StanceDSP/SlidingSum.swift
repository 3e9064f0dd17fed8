/// The sum of the most recent `capacity` values, updated in O(1) per value without allocating
/// (storage made at `init`), and summed afresh from the stored values once per `capacity` values so
/// rounding cannot accumulate.
public struct SlidingSum: Sendable {
    public let capacity: Int
    private var values: [Double]
    private var next = 0
    public private(set) var count = 0
    public private(set) var sum = 0.0

    /// - Parameter capacity: values in the window, ≥ 1.
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        values = [Double](repeating: 0, count: self.capacity)
    }

    public mutating func push(_ value: Double) {
        values.withUnsafeMutableBufferPointer { slots in
            if count == capacity { sum -= slots[next] } else { count += 1 }
            slots[next] = value
            sum += value
            next += 1
            if next == capacity {
                next = 0
                var exact = 0.0
                for index in 0..<count { exact += slots[index] }
                sum = exact
            }
        }
    }

    public mutating func removeAll() {
        next = 0
        count = 0
        sum = 0
    }
}
