import StanceDSP
import Testing

@Suite("quaternions (Hamilton, sensor → earth NWU)")
struct QuaternionTests {
    func close(_ a: SIMD3<Double>, _ b: SIMD3<Double>, _ tolerance: Double = 1e-12) -> Bool {
        ((a - b) * (a - b)).sum().squareRoot() <= tolerance
    }

    @Test("a quarter turn about z takes x to y, y to −x; about y (pitch forward) takes z to x")
    func rotations() {
        let yaw = Quaternion(axis: SIMD3(0, 0, 1), angleRadians: .pi / 2)
        #expect(close(yaw.rotate(SIMD3(1, 0, 0)), SIMD3(0, 1, 0)))
        #expect(close(yaw.rotate(SIMD3(0, 1, 0)), SIMD3(-1, 0, 0)))
        let pitch = Quaternion(axis: SIMD3(0, 1, 0), angleRadians: .pi / 2)
        #expect(close(pitch.rotate(SIMD3(0, 0, 1)), SIMD3(1, 0, 0)))
        #expect(close(pitch.conjugate.rotate(pitch.rotate(SIMD3(0.3, -2, 5))), SIMD3(0.3, -2, 5)))
    }

    @Test("a * b rotates by b first; angle(to:) is the angle between two orientations")
    func composition() {
        let a = Quaternion(axis: SIMD3(1, 0, 0), angleRadians: 0.3)
        let b = Quaternion(axis: SIMD3(0, 0, 1), angleRadians: -1.1)
        let v = SIMD3<Double>(0.2, 0.7, -0.4)
        #expect(close((a * b).rotate(v), a.rotate(b.rotate(v))))
        #expect(abs(Quaternion.identity.angle(to: a) - 0.3) < 1e-12)
        #expect(abs(a.angle(to: a * Quaternion(axis: SIMD3(0, 1, 0), angleRadians: 0.25)) - 0.25) < 1e-12)
        let scaled = Quaternion(w: 2 * a.w, x: 2 * a.x, y: 2 * a.y, z: 2 * a.z)
        #expect(abs(scaled.normalized.norm - 1) < 1e-15 && abs(scaled.angle(to: a)) < 1e-7)
    }
}
