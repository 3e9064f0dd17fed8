#if canImport(Glibc)
import Glibc
#endif

/// A quantity of a trajectory with its first and second time derivatives, carried through the
/// arithmetic (second-order forward-mode differentiation). The IMU trajectories are built from
/// these, so angular rates and accelerations are exact derivatives of the angles and positions,
/// not finite differences.
struct Jet: Sendable, Equatable {
    var value: Double
    /// d/dt, per second.
    var rate: Double
    /// d²/dt², per second squared.
    var acceleration: Double

    init(_ value: Double, rate: Double = 0, acceleration: Double = 0) {
        self.value = value
        self.rate = rate
        self.acceleration = acceleration
    }

    /// Time itself: t, 1, 0.
    static func time(_ seconds: Double) -> Jet { Jet(seconds, rate: 1) }

    static func + (a: Jet, b: Jet) -> Jet { Jet(a.value + b.value, rate: a.rate + b.rate, acceleration: a.acceleration + b.acceleration) }
    static func - (a: Jet, b: Jet) -> Jet { Jet(a.value - b.value, rate: a.rate - b.rate, acceleration: a.acceleration - b.acceleration) }
    static prefix func - (a: Jet) -> Jet { Jet(-a.value, rate: -a.rate, acceleration: -a.acceleration) }
    static func + (a: Jet, b: Double) -> Jet { Jet(a.value + b, rate: a.rate, acceleration: a.acceleration) }
    static func * (k: Double, a: Jet) -> Jet { Jet(k * a.value, rate: k * a.rate, acceleration: k * a.acceleration) }
    static func / (a: Jet, k: Double) -> Jet { Jet(a.value / k, rate: a.rate / k, acceleration: a.acceleration / k) }
    static func * (a: Jet, b: Jet) -> Jet {
        Jet(a.value * b.value, rate: a.rate * b.value + a.value * b.rate,
            acceleration: a.acceleration * b.value + 2 * a.rate * b.rate + a.value * b.acceleration)
    }

    /// f(self) by the chain rule, given f, f′ and f″ at the value.
    func applying(_ f: Double, _ df: Double, _ d2f: Double) -> Jet {
        Jet(f, rate: df * rate, acceleration: df * acceleration + d2f * rate * rate)
    }

    static func sin(_ a: Jet) -> Jet { a.applying(Glibc.sin(a.value), Glibc.cos(a.value), -Glibc.sin(a.value)) }
    static func cos(_ a: Jet) -> Jet { a.applying(Glibc.cos(a.value), -Glibc.sin(a.value), -Glibc.cos(a.value)) }
    static func tan(_ a: Jet) -> Jet {
        let t = Glibc.tan(a.value)
        let secant2 = 1 + t * t
        return a.applying(t, secant2, 2 * secant2 * t)
    }
    static func atan(_ a: Jet) -> Jet {
        let d = 1 / (1 + a.value * a.value)
        return a.applying(Glibc.atan(a.value), d, -2 * a.value * d * d)
    }

    static func tanh(_ a: Jet) -> Jet {
        let t = Glibc.tanh(a.value)
        return a.applying(t, 1 - t * t, -2 * t * (1 - t * t))
    }

    /// 0 below 0, 1 above 1, (1 − cos πu)/2 between: a ramp whose rate is continuous.
    static func smoothStep(_ u: Jet) -> Jet {
        if u.value <= 0 { return Jet(0) }
        if u.value >= 1 { return Jet(1) }
        return (Jet(1) - cos(Double.pi * u)) / 2
    }
}

/// A point or vector of a trajectory with its first and second time derivatives, metres.
struct JetVector: Sendable {
    var x: Jet
    var y: Jet
    var z: Jet

    init(_ x: Jet, _ y: Jet, _ z: Jet) {
        self.x = x
        self.y = y
        self.z = z
    }

    /// A constant vector.
    init(_ v: SIMD3<Double>) { self.init(Jet(v.x), Jet(v.y), Jet(v.z)) }

    var value: SIMD3<Double> { SIMD3(x.value, y.value, z.value) }
    var acceleration: SIMD3<Double> { SIMD3(x.acceleration, y.acceleration, z.acceleration) }

    static func + (a: JetVector, b: JetVector) -> JetVector { JetVector(a.x + b.x, a.y + b.y, a.z + b.z) }
    static func - (a: JetVector, b: JetVector) -> JetVector { JetVector(a.x - b.x, a.y - b.y, a.z - b.z) }
    static func * (k: Double, a: JetVector) -> JetVector { JetVector(k * a.x, k * a.y, k * a.z) }
    /// Scaled by a scalar trajectory.
    static func * (k: Jet, a: JetVector) -> JetVector { JetVector(k * a.x, k * a.y, k * a.z) }
}
