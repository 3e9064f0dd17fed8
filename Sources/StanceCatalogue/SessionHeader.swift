import StanceRecording

/// The session metadata of a `session.xdf` file header (`docs/recording.md`): `<session>` and
/// `<devices>`, and the analysis settings stanced recorded under `<plates>` and `<config>`.
struct SessionHeader: Sendable, Equatable {
    var id: String?
    var startedUTC: String?
    var subject: String?
    var exercise: String?
    var bodyMassKilograms: Double?
    var notes: String?
    /// `PATH (PROFILE)` per device.
    var devices: [String] = []
    var copThresholdNewtons: Double?
    var lowpassHz: Double?

    init(_ info: XMLTag?) {
        let session = info?.child("session")
        id = session?.childText("id")
        startedUTC = session?.childText("started_utc")
        subject = session?.childText("subject")
        exercise = session?.childText("exercise")
        bodyMassKilograms = session?.childText("body_mass_kg").flatMap(Double.init)
        notes = session?.childText("notes")
        devices = (info?.child("devices")?.children(named: "device") ?? []).map { device in
            let path = device.childText("path") ?? "?"
            return device.childText("profile").map { "\(path) (\($0))" } ?? path
        }
        copThresholdNewtons = info?.child("plates")?.childText("cop_threshold_n").flatMap(Double.init)
        lowpassHz = info?.child("config")?.childText("lowpass_hz").flatMap(Double.init)
    }
}
