/// Groups digital poles and zeros into second-order sections exactly as SciPy's
/// `zpk2sos(z, p, k, pairing="nearest")` does, so our sections match SciPy's one for one.
enum SectionPairing {
    static func nearest(zeros inputZeros: [Complex], poles inputPoles: [Complex], gain: Double) -> [Biquad] {
        if inputZeros.isEmpty && inputPoles.isEmpty {
            return [Biquad(b0: gain, b1: 0, b2: 0, a1: 0, a2: 0)]
        }
        var poles = inputPoles + Array(repeating: Complex(0), count: max(inputZeros.count - inputPoles.count, 0))
        var zeros = inputZeros + Array(repeating: Complex(0), count: max(inputPoles.count - inputZeros.count, 0))
        let sectionCount = (max(poles.count, zeros.count) + 1) / 2
        if poles.count % 2 == 1 {
            poles.append(Complex(0))
            zeros.append(Complex(0))
        }
        // Keep one member of each conjugate pair (positive imaginary part), then the real ones.
        zeros = conjugatePairsThenReals(zeros)
        poles = conjugatePairsThenReals(poles)

        var sections = [Biquad](repeating: Biquad(b0: 0, b1: 0, b2: 0, a1: 0, a2: 0), count: sectionCount)
        // Fill from the last section backwards so the poles nearest the unit circle come last.
        for sectionIndex in stride(from: sectionCount - 1, through: 0, by: -1) {
            let p1 = poles.remove(at: indexNearestUnitCircle(poles))
            let realPolesLeft = poles.filter(\.isReal).count
            if p1.isReal && realPolesLeft == 0 {
                // The last real pole: pair it with the nearest real zero.
                let z1 = zeros.remove(at: nearestIndex(in: zeros, to: p1, kind: .real))
                sections[sectionIndex] = section(zeros: [z1, Complex(0)], poles: [p1, Complex(0)])
            } else if poles.count + 1 == zeros.count, !p1.isReal, realPolesLeft == 1,
                      zeros.filter(\.isReal).count == 1 {
                // One real pole and one real zero remain: this complex pole must take a complex zero.
                let z1 = zeros.remove(at: nearestIndex(in: zeros, to: p1, kind: .complex))
                sections[sectionIndex] = section(zeros: [z1, z1.conjugate], poles: [p1, p1.conjugate])
            } else {
                let p2: Complex
                if p1.isReal {
                    let realIndices = poles.indices.filter { poles[$0].isReal }
                    let chosen = realIndices[indexNearestUnitCircle(realIndices.map { poles[$0] })]
                    p2 = poles.remove(at: chosen)
                } else {
                    p2 = p1.conjugate
                }
                if zeros.isEmpty {
                    sections[sectionIndex] = section(zeros: [], poles: [p1, p2])
                    continue
                }
                let z1 = zeros.remove(at: nearestIndex(in: zeros, to: p1, kind: .any))
                if !z1.isReal {
                    sections[sectionIndex] = section(zeros: [z1, z1.conjugate], poles: [p1, p2])
                } else if zeros.isEmpty {
                    sections[sectionIndex] = section(zeros: [z1], poles: [p1, p2])
                } else {
                    let z2 = zeros.remove(at: nearestIndex(in: zeros, to: p1, kind: .real))
                    sections[sectionIndex] = section(zeros: [z1, z2], poles: [p1, p2])
                }
            }
        }
        sections[0].b0 *= gain
        sections[0].b1 *= gain
        sections[0].b2 *= gain
        return sections
    }

    private enum Kind { case real, complex, any }

    /// Index of the root closest to the unit circle (first one on ties, like `argmin`).
    private static func indexNearestUnitCircle(_ roots: [Complex]) -> Int {
        var best = 0
        for index in roots.indices where abs(1 - roots[index].magnitude) < abs(1 - roots[best].magnitude) {
            best = index
        }
        return best
    }

    /// Index of the root of the requested kind nearest to `target` (stable on ties, as SciPy's
    /// `argsort` of distances).
    private static func nearestIndex(in roots: [Complex], to target: Complex, kind: Kind) -> Int {
        let byDistance = roots.indices.sorted { lhs, rhs in
            let l = (roots[lhs] - target).magnitude
            let r = (roots[rhs] - target).magnitude
            return l < r || (l == r && lhs < rhs)
        }
        // Butterworth designs always hold a root of the requested kind; fall back to the nearest.
        return byDistance.first { index in
            switch kind {
            case .any: return true
            case .real: return roots[index].isReal
            case .complex: return !roots[index].isReal
            }
        } ?? byDistance[0]
    }

    /// SciPy's `_cplxreal`: the complex roots with positive imaginary part (each averaged with its
    /// conjugate partner), followed by the real roots, each group sorted by real part.
    private static func conjugatePairsThenReals(_ roots: [Complex]) -> [Complex] {
        let tolerance = 100 * Double.ulpOfOne
        let sorted = roots.sorted { ($0.re, abs($0.im)) < ($1.re, abs($1.im)) }
        let isRealEnough: (Complex) -> Bool = { abs($0.im) <= tolerance * $0.magnitude }
        let reals = sorted.filter(isRealEnough).map { Complex($0.re) }
        let complexRoots = sorted.filter { !isRealEnough($0) }
        let positive = complexRoots.filter { $0.im > 0 }
        let negative = complexRoots.filter { $0.im < 0 }
        precondition(positive.count == negative.count, "complex roots must come in conjugate pairs")
        let averaged = zip(positive, negative).map { pair in
            let sum = pair.0 + pair.1.conjugate
            return Complex(sum.re / 2, sum.im / 2)
        }
        return averaged + reals
    }

    /// One section from up to two zeros and two poles, numerator right-aligned as SciPy does.
    private static func section(zeros: [Complex], poles: [Complex]) -> Biquad {
        let numerator = polynomial(roots: zeros).map(\.re)
        let denominator = polynomial(roots: poles).map(\.re)
        let b = Array(repeating: 0.0, count: 3 - numerator.count) + numerator
        let a = Array(repeating: 0.0, count: 3 - denominator.count) + denominator
        return Biquad(b0: b[0], b1: b[1], b2: b[2], a1: a[1] / a[0], a2: a[2] / a[0])
    }
}
