/// The time courses the plates and the IMU trajectories share, with their derivatives.
extension ScenarioParameters {
    /// Share of the weight that has moved onto the leading leg during one step-up, 0…1, at
    /// `within` seconds into the repetition: on over `transferSeconds` from 20 % of the period,
    /// off again from 70 %.
    func stepUpLoad(within: Jet) -> Jet {
        let period = repetitionSeconds
        let transfer = min(transferSeconds, period / 4)
        return Jet.smoothStep((within - Jet(0.2 * period)) / transfer)
            * (Jet(1) - Jet.smoothStep((within - Jet(0.7 * period)) / transfer))
    }

    /// Level of an isometric hold at `time` seconds, 0 (quiet stance) … 1 (plateau): 2 s of quiet
    /// stance, a ramp, the plateau, a ramp back.
    func holdLevel(at time: Jet) -> Jet {
        let start = 2.0
        let release = start + holdRampSeconds + holdPlateauSeconds
        return Jet.smoothStep((time - Jet(start)) / holdRampSeconds) - Jet.smoothStep((time - Jet(release)) / holdRampSeconds)
    }
}
