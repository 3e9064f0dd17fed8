/// Faults an emulator injects into its byte stream, each at a set interval of samples (0 = never).
public struct EmulatorFaults: Sendable, Equatable {
    /// Every N samples, send a burst of random bytes first.
    public var garbageEvery: Int
    /// Length of each garbage burst, bytes.
    public var garbageLength: Int
    /// Every N samples, skip a sample (its sequence number is used up: the reader sees a gap).
    public var dropEvery: Int
    /// Every N samples, flip a bit in the middle of the sample's bytes (a checksum error).
    public var corruptEvery: Int
    /// After N samples, close the terminal (unplug), wait `unpluggedSeconds`, open a new one (replug).
    public var unplugAfter: Int
    /// How long the device stays unplugged, seconds.
    public var unpluggedSeconds: Double

    public init(garbageEvery: Int = 0, garbageLength: Int = 16, dropEvery: Int = 0, corruptEvery: Int = 0,
                unplugAfter: Int = 0, unpluggedSeconds: Double = 1) {
        self.garbageEvery = garbageEvery
        self.garbageLength = garbageLength
        self.dropEvery = dropEvery
        self.corruptEvery = corruptEvery
        self.unplugAfter = unplugAfter
        self.unpluggedSeconds = unpluggedSeconds
    }

    public static let none = EmulatorFaults()

    /// What to do with sample `index` (0-based).
    func actions(forSample index: Int) -> (garbage: Bool, drop: Bool, corrupt: Bool, unplug: Bool) {
        func every(_ interval: Int) -> Bool { interval > 0 && index > 0 && index % interval == 0 }
        return (every(garbageEvery), every(dropEvery), every(corruptEvery), unplugAfter > 0 && index == unplugAfter)
    }
}
