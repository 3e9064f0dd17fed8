import StanceRecording

/// The session metadata of a `session.xdf` file header (`docs/recording.md`): `<session>` and
/// `<devices>` (`SessionPlates` takes the analysis settings under `<plates>` and `<config>`).
struct SessionHeader: Sendable, Equatable {
    var id: String?
    var startedUTC: String?
    var subject: String?
    var exercise: String?
    var bodyMassKilograms: Double?
    var notes: String?
    /// `PATH (PROFILE)` per device.
    var devices: [String] = []

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
    }
}
