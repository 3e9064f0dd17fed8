/// What a `STATUS` reply reports (`docs/protocol.md`).
public struct StatusReport: Sendable, Equatable {
    /// One device the daemon reads.
    public struct Device: Sendable, Equatable {
        public var path: String
        public var profile: String
        /// Wire protocol, e.g. `stance-line`.
        public var deviceProtocol: String
        /// `dual`, `left`, `right`, `trunk`, …
        public var role: String
        /// `connected` or `waiting` (absent or unplugged; the reader retries).
        public var state: String
        /// Nominal sample rate, Hz.
        public var rateHz: Double
        public var samples: UInt64
        public var badFrames: UInt64
        public var checksumErrors: UInt64
        /// Sequence gaps seen in the device's counter.
        public var gaps: UInt64
        public var bytesDiscarded: UInt64
        /// Times the device hung up (unplugged) since the daemon started.
        public var unplugs: Int
        /// Reads of the device that delivered at least one sample or header: `samples / reads` is
        /// how many samples a wake of the reader takes in (about 1 while someone watches
        /// `samples`, more otherwise).
        public var reads: UInt64

        public init(path: String, profile: String, deviceProtocol: String, role: String, state: String, rateHz: Double,
                    samples: UInt64, badFrames: UInt64, checksumErrors: UInt64, gaps: UInt64, bytesDiscarded: UInt64, unplugs: Int = 0,
                    reads: UInt64 = 0) {
            self.unplugs = unplugs
            self.reads = reads
            self.path = path
            self.profile = profile
            self.deviceProtocol = deviceProtocol
            self.role = role
            self.state = state
            self.rateHz = rateHz
            self.samples = samples
            self.badFrames = badFrames
            self.checksumErrors = checksumErrors
            self.gaps = gaps
            self.bytesDiscarded = bytesDiscarded
        }
    }

    /// One connected client.
    public struct Client: Sendable, Equatable {
        /// The daemon's descriptor for the connection (an identifier while it lasts).
        public var id: Int
        public var streams: [String]
        /// Messages dropped because the client read too slowly, since it connected.
        public var dropped: Int

        public init(id: Int, streams: [String], dropped: Int) {
            self.id = id
            self.streams = streams
            self.dropped = dropped
        }
    }

    /// The session being recorded.
    public struct Session: Sendable, Equatable {
        public var id: String
        public var path: String
        /// Samples written so far.
        public var samples: Int
        /// Rows lost (ring full or disk refused).
        public var rowsLost: Int
        /// Recorded so far, seconds.
        public var durationSeconds: Double
        /// The first write failure, naming the file.
        public var failure: String?
        /// Per IMU recorded, in stream order: its role, samples written and samples lost.
        public var imus: [ImuCount]

        public init(id: String, path: String, samples: Int, rowsLost: Int, durationSeconds: Double, failure: String?,
                    imus: [ImuCount] = []) {
            self.id = id
            self.path = path
            self.samples = samples
            self.rowsLost = rowsLost
            self.durationSeconds = durationSeconds
            self.failure = failure
            self.imus = imus
        }
    }

    /// One IMU of a session: samples written so far, and samples lost (its reader's ring to the
    /// writer full, or the disk refused them).
    public struct ImuCount: Sendable, Equatable {
        /// Where it is worn, e.g. `imu-left-shank`.
        public var role: String
        public var samples: Int
        public var lost: Int

        public init(role: String, samples: Int, lost: Int) {
            self.role = role
            self.samples = samples
            self.lost = lost
        }
    }

    /// Two single plates paired onto one grid: how their clocks compare.
    public struct Alignment: Sendable, Equatable {
        /// How far the right plate's sampling instants lie after the left's, ms (within ±half a
        /// period; the interpolation corrects it).
        public var skewMilliseconds: Double?
        /// Each plate's clock against the host's, ppm (positive: fast); nil until 2 s of samples.
        public var leftDriftPartsPerMillion: Double?
        public var rightDriftPartsPerMillion: Double?
        public var framesPaired: Int
        /// Grid instants given up while a plate was missing or restarting.
        public var instantsSkipped: Int

        public init(skewMilliseconds: Double?, leftDriftPartsPerMillion: Double?, rightDriftPartsPerMillion: Double?,
                    framesPaired: Int, instantsSkipped: Int) {
            self.skewMilliseconds = skewMilliseconds
            self.leftDriftPartsPerMillion = leftDriftPartsPerMillion
            self.rightDriftPartsPerMillion = rightDriftPartsPerMillion
            self.framesPaired = framesPaired
            self.instantsSkipped = instantsSkipped
        }
    }

    /// What the pipeline did with the samples.
    public struct Pipeline: Sendable, Equatable {
        /// Samples run through the chain.
        public var processed: Int
        /// Samples refused because their stream's declared rate could not be served.
        public var refused: Int
        /// Sliding sway window, seconds.
        public var windowSeconds: Double
        /// Causal low-pass cutoff, Hz (0 = none).
        public var lowpassHz: Double

