import Synchronization

/// A bounded single-producer, single-consumer queue without locks: the device's reader thread
/// pushes, the pipeline thread pops. Neither call allocates or blocks; when the ring is full the
/// new element is dropped and counted (the reader never waits for the pipeline).
public final class SampleRing<Element: Sendable>: @unchecked Sendable {
    /// Slots (a power of two).
    public let capacity: Int
    private let mask: Int
    private let storage: UnsafeMutablePointer<Element>
    /// Next slot the producer writes (only the producer stores it).
    private let head = Atomic<Int>(0)
    /// Next slot the consumer reads (only the consumer stores it).
    private let tail = Atomic<Int>(0)
    private let dropped = Atomic<Int>(0)

    /// - Parameter minimumCapacity: rounded up to a power of two, at least 2.
    public init(minimumCapacity: Int) {
        var capacity = 2
        while capacity < minimumCapacity { capacity *= 2 }
        self.capacity = capacity
        mask = capacity - 1
        storage = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
    }

    deinit {
        var index = tail.load(ordering: .relaxed)
        let end = head.load(ordering: .relaxed)
        while index != end {
            (storage + (index & mask)).deinitialize(count: 1)
            index += 1
        }
        storage.deallocate()
    }

    /// Producer side. Returns `false` (and counts the drop) when the ring is full.
    @discardableResult
    public func push(_ element: Element) -> Bool {
        let writing = head.load(ordering: .relaxed)
        if writing - tail.load(ordering: .acquiring) == capacity {
            dropped.add(1, ordering: .relaxed)
            return false
        }
        (storage + (writing & mask)).initialize(to: element)
        head.store(writing + 1, ordering: .releasing)
        return true
    }

    /// Consumer side: the oldest element, or `nil` when empty.
    public func pop() -> Element? {
        let reading = tail.load(ordering: .relaxed)
        guard reading != head.load(ordering: .acquiring) else { return nil }
        let element = (storage + (reading & mask)).move()
        tail.store(reading + 1, ordering: .releasing)
        return element
    }

    /// Elements waiting (approximate while the other side runs).
    public var count: Int { head.load(ordering: .acquiring) - tail.load(ordering: .acquiring) }

    /// Elements dropped because the consumer fell behind.
    public var droppedCount: Int { dropped.load(ordering: .relaxed) }
}
