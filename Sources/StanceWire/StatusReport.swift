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

        public init(path: String, profile: String, deviceProtocol: String, role: String, state: String, rateHz: Double,
                    samples: UInt64, badFrames: UInt64, checksumErrors: UInt64, gaps: UInt64, bytesDiscarded: UInt64) {
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

    public var release: String
    /// Seconds since the daemon started (monotonic).
    public var uptimeSeconds: Double
    /// The pipeline's sample rate, Hz.
    public var pipelineRateHz: Double
    public var devices: [Device]
    public var clients: [Client]

    public init(release: String, uptimeSeconds: Double, pipelineRateHz: Double, devices: [Device], clients: [Client]) {
        self.release = release
        self.uptimeSeconds = uptimeSeconds
        self.pipelineRateHz = pipelineRateHz
        self.devices = devices
        self.clients = clients
    }
}

extension WireMessage {
    /// The reply to `status`. `session` is `null` until sessions are recorded.
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
        }
        json.objects("clients", report.clients) { json, client in
            json.integer("id", client.id)
            json.strings("streams", client.streams)
            json.integer("dropped", client.dropped)
        }
        json.object("session", present: false) { _ in }
        return json.finishLine()
    }
}