        public init(processed: Int, refused: Int, windowSeconds: Double, lowpassHz: Double) {
            self.processed = processed
            self.refused = refused
            self.windowSeconds = windowSeconds
            self.lowpassHz = lowpassHz
        }
    }

    public var release: String
    /// Seconds since the daemon started (monotonic).
    public var uptimeSeconds: Double
    /// The pipeline's sample rate, Hz.
    public var pipelineRateHz: Double
    public var devices: [Device]
    public var clients: [Client]
    /// Messages the daemon's producers (plate pipeline, IMU readers) made faster than the socket
    /// thread took them, dropped before any client, since the daemon started.
    public var publishDrops: Int
    public var pipeline: Pipeline?
    public var session: Session?
    public var alignment: Alignment?

    public init(release: String, uptimeSeconds: Double, pipelineRateHz: Double, devices: [Device], clients: [Client],
                publishDrops: Int = 0, pipeline: Pipeline? = nil, session: Session? = nil, alignment: Alignment? = nil) {
        self.publishDrops = publishDrops
        self.alignment = alignment
        self.pipeline = pipeline
        self.session = session
        self.release = release
        self.uptimeSeconds = uptimeSeconds
        self.pipelineRateHz = pipelineRateHz
        self.devices = devices
        self.clients = clients
    }
}

extension WireMessage {
    /// The reply to `status`. `session` is `null` when none records; `alignment` is `null` for a
    /// dual-plate device (one clock: nothing to align).
    public static func status(_ report: StatusReport) -> [UInt8] {
        var json = JSONWriter(capacity: 1024)
        json.string("class", "STATUS")
        json.string("release", report.release)
        json.number("uptime_s", report.uptimeSeconds)
        json.number("rate_hz", report.pipelineRateHz)
        json.objects("devices", report.devices) { json, device in
            json.string("path", device.path)
            json.string("profile", device.profile)
            json.string("protocol", device.deviceProtocol)
            json.string("role", device.role)
            json.string("state", device.state)
            json.number("rate_hz", device.rateHz)
            json.integer("samples", Int(clamping: device.samples))
            json.integer("bad_frames", Int(clamping: device.badFrames))
            json.integer("checksum_errors", Int(clamping: device.checksumErrors))
            json.integer("gaps", Int(clamping: device.gaps))
            json.integer("bytes_discarded", Int(clamping: device.bytesDiscarded))
            json.integer("unplugs", device.unplugs)
            json.integer("reads", Int(clamping: device.reads))
        }
        json.object("pipeline", present: report.pipeline != nil) { json in
            guard let pipeline = report.pipeline else { return }
            json.integer("processed", pipeline.processed)
            json.integer("refused", pipeline.refused)
            json.number("window_s", pipeline.windowSeconds)
            json.number("lowpass_hz", pipeline.lowpassHz)
        }
        json.object("alignment", present: report.alignment != nil) { json in
            guard let alignment = report.alignment else { return }
            json.number("skew_ms", alignment.skewMilliseconds)
            json.object("drift_ppm") { drift in
                drift.number("left", alignment.leftDriftPartsPerMillion)
                drift.number("right", alignment.rightDriftPartsPerMillion)
            }
            json.integer("frames_paired", alignment.framesPaired)
            json.integer("instants_skipped", alignment.instantsSkipped)
        }
        json.objects("clients", report.clients) { json, client in
            json.integer("id", client.id)
            json.strings("streams", client.streams)
            json.integer("dropped", client.dropped)
        }
        json.integer("publish_drops", report.publishDrops)
        json.object("session", present: report.session != nil) { json in
            guard let session = report.session else { return }
            sessionFields(&json, session)
        }
        return json.finishLine()
    }
}

extension WireMessage {
    /// The reply to `session.start` and `session.stop`: `state` is `recording` or `stopped`.
    public static func session(state: String, _ session: StatusReport.Session) -> [UInt8] {
        var json = JSONWriter()
        json.string("class", "SESSION")
        json.string("state", state)
        sessionFields(&json, session)
        return json.finishLine()
    }

    /// The reply to `mark`: when it was placed (seconds since daemon start) and in which session.
    public static func mark(label: String, timeSeconds: Double, session: String?) -> [UInt8] {
        var json = JSONWriter()
        json.string("class", "MARK")
        json.string("label", label)
        json.number("t_s", timeSeconds)
        json.string("session", session)
        return json.finishLine()
    }

    fileprivate static func sessionFields(_ json: inout JSONWriter, _ session: StatusReport.Session) {
        json.string("id", session.id)
        json.string("path", session.path)
        json.integer("samples", session.samples)
        json.integer("rows_lost", session.rowsLost)
        json.number("duration_s", session.durationSeconds)
        json.string("failure", session.failure)
        json.objects("imus", session.imus) { object, imu in
            object.string("role", imu.role)
            object.integer("samples", imu.samples)
            object.integer("lost", imu.lost)
        }
    }
}
