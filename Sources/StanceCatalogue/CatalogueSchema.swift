import GRDB

/// The catalogue's tables, as GRDB migrations: a database of an older schema is brought up to
/// date when it is opened. The files are the truth, so a migration may also drop and rebuild.
enum CatalogueSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("sessions") { db in
            try db.create(table: CatalogueEntry.databaseTableName) { table in
                table.primaryKey("id", .text)
                table.column("subject", .text)
                table.column("exercise", .text)
                table.column("body_mass_kg", .double)
                table.column("notes", .text)
                table.column("started_utc", .text)
                table.column("stopped_utc", .text)
                table.column("first_sample_s", .double).notNull()
                table.column("last_sample_s", .double).notNull()
                table.column("duration_s", .double).notNull()
                table.column("devices", .text).notNull()
                table.column("path", .text).notNull().unique()
                table.column("file_size_bytes", .integer).notNull()
                table.column("file_mtime_s", .double).notNull()
                table.column("samples", .integer).notNull()
                table.column("rate_hz", .double).notNull()
                table.column("truncated", .boolean).notNull()
                table.column("mean_left_n", .double)
                table.column("mean_right_n", .double)
                table.column("mean_left_pct", .double)
                table.column("mean_right_pct", .double)
                table.column("force_asymmetry_pct", .double)
                table.column("force_dominant", .text)
                table.column("sway_path_asymmetry_pct", .double)
                table.column("sway_path_dominant", .text)
                table.column("sway_area_asymmetry_pct", .double)
                table.column("sway_area_dominant", .text)
                table.column("sway_path_mm", .double)
                table.column("sway_ellipse_area_mm2", .double)
            }
            try db.create(index: "sessions_by_start", on: CatalogueEntry.databaseTableName, columns: ["started_utc"])
        }
        migrator.registerMigration("imu-summary") { db in
            try db.alter(table: CatalogueEntry.databaseTableName) { table in
                table.add(column: "shank_rom_left_deg", .double)
                table.add(column: "shank_rom_right_deg", .double)
                table.add(column: "shank_rom_asymmetry_pct", .double)
                table.add(column: "shank_rom_dominant", .text)
                table.add(column: "single_leg_segment", .text)
                table.add(column: "single_leg_left_s", .double)
                table.add(column: "single_leg_right_s", .double)
                table.add(column: "single_leg_sway_path_asymmetry_pct", .double)
                table.add(column: "single_leg_sway_path_dominant", .text)
            }
            // The rows were made without the IMU summary: the next update reads every file again.
            try db.execute(sql: "DELETE FROM \(CatalogueEntry.databaseTableName)")
        }
        return migrator
    }
}
