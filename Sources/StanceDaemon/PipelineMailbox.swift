#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
import StanceDevices
import Synchronization

/// What a client asked of the pipeline thread, which alone owns the chain and the recording.
enum PipelineCommand: Sendable {
    case tare
    case configure(windowSeconds: Double?, lowpassHz: Double?)
    /// Start feeding `recorder` (its files are already open).
    case attach(SessionRecorder)
    /// Stop feeding the recorder; the reply hands it back for closing.
    case detach
    case mark(label: String)
}

/// The pipeline's answer.
enum PipelineReply: Sendable {
    case tared(offsetsNewtons: [Double], samples: Int, periodSeconds: Double)
    case configured(windowSeconds: Double, lowpassHz: Double)
    case attached
    case detached(SessionRecorder?)
    case marked(timeSeconds: Double, session: String?)
    /// Refused, with the reason for the client.
    case refused(String)
}

/// One command at a time from the hub's thread to the pipeline's, and its reply back. The
/// pipeline checks `hasCommand` (one atomic load) per wake and takes the lock only when a command
/// waits, so the per-sample path stays lock-free.
final class PipelineMailbox: @unchecked Sendable {
    /// Rung when a command is posted, so an idle pipeline answers at once.
    let doorbell = Doorbell()
    private let waiting = Atomic<Bool>(false)
    private let slot = Mutex<(generation: Int, command: PipelineCommand?, reply: PipelineReply?)>((0, nil, nil))
    private let answered = DispatchSemaphore(value: 0)

    /// Posts `command` and waits up to `timeoutSeconds` for the pipeline's reply (nil when it did
    /// not answer: the pipeline is stalled or stopped). Called from one thread only (the hub's).
    func submit(_ command: PipelineCommand, timeoutSeconds: Double = 2) -> PipelineReply? {
        let generation = slot.withLock { state -> Int in
            state.generation += 1
            state.command = command
            state.reply = nil
            return state.generation
        }
        waiting.store(true, ordering: .releasing)
        doorbell.ring()
        let deadline = DispatchTime.now() + timeoutSeconds
        while answered.wait(timeout: deadline) == .success {
            if let reply = slot.withLock({ state -> PipelineReply? in
                guard state.generation == generation, let reply = state.reply else { return nil }
                state.reply = nil
                return reply
            }) { return reply }
        }
        // Not answered in time: withdraw the command so a late pipeline does not act on it.
        slot.withLock { state in
            if state.generation == generation { state.command = nil }
        }
        return nil
    }

    /// Pipeline side: whether a command waits (one relaxed-cost atomic load).
    var hasCommand: Bool { waiting.load(ordering: .acquiring) }

    /// Pipeline side: takes the waiting command and answers it with `body`'s reply.
    func serve(_ body: (PipelineCommand) -> PipelineReply) {
        waiting.store(false, ordering: .relaxed)
        guard let (generation, command) = slot.withLock({ state -> (Int, PipelineCommand)? in
            guard let command = state.command else { return nil }
            state.command = nil
            return (state.generation, command)
        }) else { return }
        let reply = body(command)
        slot.withLock { state in
            if state.generation == generation { state.reply = reply }
        }
        answered.signal()
    }
}
