import Foundation
import GRDB
@testable import StanceCatalogue
import Testing

@Suite("catalogue migrations")
struct CatalogueMigrationTests {
    @Test("a catalogue made before the IMU columns is emptied when opened and rebuilt from the files, IMU columns included")
    func imuSummaryMigration() throws {
        let fixture = try SessionsFixture()
        defer { fixture.remove() }
        try fixture.addSession("a", startedUTC: "2026-11-20T09:00:00Z", subject: "ann")
        // The catalogue as the first schema made it, with a row for the file as it is now (so an
        // update would leave it alone), but a summary that is wrong.
        let current = try { let c = try Catalogue(directory: fixture.directory); try c.update(); return try c.entries() }()
        try FileManager.default.removeItem(atPath: fixture.directory + "/catalogue.sqlite")
        let old = try DatabaseQueue(path: fixture.directory + "/catalogue.sqlite")
        try CatalogueSchema.migrator.migrate(old, upTo: "sessions")
        try old.write { db in
            let row = try #require(current.first)
            try db.execute(sql: """
                INSERT INTO sessions (id, first_sample_s, last_sample_s, duration_s, devices, path, file_size_bytes, file_mtime_s,
                                      samples, rate_hz, truncated, mean_left_n)
                VALUES (?, 0, 0, 0, '', ?, ?, ?, 0, 100, 0, -1)
                """, arguments: [row.id, row.path, row.fileSizeBytes, row.fileModifiedSeconds])
        }
        try old.close()

        let catalogue = try Catalogue(directory: fixture.directory)
        let update = try catalogue.update()
        #expect(update.indexed.count == 1 && update.unchanged == 0, "\(update)")
        #expect(try catalogue.entries() == current, "the row as the files give it, not the old one")
    }
}
