import StanceDSP

/// Something that happened, for clients watching the `events` stream (`docs/protocol.md`).
public enum WireEvent: Sendable, Equatable {
    case deviceOpened(path: String)
    /// Opening failed (reported once per outage; the daemon keeps retrying).
    case deviceOpenFailed(path: String, reason: String)
    /// The device hung up: a gap starts.
    case deviceUnplugged(path: String)
    /// The device is back after `gapSeconds` without it.
    case deviceReopened(path: String, gapSeconds: Double)
    /// The device's sequence numbers skipped `missing` samples (lost on the line or in a buffer).
    case sampleGap(path: String, missing: Int)
    /// A tare was applied: the new per-cell offsets, newtons.
    case tare(offsetsNewtons: [Double])
    case sessionStarted(id: String, path: String)
    case sessionStopped(id: String, path: String)
    /// The session could not be written (a full disk, an I/O error) and has ended; what reached
    /// the disk before stays readable. Live metrics go on.
    case sessionFailed(id: String, path: String, reason: String)
    /// The session's writer fell so far behind that its buffer filled: `rowsLost` samples (in
    /// all, so far) were not recorded. Sent at most once a second while it lasts.
    case sessionRowsLost(id: String, path: String, rowsLost: Int)
    /// A client's label at this moment, in the recording session if one runs.
    case mark(label: String, session: String?)

    /// The event's particulars in a few words (for logs and the session's events file).
    public var detail: String {
        switch self {
        case .deviceOpened(let path), .deviceUnplugged(let path): path
        case .deviceOpenFailed(let path, let reason): "\(path): \(reason)"
        case .deviceReopened(let path, let gap): "\(path) after \(gap) s"
        case .sampleGap(let path, let missing): "\(path): \(missing) samples missing"
        case .tare(let offsets): "offsets N " + offsets.map { $0.description }.joined(separator: " ")
        case .sessionStarted(let id, let path), .sessionStopped(let id, let path): "\(id) \(path)"
        case .sessionFailed(let id, _, let reason): "\(id): \(reason)"
        case .sessionRowsLost(let id, _, let lost): "\(id): \(lost) samples not recorded so far (the writer fell behind; its buffer is full)"
        case .mark(let label, _): label
        }
    }

    /// The `event` field.
    public var name: String {
        switch self {
        case .deviceOpened: "device.opened"
        case .deviceOpenFailed: "device.open_failed"
        case .deviceUnplugged: "device.unplugged"
        case .deviceReopened: "device.reopened"
        case .sampleGap: "gap"
        case .tare: "tare"
        case .sessionStarted: "session.start"
        case .sessionStopped: "session.stop"
        case .sessionFailed: "session.failed"
        case .sessionRowsLost: "session.rows_lost"
        case .mark: "mark"
        }
    }
}

extension WireMessage {
    /// An `EVENT` at `timeSeconds` (seconds since daemon start, monotonic).
    public static func event(timeSeconds: Double, _ event: WireEvent) -> [UInt8] {
        var json = JSONWriter()
        json.string("class", "EVENT")
        json.number("t_s", timeSeconds)
        json.string("event", event.name)
        switch event {
        case .deviceOpened(let path), .deviceUnplugged(let path):
            json.string("device", path)
        case .deviceOpenFailed(let path, let reason):
            json.string("device", path)
            json.string("reason", reason)
        case .deviceReopened(let path, let gapSeconds):
            json.string("device", path)
            json.number("gap_s", gapSeconds)
        case .sampleGap(let path, let missing):
            json.string("device", path)
            json.integer("missing", missing)
        case .tare(let offsets):
            json.numbers("offsets_N", offsets)
        case .sessionStarted(let id, let path), .sessionStopped(let id, let path):
            json.string("id", id)
            json.string("path", path)
        case .sessionFailed(let id, let path, let reason):
            json.string("id", id)
            json.string("path", path)
            json.string("reason", reason)
        case .sessionRowsLost(let id, let path, let lost):
            json.string("id", id)
            json.string("path", path)
            json.integer("rows_lost", lost)
        case .mark(let label, let session):
            json.string("label", label)
            json.string("session", session)
        }
        return json.finishLine()
    }

    /// One `SAMPLE`: a device's calibrated, tared per-cell forces (before filtering), newtons.
    /// - Parameters:
    ///   - timeSeconds: host receive time, seconds since daemon start (monotonic).
    ///   - sequence: the device's own sequence number, when it sends one.
    public static func sample(timeSeconds: Double, device: String, sequence: UInt32?, cellsNewtons: SIMD8<Double>) -> [UInt8] {
        var json = JSONWriter(capacity: 256)
        json.string("class", "SAMPLE")
        json.number("t_s", timeSeconds)
        json.string("device", device)
        if let sequence { json.integer("seq", Int(sequence)) }
        json.numbers("cells_N", (0..<8).lazy.map { cellsNewtons[$0] })
        return json.finishLine()
    }

    /// The reply to `tare`: the per-cell offsets now subtracted (newtons) and the quiet period
    /// they were measured over.
    public static func tare(offsetsNewtons: [Double], samples: Int, periodSeconds: Double) -> [UInt8] {
        var json = JSONWriter()
        json.string("class", "TARE")
        json.numbers("offsets_N", offsetsNewtons)
        json.integer("samples", samples)
        json.number("period_s", periodSeconds)
        return json.finishLine()
    }
}

extension WireMessage {
    /// One `IMU` object on the `samples` stream: an inertial sensor's sample as it came, in SI
    /// units, in the sensor's axes (the IMU metrics are computed elsewhere).
    /// - Parameters:
    ///   - timeSeconds: host receive time, seconds since daemon start.
    ///   - role: where it is worn, e.g. `imu-left-shank`.
    public static func imu(timeSeconds: Double, device: String, role: String, sample: ImuSample) -> [UInt8] {
        var json = JSONWriter(capacity: 384)
        json.string("class", "IMU")
        json.number("t_s", timeSeconds)
        json.string("device", device)
        json.string("role", role)
        let acceleration = sample.accelerationMetresPerSecondSquared
        let rotation = sample.angularVelocityRadiansPerSecond
        json.numbers("acc_m_s2", [acceleration.x, acceleration.y, acceleration.z])
        json.numbers("gyro_rad_s", [rotation.x, rotation.y, rotation.z])
        if let euler = sample.eulerAnglesRadians { json.numbers("euler_rad", [euler.x, euler.y, euler.z]) } else { json.number("euler_rad", nil) }
        if let quaternion = sample.orientation {
            json.numbers("quat_wxyz", [quaternion[0], quaternion[1], quaternion[2], quaternion[3]])
        } else {
            json.number("quat_wxyz", nil)
        }
        if let field = sample.magneticField { json.numbers("mag", [field.x, field.y, field.z]) } else { json.number("mag", nil) }
        json.number("temp_c", sample.temperatureCelsius)
        return json.finishLine()
    }
}
