import Foundation
import StanceDevices
import Testing

@Suite("single-producer single-consumer sample ring")
struct SampleRingTests {
    @Test("first in, first out; when full, new elements are dropped and counted")
    func fullRing() {
        let ring = SampleRing<Int>(minimumCapacity: 5)
        #expect(ring.capacity == 8)
        for value in 0..<10 { ring.push(value) }
        #expect(ring.count == 8 && ring.droppedCount == 2)
        #expect((0..<8).map { _ in ring.pop() } == (0..<8).map { Optional($0) })
        #expect(ring.pop() == nil)
    }

    @Test("a producer thread and a consumer thread: every element arrives once and in order, or is counted as dropped")
    func concurrent() {
        let ring = SampleRing<UInt64>(minimumCapacity: 1024)
        let total: UInt64 = 2_000_000
        Thread {
            for value in 0..<total { ring.push(value) }
        }.start()
        var received: UInt64 = 0
        var last: UInt64?
        var inOrder = true
        let deadline = Date().addingTimeInterval(30)
        while received + UInt64(ring.droppedCount) < total, Date() < deadline {
            while let value = ring.pop() {
                if let previous = last, value <= previous { inOrder = false }
                last = value
                received += 1
            }
        }
        #expect(inOrder)
        #expect(received + UInt64(ring.droppedCount) == total)
        #expect(received > 0)
    }

    @Test("elements that own storage are released when the ring goes")
    func ownership() {
        final class Token: Sendable {}
        weak var dropped: Token?
        do {
            let ring = SampleRing<[Token]>(minimumCapacity: 2)
            let token = Token()
            dropped = token
            ring.push([token])
            ring.push([Token()])
        }
        #expect(dropped == nil, "the ring's remaining elements were released with it")
    }
}
