import StanceDevices
import StanceDSP
import Synchronization

/// Where an IMU's reader thread hands its samples to the recording session, if one records.
///
/// A session puts a ring of its own here when it starts (`attach`) and takes it away when it ends
/// (`detach`). The reader thread calls `refresh` once per wake: one atomic load, and the lock only
/// when the session changed; `offer` is then a ring push, without lock or allocation. A full ring
/// counts the sample lost (the session reports it); samples while no session records go nowhere.
///
/// It also keeps which optional channels (`ImuChannels`) the IMU has sent, so that a session
/// declares the channels the device provides.
public final class ImuSessionFeed: @unchecked Sendable {
    /// One sample for the session.
    public struct Sample: Sendable {
        /// Host receive time, seconds since the daemon started.
        public var hostSeconds: Double
        public var sample: ImuSample

        public init(hostSeconds: Double, sample: ImuSample) {
            self.hostSeconds = hostSeconds
            self.sample = sample
        }
    }

    /// The IMU as a session describes it (its `channels` are those seen when the session starts).
    public let device: SessionRecorder.ImuSetup

    /// Bumped by every attach and detach: what the reader thread checks per wake.
    private let generation = Atomic<UInt64>(0)
    private let current = Mutex<(ring: SampleRing<Sample>, fromSeconds: Double)?>(nil)
    private let seen = Atomic<UInt8>(0)

    // The reader thread's own copies (only it touches them).
    private var knownGeneration: UInt64 = 0
    private var ring: SampleRing<Sample>?
    private var fromSeconds = 0.0
    private var seenHere = ImuChannels()

    public init(device: SessionRecorder.ImuSetup) {
        self.device = device
    }

    /// The device with the channels it has sent so far: what a session starting now records.
    public var sessionSetup: SessionRecorder.ImuSetup {
        var setup = device
        setup.channels = ImuChannels(rawValue: seen.load(ordering: .relaxed))
        return setup
    }

    // MARK: Session side

    /// From now on, samples received at or after `fromSeconds` (since the daemon started) go to
    /// `ring`, in place of any before.
    func attach(_ ring: SampleRing<Sample>, fromSeconds: Double) {
        current.withLock { current in
            current = (ring, fromSeconds)
            generation.add(1, ordering: .releasing)
        }
    }

    /// Stops feeding `ring`, if it is the one fed. The reader may push one wake's samples more
    /// into it (they come after the session's last drain and are not written).
    func detach(_ ring: SampleRing<Sample>) {
        current.withLock { current in
            guard current?.ring === ring else { return }
            current = nil
            generation.add(1, ordering: .releasing)
        }
    }

    // MARK: Reader side

    /// Picks up a session started or stopped since the last call. Reader thread, once per wake.
    public func refresh() {
        let latest = generation.load(ordering: .acquiring)
        guard latest != knownGeneration else { return }
        knownGeneration = latest
        let installed = current.withLock { $0 }
        ring = installed?.ring
        fromSeconds = installed?.fromSeconds ?? 0
    }

    /// Hands one sample to the session, if one records and it started before `hostSeconds`.
    /// Reader thread; no lock, no allocation.
    public func offer(_ sample: ImuSample, hostSeconds: Double) {
        let channels = ImuChannels(sample)
        if !seenHere.isSuperset(of: channels) {
            seenHere.formUnion(channels)
            seen.store(seenHere.rawValue, ordering: .relaxed)
        }
        guard let ring, hostSeconds >= fromSeconds else { return }
        ring.push(Sample(hostSeconds: hostSeconds, sample: sample))
    }
}
